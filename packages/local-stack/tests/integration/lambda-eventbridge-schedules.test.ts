import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalStack } from '../../src/stack';
import { receivedEvents } from '../fixtures/template/async-handler';
import { TEST_CREDENTIALS } from '../helpers/aws-clients';
import { eventually } from '../helpers/eventually';
import { startFixtureStack } from '../helpers/fixture-stack';

/**
 * The local stack's Lambda Invoke API, EventBridge PutEvents and schedules, driven by the fixture
 * template through the real SDK clients (which the product reaches through AWS_ENDPOINT_URL_*).
 */
const decoder = new TextDecoder();
const payloadOf = (bytes: Uint8Array | undefined) => JSON.parse(decoder.decode(bytes ?? new Uint8Array()));
const eventsWith = (marker: string) =>
  receivedEvents().filter((event) => (event as { marker?: string }).marker === marker);

describe('the Lambda Invoke API', () => {
  let stack: LocalStack;
  let lambda: LambdaClient;

  beforeAll(async () => {
    stack = await startFixtureStack({ asyncRetryDelaysMs: [10, 10], schedules: { enabled: false } });
    lambda = new LambdaClient({
      endpoint: stack.endpoints.lambda,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
  });

  afterAll(async () => {
    lambda.destroy();
    await stack.stop();
  });

  it("answers a RequestResponse invocation with the handler's result", async () => {
    const answer = await lambda.send(
      new InvokeCommand({ FunctionName: 'TaskFunction', Payload: JSON.stringify({ name: 'ana' }) }),
    );
    expect({
      status: answer.StatusCode,
      error: answer.FunctionError,
      payload: payloadOf(answer.Payload),
    }).toEqual({
      status: 200,
      error: undefined,
      payload: { greeting: 'hello ana', table: 'ThingsTable' },
    });
  });

  it('reports a thrown error as an Unhandled function error, with its type and message', async () => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'TaskFunction', Payload: '{}' }));
    expect({ error: answer.FunctionError, payload: payloadOf(answer.Payload) }).toEqual({
      error: 'Unhandled',
      payload: { errorType: 'NameMissing', errorMessage: 'name is required' },
    });
  });

  it('refuses a function the template does not declare with ResourceNotFoundException', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'NoSuchFunction' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('accepts an Event invocation with 202 and runs the handler afterwards', async () => {
    const answer = await lambda.send(
      new InvokeCommand({
        FunctionName: stack.runtime.functionArn('AsyncFunction'),
        InvocationType: 'Event',
        Payload: JSON.stringify({ marker: 'async-ok' }),
      }),
    );
    expect(answer.StatusCode).toBe(202);
    await eventually(() => (eventsWith('async-ok').length === 1 ? true : undefined), { what: 'the event' });
  });

  it("retries a failing Event invocation as the template's EventInvokeConfig says, then dead-letters it", async () => {
    await lambda.send(
      new InvokeCommand({
        FunctionName: 'AsyncFunction',
        InvocationType: 'Event',
        Payload: JSON.stringify({ marker: 'async-fail', fail: true }),
      }),
    );
    const dead = await eventually(
      () => stack.lambda.deadLetters().find((letter) => letter.functionName === 'AsyncFunction'),
      {
        what: 'the dead letter',
      },
    );
    expect({ attempts: eventsWith('async-fail').length, dead }).toEqual({
      attempts: 2,
      dead: expect.objectContaining({
        destination: 'arn:aws:sqs:us-east-1:000000000000:AsyncDeadLetters',
        event: { marker: 'async-fail', fail: true },
        error: { errorType: 'AskedToFail', errorMessage: 'asked to fail' },
        attempts: 2,
      }),
    });
  });
});

describe('schedules and EventBridge', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startFixtureStack({ schedules: { everyMs: 30 } });
  });

  afterAll(async () => {
    await stack.stop();
  });

  it("invokes a schedule's target function with the target's Input, again and again", async () => {
    await eventually(
      () =>
        receivedEvents().filter((event) => (event as { source?: string }).source === 'schedule').length >= 2
          ? true
          : undefined,
      { what: 'two scheduled runs' },
    );
    expect(stack.schedules.fired().EveryMinute).toBeGreaterThanOrEqual(2);
  });

  it('keeps what PutEvents is given and refuses a malformed entry in its result', async () => {
    const events = new EventBridgeClient({
      endpoint: stack.endpoints.eventBridge,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
    const answer = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'bus', Source: 'test', DetailType: 'Thing Happened', Detail: '{"n":1}' },
          { Source: 'test', DetailType: 'Thing Happened', Detail: 'not json' },
        ],
      }),
    );
    events.destroy();
    expect({
      failed: answer.FailedEntryCount,
      codes: answer.Entries?.map((entry) => entry.ErrorCode ?? 'ok'),
      kept: stack.eventBridge.events().map(({ time: _time, ...event }) => event),
    }).toEqual({
      failed: 1,
      codes: ['ok', 'InvalidArgument'],
      kept: [{ EventBusName: 'bus', Source: 'test', DetailType: 'Thing Happened', Detail: '{"n":1}' }],
    });
  });
});
