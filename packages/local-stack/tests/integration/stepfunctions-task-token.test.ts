import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type StepFunctionsServer, startStepFunctionsServer } from '../../src/stepfunctions';
import { localStepFunctionsClient } from '../helpers/aws-clients';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../fixtures/asl', `${name}.asl.json`), 'utf8');

describe('the task token callback pattern on the local Step Functions endpoint', () => {
  let server: StepFunctionsServer;
  let sfn: SFNClient;
  // The decision-request function hands each task token over to the test, by approval id.
  const issuedTokens = new Map<string, { promise: Promise<string>; resolve: (token: string) => void }>();
  const tokenSlot = (approvalId: string) => {
    let slot = issuedTokens.get(approvalId);
    if (slot === undefined) {
      let resolve: (token: string) => void = () => undefined;
      const promise = new Promise<string>((settle) => {
        resolve = settle;
      });
      slot = { promise, resolve };
      issuedTokens.set(approvalId, slot);
    }
    return slot;
  };
  const tokenFor = (approvalId: string): Promise<string> => tokenSlot(approvalId).promise;

  beforeAll(async () => {
    server = await startStepFunctionsServer({
      stateMachines: [
        { name: 'approval', type: 'STANDARD', definition: fixture('approval') },
        { name: 'heartbeat', type: 'STANDARD', definition: fixture('heartbeat') },
      ],
      invokeLambda: async (_functionName, payload) => {
        const { approvalId = 'heartbeat', taskToken } = payload as { approvalId?: string; taskToken: string };
        tokenSlot(approvalId).resolve(taskToken);
        return { stored: true };
      },
      dynamodb: new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
    });
    sfn = localStepFunctionsClient(server.url);
  });

  afterAll(async () => {
    sfn.destroy();
    await server.close();
  });

  const startApproval = async (approvalId: string, timeoutSeconds = 60) => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: server.stateMachineArn('approval'),
        name: approvalId,
        input: JSON.stringify({ approvalId, timeoutSeconds }),
      }),
    );
    return executionArn ?? '';
  };

  const settled = async (executionArn: string): Promise<DescribeExecutionCommandOutput> => {
    for (;;) {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (described.status !== 'RUNNING') return described;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('completes the task with the SendTaskSuccess output', async () => {
    const executionArn = await startApproval('GL-SUCCESS');
    const taskToken = await tokenFor('GL-SUCCESS');

    await sfn.send(
      new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ decision: 'APPROVED', by: 'U1' }) }),
    );
    const described = await settled(executionArn);

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({
      approvalId: 'GL-SUCCESS',
      timeoutSeconds: 60,
      decision: { decision: 'APPROVED', by: 'U1' },
    });
  });

  it('fails the task with the SendTaskFailure error and cause, which Catch can route', async () => {
    const executionArn = await startApproval('GL-REJECT');
    const taskToken = await tokenFor('GL-REJECT');

    await sfn.send(
      new SendTaskFailureCommand({ taskToken, error: 'Greenlight.Rejected', cause: 'not this quarter' }),
    );
    const described = await settled(executionArn);

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({ status: 'REJECTED', cause: 'not this quarter' });
  });

  it('raises States.Timeout when no callback arrives within TimeoutSecondsPath', async () => {
    const executionArn = await startApproval('GL-EXPIRE', 1);
    await tokenFor('GL-EXPIRE');

    const described = await settled(executionArn);

    expect(JSON.parse(described.output ?? 'null')).toEqual({ status: 'EXPIRED', error: 'States.Timeout' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(
      history.events?.find((event) => event.type === 'TaskTimedOut')?.taskTimedOutEventDetails?.error,
    ).toBe('States.Timeout');
  });

  it('answers TaskTimedOut to a callback with the token of a task that timed out', async () => {
    const executionArn = await startApproval('GL-LATE', 1);
    const taskToken = await tokenFor('GL-LATE');
    await settled(executionArn);

    const late = sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));

    await expect(late).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('lets exactly one of two simultaneous callbacks decide and answers TaskTimedOut to the other', async () => {
    const executionArn = await startApproval('GL-TWICE');
    const taskToken = await tokenFor('GL-TWICE');

    const outcomes = await Promise.allSettled([
      sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"decision":"APPROVED"}' })),
      sfn.send(new SendTaskFailureCommand({ taskToken, error: 'Greenlight.Rejected' })),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({ name: 'TaskTimedOut' });
    expect((await settled(executionArn)).status).toBe('SUCCEEDED');
  });

  it('answers TaskDoesNotExist to a well-formed token it never issued', async () => {
    const unknown = Buffer.from('greenlight-local-sfn:v1:00000000-0000-4000-8000-000000000000').toString(
      'base64url',
    );

    const send = sfn.send(new SendTaskSuccessCommand({ taskToken: unknown, output: '{}' }));

    await expect(send).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });

  it('answers InvalidToken to a garbled token', async () => {
    const send = sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'not a token!' }));

    await expect(send).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('answers InvalidOutput to SendTaskSuccess with output that is not JSON, and keeps the task open', async () => {
    const executionArn = await startApproval('GL-BADOUTPUT');
    const taskToken = await tokenFor('GL-BADOUTPUT');

    const send = sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{oops' }));

    await expect(send).rejects.toMatchObject({ name: 'InvalidOutput' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '"APPROVED"' }));
    expect(JSON.parse((await settled(executionArn)).output ?? 'null').decision).toBe('APPROVED');
  });

  it('fails the task with States.HeartbeatTimeout when heartbeats stop', async () => {
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: server.stateMachineArn('heartbeat'), input: '{}' }),
    );
    await tokenFor('heartbeat');

    const described = await settled(executionArn);

    expect(described).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });
});
