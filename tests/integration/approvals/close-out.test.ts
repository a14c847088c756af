import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localStepFunctionsClient, TEST_CREDENTIALS } from '@greenlight/local-stack/testing/aws-clients';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf, requestApproval } from '../../helpers/approval-requests';
import type { TestStack } from '../../helpers/local-stack';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, RITA, useTestStack } from '../../helpers/people';

/**
 * "Nothing lost when a process dies", the product's half: a decision whose workflow can no longer
 * take it still closes out, and the sweep finishes what nobody will. The schedule is off here so
 * each test runs the sweep itself, through the real function behind the local Lambda API.
 */
const useStack = useTestStack({
  schedules: { enabled: false },
  // The sweep would otherwise leave anything decided or expired in the last two minutes alone.
  environment: { SWEEP_GRACE_SECONDS: '0' },
});

const documents = () => DynamoDBDocumentClient.from(useStack().stack.dynamodb.client);

async function record(id: string) {
  const { Item } = await documents().send(new GetCommand({ TableName: 'ApprovalsTable', Key: { pk: id } }));
  return Item ?? {};
}

async function inboxItems(id: string) {
  const found = await Promise.all(
    [ANA, OMAR].map((approver) =>
      documents().send(new GetCommand({ TableName: 'ApprovalsTable', Key: { pk: `${id}#${approver}` } })),
    ),
  );
  return found.flatMap(({ Item }) => (Item ? [Item.pk] : []));
}

function approvalExecution(stack: TestStack, id: string) {
  const found = stack.stack.stepFunctions
    .executions()
    .find((candidate) => candidate.stateMachineName === 'ApprovalStateMachine' && candidate.name === id);
  if (found === undefined) throw new Error(`no approval execution ${id}`);
  return found;
}

/** What an operator does from the console: StopExecution on the request's approval execution. */
async function stopExecution(id: string) {
  const sfn = localStepFunctionsClient(useStack().endpoints.stepfunctions);
  await sfn.send(new StopExecutionCommand({ executionArn: approvalExecution(useStack(), id).executionArn }));
  sfn.destroy();
  expect(approvalExecution(useStack(), id).status).toBe('ABORTED');
}

const decidedEvents = (id: string) =>
  useStack()
    .stack.eventBridge.events()
    .filter(
      (event) => event.DetailType === 'Greenlight Approval Decided' && event.Detail?.includes(`"${id}"`),
    )
    .map((event) => JSON.parse(event.Detail ?? '{}') as Record<string, unknown>);

const currentMessage = (ts: string) =>
  useStack()
    .stack.slack.messages(CHANNEL)
    .find((candidate) => candidate.ts === ts);

const threadReplies = (ts: string) => useStack().stack.slack.thread(CHANNEL, ts).slice(1);

/** The close-out function's sweep, invoked as the schedule invokes it, but synchronously to read its report. */
async function sweep() {
  const lambda = new LambdaClient({
    endpoint: useStack().endpoints.lambda,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
  const answer = await lambda.send(
    new InvokeCommand({ FunctionName: 'CloseOutFunction', Payload: JSON.stringify({ task: 'sweep' }) }),
  );
  lambda.destroy();
  expect(answer.FunctionError).toBeUndefined();
  return JSON.parse(new TextDecoder().decode(answer.Payload)) as Record<string, number>;
}

/** Until the request leaves the sparse index: its close-out has run every step. */
async function settled(id: string) {
  return eventually(
    async () => {
      const item = await record(id);
      return item.unsettled === undefined && item.status !== 'PENDING' ? item : undefined;
    },
    { what: `${id} to be closed out` },
  );
}

describe('a decision on a request whose execution an operator stopped', () => {
  it('closes out in the product: message redrawn, requester told once, inbox clean, event emitted once', async () => {
    const { id, message } = await requestApproval(useStack(), `"Stopped deploy" <@${ANA}> <@${OMAR}>`);
    expect(await inboxItems(id)).toHaveLength(2);
    await stopExecution(id);

    const clicked = await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    expect(clicked.status).toBe(200);

    const item = await settled(id);
    const updated = currentMessage(message.ts);
    expect({
      status: item.status,
      announcedAt: item.announcedAt,
      publishedAt: item.publishedAt,
      taskToken: item.taskToken,
      buttons: buttonsOf(updated),
      decidedLine: JSON.stringify(updated?.blocks).includes(`Approved* by <@${ANA}>`),
      told: threadReplies(message.ts).map((reply) => reply.text),
      inbox: await inboxItems(id),
      events: decidedEvents(id),
    }).toEqual({
      status: 'APPROVED',
      announcedAt: expect.any(String),
      publishedAt: expect.any(String),
      taskToken: undefined,
      buttons: [],
      decidedLine: true,
      told: [expect.stringContaining(`<@${RITA}> your request`)],
      inbox: [],
      events: [expect.objectContaining({ id, status: 'APPROVED', decider: ANA, via: 'slack' })],
    });
  });

  it('leaves nothing for the sweep afterwards: a second close-out announces nothing twice', async () => {
    const { id, message } = await requestApproval(useStack(), `"Stopped twice" <@${ANA}>`);
    await stopExecution(id);
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    await settled(id);

    const report = await sweep();

    expect({ report, told: threadReplies(message.ts).length, events: decidedEvents(id).length }).toEqual({
      report: expect.objectContaining({ announced: 0, expired: 0, failed: 0 }),
      told: 1,
      events: 1,
    });
  });
});

describe('a cancel of a request whose execution an operator stopped', () => {
  it('closes out too: message redrawn as cancelled, inbox clean, event emitted once', async () => {
    const { id, message } = await requestApproval(useStack(), `"Stopped, then withdrawn" <@${ANA}>`);
    await stopExecution(id);

    const answer = await useStack().slashCommand(`cancel ${id}`, { user: RITA, channel: CHANNEL });
    expect(answer.status).toBe(200);

    const item = await settled(id);
    expect({
      status: item.status,
      buttons: buttonsOf(currentMessage(message.ts)),
      inbox: await inboxItems(id),
      events: decidedEvents(id).map((event) => [event.status, event.decider]),
    }).toEqual({ status: 'CANCELLED', buttons: [], inbox: [], events: [['CANCELLED', RITA]] });
  });
});

describe('the sweep, through the close-out function', () => {
  it('announces a request decided in the record whose close-out never ran (the process died after the write)', async () => {
    const { id, message } = await requestApproval(useStack(), `"Crashed after the write" <@${ANA}>`);
    await stopExecution(id);
    // The deciding write, as decide() makes it, and then nothing: no callback, no hand-off.
    await documents().send(
      new UpdateCommand({
        TableName: 'ApprovalsTable',
        Key: { pk: id },
        UpdateExpression:
          'SET #status = :approved, decider = :ana, decidedAt = :at, decidedVia = :via REMOVE openRequester',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':approved': 'APPROVED',
          ':ana': ANA,
          ':at': new Date().toISOString(),
          ':via': 'slack',
        },
      }),
    );

    const report = await sweep();

    const item = await record(id);
    expect({
      report,
      unsettled: item.unsettled,
      announcedAt: item.announcedAt,
      buttons: buttonsOf(currentMessage(message.ts)),
      told: threadReplies(message.ts).length,
      events: decidedEvents(id).map((event) => event.status),
    }).toEqual({
      report: expect.objectContaining({ announced: 1, failed: 0 }),
      unsettled: undefined,
      announcedAt: expect.any(String),
      buttons: [],
      told: 1,
      events: ['APPROVED'],
    });
  });

  it('expires a request pending past its expiry whose execution no longer runs', async () => {
    const { id, message } = await requestApproval(useStack(), `"Nobody came" <@${ANA}>`);
    await stopExecution(id);
    // Time passes: the request's expiry is behind us, and no workflow is left to notice.
    const past = new Date(Date.now() - 60_000);
    await documents().send(
      new UpdateCommand({
        TableName: 'ApprovalsTable',
        Key: { pk: id },
        UpdateExpression: 'SET expiresAt = :at, expiresAtEpoch = :epoch',
        ExpressionAttributeValues: { ':at': past.toISOString(), ':epoch': Math.floor(past.getTime() / 1000) },
      }),
    );

    const report = await sweep();

    const item = await record(id);
    expect({
      report,
      status: item.status,
      via: item.decidedVia,
      unsettled: item.unsettled,
      expiredLine: JSON.stringify(currentMessage(message.ts)?.blocks).includes('Expired* with no decision'),
      inbox: await inboxItems(id),
      events: decidedEvents(id).map((event) => event.status),
    }).toEqual({
      report: expect.objectContaining({ expired: 1, failed: 0 }),
      status: 'EXPIRED',
      via: 'timeout',
      unsettled: undefined,
      expiredLine: true,
      inbox: [],
      events: ['EXPIRED'],
    });
  });

  it('leaves alone a request still pending, past its expiry or not, while its execution runs', async () => {
    const { id } = await requestApproval(useStack(), `"Still waiting" <@${ANA}>`);
    const past = new Date(Date.now() - 60_000);
    await documents().send(
      new UpdateCommand({
        TableName: 'ApprovalsTable',
        Key: { pk: id },
        UpdateExpression: 'SET expiresAt = :at',
        ExpressionAttributeValues: { ':at': past.toISOString() },
      }),
    );

    await sweep();

    const item = await record(id);
    expect({
      status: item.status,
      unsettled: item.unsettled,
      running: approvalExecution(useStack(), id).status,
    }).toEqual({
      status: 'PENDING',
      unsettled: 'open',
      running: 'RUNNING',
    });
  });
});
