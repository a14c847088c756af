import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type StepFunctionsServer, startStepFunctionsServer } from '../../src/stepfunctions';
import { localStepFunctionsClient } from '../helpers/aws-clients';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../fixtures/asl', `${name}.asl.json`), 'utf8');

class FlakyError extends Error {
  override name = 'FlakyError';
}

describe('StartSyncExecution on the local Step Functions endpoint', () => {
  let server: StepFunctionsServer;
  let sfn: SFNClient;
  const lambdaCalls: Array<{ functionName: string; payload: unknown }> = [];

  beforeAll(async () => {
    server = await startStepFunctionsServer({
      stateMachines: [
        { name: 'greeting', type: 'EXPRESS', definition: fixture('greeting') },
        { name: 'fail', type: 'EXPRESS', definition: fixture('fail') },
        { name: 'slow', type: 'EXPRESS', definition: fixture('slow') },
        { name: 'lambda-task', type: 'EXPRESS', definition: fixture('lambda-task') },
        { name: 'retry-catch', type: 'EXPRESS', definition: fixture('retry-catch') },
        { name: 'put-events', type: 'EXPRESS', definition: JSON.parse(fixture('put-events')) },
        { name: 'child', type: 'STANDARD', definition: fixture('child') },
      ],
      invokeLambda: async (functionName, payload) => {
        lambdaCalls.push({ functionName, payload });
        if (functionName === 'greenlight-flaky') throw new FlakyError('the database blinked');
        return { echoed: payload };
      },
      dynamodb: new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
    });
    sfn = localStepFunctionsClient(server.url);
  });

  afterAll(async () => {
    sfn.destroy();
    await server.close();
  });

  const runSync = (machine: string, input: unknown, name?: string) =>
    sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: server.stateMachineArn(machine),
        input: JSON.stringify(input),
        ...(name ? { name } : {}),
      }),
    );

  it('is out of reach of a client that keeps the SDK’s sync- host prefix, hence the README’s setting for the CLI', async () => {
    const prefixed = new SFNClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const call = prefixed.send(
      new StartSyncExecutionCommand({ stateMachineArn: server.stateMachineArn('greeting'), input: '{}' }),
    );

    await expect(call).rejects.toThrow(/sync-127\.0\.0\.1/);
    prefixed.destroy();
  });

  it('returns SUCCEEDED with the output built from the input and the Context Object', async () => {
    const result = await runSync('greeting', { name: 'Ada' }, 'greet-ada');

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? 'null')).toEqual({
      greeting: 'Hello, Ada!',
      executionName: 'greet-ada',
      executionInput: { name: 'Ada' },
      stateMachineName: 'greeting',
      stateName: 'Greet',
    });
    expect(result.executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:express:greeting:greet-ada:/);
    expect(result.stopDate?.getTime()).toBeGreaterThanOrEqual(result.startDate?.getTime() ?? Number.NaN);
    expect(result.billingDetails?.billedDurationInMilliseconds).toBeGreaterThan(0);
  });

  it('answers a failed run with HTTP 200, status FAILED and the Fail state error and cause', async () => {
    const result = await runSync('fail', {});

    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'Greenlight.NotAllowed',
      cause: 'requester may not approve',
    });
    expect(result.output).toBeUndefined();
  });

  it('answers TIMED_OUT when the state machine runs past its TimeoutSeconds', async () => {
    const result = await runSync('slow', {});

    expect(result.status).toBe('TIMED_OUT');
    expect(result.error).toBe('States.Timeout');
  });

  it('passes the Lambda payload through invokeLambda and returns the optimized integration output shape', async () => {
    lambdaCalls.length = 0;

    const result = await runSync('lambda-task', { approvalId: 'GL-7K3F9Q' });

    expect(lambdaCalls).toEqual([
      { functionName: 'greenlight-echo', payload: { approvalId: 'GL-7K3F9Q', state: 'Optimized' } },
      {
        functionName: 'arn:aws:lambda:us-east-1:000000000000:function:greenlight-echo',
        payload: { approvalId: 'GL-7K3F9Q' },
      },
    ]);
    const output = JSON.parse(result.output ?? 'null');
    expect(output.optimized).toMatchObject({
      ExecutedVersion: '$LATEST',
      StatusCode: 200,
      Payload: { echoed: { approvalId: 'GL-7K3F9Q', state: 'Optimized' } },
    });
    expect(output.optimized.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(output.byArn).toEqual({ echoed: { approvalId: 'GL-7K3F9Q' } });
  });

  it('retries a Lambda error named in Retry, then catches it with its error name and Lambda cause', async () => {
    lambdaCalls.length = 0;

    const result = await runSync('retry-catch', { attempt: 'x' });

    expect(lambdaCalls.filter((call) => call.functionName === 'greenlight-flaky')).toHaveLength(2);
    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output ?? 'null');
    expect(output.attempt).toBe('x');
    expect(output.failure.Error).toBe('FlakyError');
    expect(JSON.parse(output.failure.Cause)).toMatchObject({
      errorType: 'FlakyError',
      errorMessage: 'the database blinked',
    });
  });

  it('records events:putEvents entries with the Detail as JSON text', async () => {
    const result = await runSync('put-events', { approvalId: 'GL-7K3F9Q' });

    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output ?? 'null');
    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries).toEqual([{ EventId: expect.any(String) }]);
    const recorded = server.events().at(-1);
    expect(recorded).toMatchObject({
      Source: 'greenlight.approvals',
      DetailType: 'ApprovalDecided',
      EventBusName: 'greenlight-bus',
    });
    expect(JSON.parse(recorded?.Detail ?? 'null')).toEqual({ approvalId: 'GL-7K3F9Q', decision: 'APPROVED' });
  });

  it('refuses StartSyncExecution on a STANDARD state machine with StateMachineTypeNotSupported', async () => {
    await expect(runSync('child', { value: 1 })).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
  });

  it('refuses an unknown state machine with StateMachineDoesNotExist', async () => {
    await expect(runSync('no-such-machine', {})).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });

  it('refuses input that is not JSON with InvalidExecutionInput', async () => {
    const send = sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: server.stateMachineArn('greeting'),
        input: '{not json',
      }),
    );

    await expect(send).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
  });

  it('keeps EXPRESS executions and their history for the sandbox', async () => {
    const result = await runSync('greeting', { name: 'Grace' });

    const summary = server.executions().find((execution) => execution.executionArn === result.executionArn);
    expect(summary).toMatchObject({ type: 'EXPRESS', status: 'SUCCEEDED', stateMachineName: 'greeting' });
    expect(server.history(result.executionArn ?? '').map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });
});
