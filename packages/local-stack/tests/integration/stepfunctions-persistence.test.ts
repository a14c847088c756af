import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type StepFunctionsServer, startStepFunctionsServer } from '../../src/stepfunctions';
import { localStepFunctionsClient } from '../helpers/aws-clients';
import { eventually } from '../helpers/eventually';

/** Waits for a callback, up to TimeoutSecondsPath; a timeout is caught and becomes the output. */
const CALLBACK = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'ask', Payload: { 'token.$': '$$.Task.Token', 'who.$': '$.who' } },
      TimeoutSecondsPath: '$.timeoutSeconds',
      ResultPath: '$.answer',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Expired' }],
      Next: 'Done',
    },
    Expired: { Type: 'Pass', Result: 'expired', ResultPath: '$.outcome', Next: 'Done' },
    Done: { Type: 'Pass', End: true },
  },
};
/** Any failure of the waiting task runs a clean-up task: which a mere stop of the endpoint must not. */
const CLEANUP = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'ask', Payload: { 'token.$': '$$.Task.Token', who: 'omar' } },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'CleanUp' }],
      End: true,
    },
    CleanUp: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'cleanup', Payload: { token: 'none', who: 'cleanup' } },
      End: true,
    },
  },
};
const WAIT = {
  StartAt: 'Pause',
  States: {
    Pause: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'After' },
    After: { Type: 'Pass', Result: 'woke', ResultPath: '$.outcome', End: true },
  },
};

describe('the local Step Functions endpoint in persistent mode', () => {
  let dataDir: string;
  let server: StepFunctionsServer | undefined;
  let port = 0;
  const invocations: Array<{ token: string; who: string }> = [];

  const start = async () => {
    server = await startStepFunctionsServer({
      port,
      dataDir,
      stateMachines: [
        { name: 'callback', type: 'STANDARD', definition: CALLBACK },
        { name: 'wait', type: 'STANDARD', definition: WAIT },
        { name: 'cleanup', type: 'STANDARD', definition: CLEANUP },
      ],
      invokeLambda: async (_name, payload) => {
        invocations.push(payload as { token: string; who: string });
        return { asked: true };
      },
      dynamodb: new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
    });
    port = server.port;
    return { server, sfn: localStepFunctionsClient(server.url) };
  };
  const restart = async () => {
    await server?.close();
    const started = await start();
    const resumedAt = Date.now();
    return { ...started, resumedAt, resumed: started.server.resumeExecutions() };
  };
  const history = async (sfn: ReturnType<typeof localStepFunctionsClient>, executionArn: string) =>
    (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
  const finished = (sfn: ReturnType<typeof localStepFunctionsClient>, executionArn: string) =>
    eventually(
      async () => {
        const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return described.status === 'RUNNING' ? undefined : described;
      },
      { what: 'the execution to finish', timeoutMs: 15_000 },
    );
  const timeOf = (events: HistoryEvent[], type: string) =>
    events.find((event) => event.type === type)?.timestamp?.getTime() ?? Number.NaN;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'greenlight-sfn-data-'));
    port = 0;
    invocations.length = 0;
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startWaiting(sfn: ReturnType<typeof localStepFunctionsClient>, timeoutSeconds: number) {
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: server?.stateMachineArn('callback'),
        name: `ask-${timeoutSeconds}`,
        input: JSON.stringify({ who: 'ana', timeoutSeconds }),
      }),
    );
    await eventually(async () =>
      (await history(sfn, executionArn)).some((event) => event.type === 'TaskSubmitted') ? true : undefined,
    );
    return executionArn;
  }

  it('resumes a waiting task after a restart: same token, the task not run again, its history continued', async () => {
    const first = await start();
    const executionArn = await startWaiting(first.sfn, 3600);
    const before = await history(first.sfn, executionArn);

    const { sfn, resumed } = await restart();
    expect(resumed).toBe(1);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: invocations[0]?.token ?? '', output: '{"approved":true}' }),
    );

    const done = await finished(sfn, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toEqual({
      who: 'ana',
      timeoutSeconds: 3600,
      answer: { approved: true },
    });
    expect(invocations).toHaveLength(1);
    const after = await history(sfn, executionArn);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(after.map((event) => event.id)).toEqual(after.map((_event, index) => index + 1));
  });

  it('times a resumed task out at its original deadline: at once when it passed while the stack was down', async () => {
    const first = await start();
    const executionArn = await startWaiting(first.sfn, 2);
    await server?.close();
    server = undefined;
    await new Promise((resolve) => setTimeout(resolve, 2_200));

    const { sfn, resumedAt } = await restart();
    const done = await finished(sfn, executionArn);
    expect(JSON.parse(done.output ?? '{}')).toEqual(expect.objectContaining({ outcome: 'expired' }));
    const events = await history(sfn, executionArn);
    // Not before its deadline; and a fresh 2 s timeout, counted from the resume, would end after resumedAt + 2 s.
    expect(timeOf(events, 'TaskTimedOut')).toBeGreaterThanOrEqual(timeOf(events, 'TaskScheduled') + 2_000);
    expect(timeOf(events, 'TaskTimedOut')).toBeLessThan(resumedAt + 2_000);
    expect(invocations).toHaveLength(1);
  });

  it('ends a resumed Wait state at its original deadline, not a full wait from the restart', async () => {
    const first = await start();
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: server?.stateMachineArn('wait'), input: '{"seconds":4}' }),
    );
    await eventually(async () =>
      (await history(first.sfn, executionArn)).some((event) => event.type === 'WaitStateEntered')
        ? true
        : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const { sfn, resumed, resumedAt } = await restart();
    expect(resumed).toBe(1);
    const done = await finished(sfn, executionArn);
    expect(JSON.parse(done.output ?? '{}')).toEqual({ seconds: 4, outcome: 'woke' });
    const events = await history(sfn, executionArn);
    const exited = timeOf(events, 'WaitStateExited');
    // Not before the original deadline, and not a fresh 4 s counted from the resume.
    expect(exited).toBeGreaterThanOrEqual(timeOf(events, 'WaitStateEntered') + 3_990);
    expect(exited).toBeLessThan(resumedAt + 4_000);
    expect(events.filter((event) => event.type === 'WaitStateEntered')).toHaveLength(1);
  });

  it('suspends a waiting task when the endpoint stops, so no Catch path runs, and resumes it', async () => {
    const first = await start();
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn: server?.stateMachineArn('cleanup'), input: '{}' }),
    );
    await eventually(async () =>
      (await history(first.sfn, executionArn)).some((event) => event.type === 'TaskSubmitted')
        ? true
        : undefined,
    );

    const { sfn } = await restart();
    await new Promise((resolve) => setImmediate(resolve));
    expect(invocations.map((invocation) => invocation.who)).toEqual(['omar']);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: invocations[0]?.token ?? '', output: '"yes"' }));
    expect((await finished(sfn, executionArn)).output).toBe('"yes"');
    expect(invocations.map((invocation) => invocation.who)).toEqual(['omar']);
  });

  it('keeps finished executions and recorded events as they were', async () => {
    const first = await start();
    const executionArn = await startWaiting(first.sfn, 3600);
    await first.sfn.send(
      new SendTaskSuccessCommand({ taskToken: invocations[0]?.token ?? '', output: '{}' }),
    );
    const done = await finished(first.sfn, executionArn);
    const before = await history(first.sfn, executionArn);

    const { sfn, resumed } = await restart();
    expect(resumed).toBe(0);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect({ ...described, $metadata: undefined }).toEqual({ ...done, $metadata: undefined });
    expect(await history(sfn, executionArn)).toEqual(before);
  });

  it('reports a write cut short by a kill and carries on with the last complete snapshot', async () => {
    const first = await start();
    const executionArn = await startWaiting(first.sfn, 3600);
    await server?.close();
    server = undefined;
    const file = join(dataDir, 'executions', 'callback', 'ask-3600.json');
    writeFileSync(`${file}.tmp`, readFileSync(file, 'utf8').slice(0, 100));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    try {
      const { sfn, resumed } = await restart();
      expect(resumed).toBe(1);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`${file}.tmp: a write was cut short`));
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses to start on a damaged execution file, naming it, rather than dropping it', async () => {
    const first = await start();
    await startWaiting(first.sfn, 3600);
    await server?.close();
    server = undefined;
    const file = join(dataDir, 'executions', 'callback', 'ask-3600.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"who"', '"wHo"'));

    await expect(start()).rejects.toThrow(`${file} is damaged (checksum mismatch)`);
  });

  it('drops only a torn last line of the event log, and says so', async () => {
    mkdirSync(dataDir, { recursive: true });
    const log = join(dataDir, 'events.jsonl');
    writeFileSync(
      log,
      `${JSON.stringify({ Source: 'greenlight', DetailType: 'kept', time: 't' })}\n{"Source":"gre`,
    );
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await start();
      expect(server?.events().map((event) => event.DetailType)).toEqual(['kept']);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`${log}: its last entry was cut short`));
      expect(readFileSync(log, 'utf8').endsWith('}\n')).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});
