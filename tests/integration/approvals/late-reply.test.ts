import { eventually } from '@greenlight/local-stack/testing/eventually';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WORKING_ON_IT } from '../../../app/slack/commands/command-workflow';
import { templateWithSlowCommandWorkflow } from '../../helpers/derived-templates';
import { TestStack } from '../../helpers/local-stack';

// Its own file: the functions read their configuration once per process, as on Lambda, so a stack
// with another budget and another workflow needs a fresh module registry.
let slow: TestStack;

describe('the late path', () => {
  beforeAll(async () => {
    slow = await TestStack.start({
      templatePath: templateWithSlowCommandWorkflow(2),
      environment: { COMMAND_BUDGET_MS: '600' },
    });
  });

  afterAll(async () => {
    await slow.stop();
  });

  it('answers "working on it" within the budget, then the workflow replaces it through response_url', async () => {
    const answer = await slow.slashCommandAnswer('status GL-0000ZZ', {
      user: 'U0REQUESTR',
      channel: 'C0APPROVAL',
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ response_type: 'ephemeral', text: WORKING_ON_IT });

    // The workflow's own delivery goes through the task function's first (cold) invocation; on
    // DynamoDB Local or a busy machine that takes longer than eventually()'s default patience.
    const delivered = await eventually(
      () =>
        slow.stack.slack
          .responses()
          .find((response) => JSON.stringify(response.payload).includes('GL-0000ZZ')),
      { timeoutMs: 30_000, what: 'the late reply through response_url' },
    );
    expect(delivered.status).toBe(200);
    expect(delivered.payload).toEqual(
      expect.objectContaining({ replace_original: true, text: ':warning: There is no request `GL-0000ZZ`.' }),
    );
  });

  it("delivers a private channel's request late to a non-member as if it did not exist", async () => {
    const requested = await slow.slashCommandAnswer('request "Late secret" <@U0APPROVR2>', {
      user: 'U0REQUESTR',
      channel: 'C0LEADSPRV',
    });
    expect(requested.json()).toEqual({ response_type: 'ephemeral', text: WORKING_ON_IT });
    const posted = await eventually(() =>
      slow.stack.slack.messages('C0LEADSPRV').find((message) => message.text.includes('Late secret')),
    );
    const id = /GL-[0-9A-Z]{6}/.exec(posted.text)?.[0] ?? '';

    const answer = await slow.slashCommandAnswer(`status ${id}`, {
      user: 'U0BYSTANDR',
      channel: 'C0APPROVAL',
    });
    expect(answer.json()).toEqual({ response_type: 'ephemeral', text: WORKING_ON_IT });
    const delivered = await eventually(() =>
      slow.stack.slack
        .responses()
        .find(
          (response) =>
            JSON.stringify(response.payload).includes(`status ${id}`) ||
            JSON.stringify(response.payload).includes(`request \`${id}\``),
        ),
    );
    expect(delivered.payload).toEqual({
      response_type: 'ephemeral',
      replace_original: true,
      text: `:warning: There is no request \`${id}\`.`,
    });
  });
});
