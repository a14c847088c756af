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
    const answer = await slow.slashCommand('status GL-0000ZZ', { user: 'U0REQUESTR', channel: 'C0APPROVAL' });
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
});
