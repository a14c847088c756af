import { GetExecutionHistoryCommand, type HistoryEvent, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { localStepFunctionsClient } from '@greenlight/local-stack/testing/aws-clients';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { templateWithRefusedCallbackEvent } from '../../helpers/derived-templates';
import { ANA, APPROVALS_CHANNEL as CHANNEL, RITA, useTestStack } from '../../helpers/people';

/**
 * Issue 12: the approval workflow's "Greenlight Callback Refused" event has a dead-letter path. When
 * EventBridge will not take it (here: an entry it refuses, so the put fails with
 * EventBridge.FailedEntry, as Step Functions' optimized integration fails on AWS), the event goes to
 * the app's dead-letter queue with the error, and the request stays decidable.
 */
const useStack = useTestStack({ templatePath: templateWithRefusedCallbackEvent() });
const local = () => useStack().stack;
const sfnApi = () => localStepFunctionsClient(useStack().endpoints.stepfunctions);

function executionOf(id: string) {
  return local()
    .stepFunctions.executions()
    .find((candidate) => candidate.stateMachineName === 'ApprovalStateMachine' && candidate.name === id);
}

async function armedTokens(id: string, count: number): Promise<string[]> {
  return eventually(
    async () => {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfnApi().send(
          new GetExecutionHistoryCommand({ executionArn: executionOf(id)?.executionArn ?? '', nextToken }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const tokens = events
        .filter((event) => event.type === 'TaskScheduled')
        .map(
          (event) =>
            (
              JSON.parse(event.taskScheduledEventDetails?.parameters ?? '{}') as {
                Payload?: { taskToken?: string };
              }
            ).Payload?.taskToken,
        )
        .filter((token): token is string => typeof token === 'string');
      return tokens.length >= count ? tokens : undefined;
    },
    { what: `${count} armed waits for ${id}` },
  );
}

describe('a refusal event EventBridge will not take', () => {
  it('goes to the dead-letter queue with the error, and the workflow waits again', async () => {
    const answer = await useStack().slashCommand(`request "Park me" <@${ANA}>`, {
      user: RITA,
      channel: CHANNEL,
    });
    const id = /GL-[0-9A-Z]{6}/.exec(answer.text)?.[0] ?? '';
    const [first = ''] = await armedTokens(id, 1);

    await sfnApi().send(
      new SendTaskSuccessCommand({
        taskToken: first,
        output: JSON.stringify({ status: 'APPROVED', decider: ANA, decidedAt: new Date().toISOString() }),
      }),
    );

    // The put is retried first: the message comes once the retry fails too.
    const parked = await eventually(
      () =>
        local()
          .stepFunctions.queuedMessages()
          .find((message) => message.body.includes(id)),
      { what: 'the parked refusal event', timeoutMs: 20_000 },
    );
    // The local Ref of the template's DeadLetterQueue: its URL.
    expect(parked.queueUrl).toMatch(/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/\d{12}\/DeadLetterQueue$/);
    expect(JSON.parse(parked.body)).toEqual({
      kind: 'Greenlight Callback Refused',
      approvalId: id,
      execution: executionOf(id)?.executionArn,
      mismatch: { claimed: { status: 'APPROVED', decider: ANA }, record: { status: 'PENDING' } },
      rearms: 1,
      action: 'rearm',
      error: 'EventBridge.FailedEntry',
      cause: expect.stringContaining('Parameter Source is not valid.'),
    });
    expect(parked.body).not.toContain(first);
    expect(
      local()
        .stepFunctions.events()
        .filter((event) => event.DetailType === 'Greenlight Callback Refused'),
    ).toEqual([]);

    // The request is still decidable: the workflow armed a fresh wait.
    const [, second] = await armedTokens(id, 2);
    expect(second).not.toBe(first);
    expect(executionOf(id)?.status).toBe('RUNNING');
  }, 60_000);
});
