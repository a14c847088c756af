import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type StepFunctionsServer, startStepFunctionsServer } from '../../src/stepfunctions';
import { localStepFunctionsClient } from '../helpers/aws-clients';

/**
 * AWS: "States.ALL … can't catch the States.DataLimitExceeded terminal error or Runtime error types",
 * and a States.Runtime error is never retried and always fails the execution. The approval workflow
 * relies on it: a bad TimeoutSecondsPath must fail the run (and show in the alarms), not be swallowed
 * by a catch-all that ends it cleanly while the record stays PENDING.
 */
const lambdaTask = (extra: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: 'tasks', 'Payload.$': '$' },
  TimeoutSecondsPath: '$.timeout',
  ResultPath: '$.result',
  Next: 'Done',
  ...extra,
});

const machine = (task: Record<string, unknown>) =>
  JSON.stringify({
    StartAt: 'Work',
    States: {
      Work: task,
      Caught: { Type: 'Pass', Result: 'caught', End: true },
      Done: { Type: 'Pass', Result: 'done', End: true },
    },
  });

describe('a States.Runtime error on the local Step Functions endpoint', () => {
  let server: StepFunctionsServer;
  let sfn: SFNClient;
  const invocations: unknown[] = [];

  beforeAll(async () => {
    server = await startStepFunctionsServer({
      stateMachines: [
        {
          name: 'catch-all',
          type: 'EXPRESS',
          definition: machine(lambdaTask({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] })),
        },
        {
          name: 'retry-all',
          type: 'EXPRESS',
          definition: machine(
            lambdaTask({
              Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }],
              Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
            }),
          ),
        },
        {
          name: 'catch-by-name',
          type: 'EXPRESS',
          definition: machine(lambdaTask({ Catch: [{ ErrorEquals: ['States.Runtime'], Next: 'Caught' }] })),
        },
      ],
      invokeLambda: (_name, payload) => {
        invocations.push(payload);
        return (payload as { fail?: boolean }).fail
          ? Promise.reject(new Error('the function failed'))
          : Promise.resolve({ ok: true });
      },
      dynamodb: new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
    });
    sfn = localStepFunctionsClient(server.url);
  });

  afterAll(async () => {
    sfn.destroy();
    await server.close();
  });

  const run = async (name: string, input: unknown) => {
    const { status, error, cause, output } = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: server.stateMachineArn(name),
        input: JSON.stringify(input),
      }),
    );
    return { status, error, cause, output };
  };

  test.each([0, -5, 1.5, '60', null])(
    'fails the execution despite a States.ALL catcher when TimeoutSecondsPath gives %j',
    async (timeout) => {
      const result = await run('catch-all', { timeout });
      expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(result.cause).toContain('TimeoutSecondsPath');
    },
  );

  test('is not retried by a States.ALL retrier', async () => {
    const before = invocations.length;
    const result = await run('retry-all', { timeout: 0 });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(invocations.length).toBe(before);
  });

  test('is not caught even by a catcher that names it', async () => {
    const result = await run('catch-by-name', { timeout: -1 });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  test('leaves a valid TimeoutSecondsPath to run the task as before', async () => {
    const result = await run('catch-all', { timeout: 60 });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '"done"' });
  });

  test('leaves an ordinary task failure to the States.ALL catcher', async () => {
    const result = await run('catch-all', { timeout: 60, fail: true });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '"caught"' });
  });
});
