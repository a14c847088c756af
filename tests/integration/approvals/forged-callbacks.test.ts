import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { localStepFunctionsClient } from '@greenlight/local-stack/testing/aws-clients';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { ANA, APPROVALS_CHANNEL as CHANNEL, RITA, useTestStack } from '../../helpers/people';

/**
 * The issue "The record is the only authority": a task token read from the execution history and
 * sent straight to Step Functions (no button, no link, no API) decides nothing.
 */
const useStack = useTestStack();

const sfnApi = () => localStepFunctionsClient(useStack().endpoints.stepfunctions);
const local = () => useStack().stack;

function executionOf(id: string) {
  return local()
    .stepFunctions.executions()
    .find((candidate) => candidate.stateMachineName === 'ApprovalStateMachine' && candidate.name === id);
}

/** Every task token the workflow has handed its first task, read as anyone with GetExecutionHistory can. */
async function tokensInHistory(id: string): Promise<string[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfnApi().send(
      new GetExecutionHistoryCommand({ executionArn: executionOf(id)?.executionArn ?? '', nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events
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
}

async function armedTokens(id: string, count: number): Promise<string[]> {
  return eventually(
    async () => {
      const tokens = await tokensInHistory(id);
      return tokens.length >= count ? tokens : undefined;
    },
    { what: `${count} armed waits for ${id}` },
  );
}

function refusals(id: string) {
  return local()
    .stepFunctions.events()
    .filter((event) => event.DetailType === 'Greenlight Callback Refused' && event.Detail?.includes(id));
}

async function record(id: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await DynamoDBDocumentClient.from(local().dynamodb.client).send(
    new GetCommand({ TableName: 'ApprovalsTable', Key: { pk: id }, ConsistentRead: true }),
  );
  return Item;
}

function mailsAbout(id: string) {
  return local()
    .ses.outbox()
    .filter((mail) => mail.subject.includes(id));
}

function approvalMessages(id: string) {
  return local()
    .slack.messages(CHANNEL)
    .filter((message) => message.text.includes(id));
}

describe('a task token used directly, outside Greenlight', () => {
  it('decides nothing: the record stays PENDING, the workflow waits again, and a real approval still ends it', async () => {
    const answer = await useStack().slashCommand(`request "Forge me" <@${ANA}> --email`, {
      user: RITA,
      channel: CHANNEL,
    });
    const id = /GL-[0-9A-Z]{6}/.exec(answer.text)?.[0] ?? '';
    await eventually(() => approvalMessages(id)[0], { what: 'the approval message' });
    await eventually(() => (mailsAbout(id).length > 0 ? true : undefined), { what: "Ana's e-mail" });
    const [first = ''] = await armedTokens(id, 1);

    // A forged approval, exactly the shape Greenlight's own callback sends.
    await sfnApi().send(
      new SendTaskSuccessCommand({
        taskToken: first,
        output: JSON.stringify({ status: 'APPROVED', decider: ANA, decidedAt: new Date().toISOString() }),
      }),
    );
    const [, second = ''] = await armedTokens(id, 2);
    expect(second).not.toBe(first);
    const refused = await eventually(() => refusals(id)[0], { what: 'the refusal event' });
    expect(JSON.parse(refused.Detail ?? '{}')).toEqual({
      approvalId: id,
      execution: executionOf(id)?.executionArn,
      mismatch: { claimed: { status: 'APPROVED', decider: ANA }, record: { status: 'PENDING' } },
      rearms: 1,
      action: 'rearm',
    });
    expect(refused.Detail).not.toContain(first);

    // The old token is dead, as on AWS; a forged rejection with the fresh one is refused too.
    await expect(
      sfnApi().send(new SendTaskFailureCommand({ taskToken: first, error: 'Greenlight.Rejected' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await sfnApi().send(
      new SendTaskFailureCommand({
        taskToken: second,
        error: 'Greenlight.Rejected',
        cause: JSON.stringify({ status: 'REJECTED', decider: ANA }),
      }),
    );
    await armedTokens(id, 3);
    await eventually(() => (refusals(id).length === 2 ? true : undefined), { what: 'the second refusal' });

    expect(executionOf(id)?.status).toBe('RUNNING');
    // Still pending, and holding only the token of the wait now armed.
    const [, , third] = await tokensInHistory(id);
    const stored = await eventually(
      async () => {
        const current = await record(id);
        return current?.taskToken === third ? current : undefined;
      },
      { what: 'the fresh token on the record' },
    );
    expect(stored.status).toBe('PENDING');
    // Re-arming updated the one message; it posted no second one and kept the buttons.
    const messages = approvalMessages(id);
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0]?.blocks)).toContain('approval_approve');
    // Nor did it mail Ana again.
    expect(mailsAbout(id)).toHaveLength(1);

    // The real approver still decides, end to end.
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: messages[0]?.ts ?? '',
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    const done = await eventually(
      () => {
        const found = executionOf(id);
        return found?.status === 'RUNNING' ? undefined : found;
      },
      { what: 'the workflow to end' },
    );
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toEqual(
      expect.objectContaining({ status: 'APPROVED', decider: ANA, via: 'slack' }),
    );
    const updated = approvalMessages(id)[0];
    expect(JSON.stringify(updated?.blocks)).toContain(`Approved* by <@${ANA}>`);
    const told = await eventually(() =>
      local()
        .slack.thread(CHANNEL, updated?.ts ?? '')
        .slice(1)
        .find((entry) => entry.text.includes(`<@${RITA}> your request`)),
    );
    expect(told.text).toContain(id);
    expect(
      // The decided event comes from the announce code (through EventBridge), not from the workflow.
      local()
        .eventBridge.events()
        .filter((event) => event.DetailType === 'Greenlight Approval Decided' && event.Detail?.includes(id)),
    ).toHaveLength(1);
  });

  it('withdraws the request, with the reason recorded, after a few refused callbacks in a row', async () => {
    const answer = await useStack().slashCommand(`request "Forge me often" <@${ANA}>`, {
      user: RITA,
      channel: CHANNEL,
    });
    const id = /GL-[0-9A-Z]{6}/.exec(answer.text)?.[0] ?? '';
    for (let armed = 1; executionOf(id)?.status !== 'SUCCEEDED'; armed += 1) {
      const tokens = await eventually(
        async () => {
          if (executionOf(id)?.status === 'SUCCEEDED') return [];
          const all = await tokensInHistory(id);
          return all.length >= armed ? all : undefined;
        },
        { what: `wait number ${armed}` },
      );
      const token = tokens[armed - 1];
      if (token === undefined) break;
      await sfnApi().send(new SendTaskSuccessCommand({ taskToken: token, output: '{"status":"APPROVED"}' }));
      expect(armed).toBeLessThanOrEqual(4);
    }
    const done = executionOf(id);
    expect(JSON.parse(done?.output ?? '{}')).toEqual(
      expect.objectContaining({
        status: 'CANCELLED',
        via: 'system',
        comment: expect.stringContaining('after 4 callbacks that the record did not back'),
      }),
    );
    expect(refusals(id).map((event) => JSON.parse(event.Detail ?? '{}').action)).toEqual([
      'rearm',
      'rearm',
      'rearm',
      'give-up',
    ]);
  });
});
