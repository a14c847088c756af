import { eventually } from '@greenlight/local-stack/testing/eventually';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestStack } from '../helpers/local-stack';
import { ANA, APPROVALS_CHANNEL as CHANNEL, RITA } from '../helpers/people';

/**
 * Slack refusing a Web API call in the middle of a request (a trigger id that expired on the way,
 * say) is answered with what to do, never a 500: the stand-in is told to fail the call.
 */
let stack: TestStack;
const lines: string[] = [];
const write = process.stdout.write;

beforeAll(async () => {
  stack = await TestStack.start({ environment: { LOG_LEVEL: 'warn' } });
  // The functions log to stdout; the tests read what they wrote.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  }) as typeof process.stdout.write;
});

afterAll(async () => {
  process.stdout.write = write;
  await stack?.stop();
});

function logged(message: string): Array<Record<string, unknown>> {
  return lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.message === message);
}

describe('a Web API call Slack refuses during a request', () => {
  it('answers /greenlight with a 200 that says to run it again when the form cannot open', async () => {
    stack.stack.slack.failMethod('views.open', 'expired_trigger_id');

    const answer = await stack.slashCommand('', { user: RITA, channel: CHANNEL });

    expect({ status: answer.status, body: answer.json() }).toEqual({
      status: 200,
      body: {
        response_type: 'ephemeral',
        text: ':hourglass: The form could not open in time; run `/greenlight` again.',
      },
    });
    expect(logged('slack_web_api_failed')).toContainEqual(
      expect.objectContaining({
        code: 'expired_trigger_id',
        requestId: expect.any(String),
        command: '/greenlight',
      }),
    );
    expect(stack.stack.slack.views().filter((view) => view.userId === RITA)).toEqual([]);
  });

  it('tells the approver to click Reject again when the confirmation form cannot open', async () => {
    const answer = await stack.slashCommand(`request "Rent a bigger office" <@${ANA}>`, {
      user: RITA,
      channel: CHANNEL,
    });
    const id = /`(GL-[0-9A-Z]{6})`/.exec((answer.json() as { text: string }).text)?.[1] ?? '';
    const message = await eventually(() =>
      stack.stack.slack.messages(CHANNEL).find((candidate) => candidate.text.includes(id)),
    );
    stack.stack.slack.failMethod('views.open', 'invalid_trigger_id');

    const clicked = await stack.clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_reject',
      value: id,
      user: ANA,
    });

    const told = await eventually(() =>
      stack.stack.slack
        .ephemerals(CHANNEL)
        .find((ephemeral) => ephemeral.user === ANA && ephemeral.text.includes('Reject again')),
    );
    expect({ status: clicked.status, told: told.text }).toEqual({
      status: 200,
      told: ':hourglass: The form could not open in time; click Reject again.',
    });
    expect(logged('slack_web_api_failed')).toContainEqual(
      expect.objectContaining({ code: 'invalid_trigger_id', approvalId: id, requestId: expect.any(String) }),
    );
  });
});
