import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type StepFunctionsServer, startStepFunctionsServer } from '../../src/stepfunctions';
import { localStepFunctionsClient } from '../helpers/aws-clients';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../fixtures/asl', `${name}.asl.json`), 'utf8');
// What SAM does with DefinitionSubstitutions before the definition reaches Step Functions.
const substitute = (definition: string, values: Record<string, string>) =>
  definition.replace(/\$\{(\w+)\}/g, (placeholder, key: string) => values[key] ?? placeholder);

describe('STANDARD executions on the local Step Functions endpoint', () => {
  let server: StepFunctionsServer;
  let sfn: SFNClient;

  beforeAll(async () => {
    const childArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:child';
    server = await startStepFunctionsServer({
      stateMachines: [
        { name: 'child', type: 'STANDARD', definition: fixture('child') },
        {
          name: 'parent',
          type: 'STANDARD',
          definition: substitute(fixture('parent'), { ChildStateMachineArn: childArn }),
        },
        { name: 'waiting', type: 'STANDARD', definition: fixture('waiting') },
        { name: 'greeting', type: 'EXPRESS', definition: fixture('greeting') },
      ],
      invokeLambda: () => Promise.reject(new Error('no Lambda in this suite')),
      dynamodb: new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
    });
    sfn = localStepFunctionsClient(server.url);
  });

  afterAll(async () => {
    sfn.destroy();
    await server.close();
  });

  const start = async (machine: string, input: unknown, name?: string) => {
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: server.stateMachineArn(machine),
        input: JSON.stringify(input),
        ...(name ? { name } : {}),
      }),
    );
    return executionArn;
  };

  const settled = async (executionArn: string): Promise<DescribeExecutionCommandOutput> => {
    for (;;) {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (described.status !== 'RUNNING') return described;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('runs a child workflow with startExecution.sync:2 and returns its output as JSON', async () => {
    const executionArn = await start('parent', { value: 21 });

    const described = await settled(executionArn);

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({
      childOutput: { doubled: 42 },
      childStatus: 'SUCCEEDED',
    });
  });

  it('describes a finished execution with its input, output and dates', async () => {
    const executionArn = await start('child', { value: 2 }, 'double-two');

    const described = await settled(executionArn);

    expect(described).toMatchObject({
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:child:double-two',
      stateMachineArn: server.stateMachineArn('child'),
      name: 'double-two',
      status: 'SUCCEEDED',
      input: '{"value":2}',
      output: '{"doubled":4}',
    });
    expect(described.startDate).toBeInstanceOf(Date);
    expect(described.stopDate).toBeInstanceOf(Date);
  });

  it('returns the same execution for the same name and input while it runs', async () => {
    const first = await start('waiting', { approvalId: 'GL-SAME' }, 'same-name');

    const again = await start('waiting', { approvalId: 'GL-SAME' }, 'same-name');

    expect(again).toBe(first);
    await sfn.send(new StopExecutionCommand({ executionArn: first }));
  });

  it('refuses the same name with a different input with ExecutionAlreadyExists', async () => {
    const first = await start('waiting', { approvalId: 'GL-ONE' }, 'taken-name');

    await expect(start('waiting', { approvalId: 'GL-TWO' }, 'taken-name')).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    await sfn.send(new StopExecutionCommand({ executionArn: first }));
  });

  it('refuses the name of a closed execution with ExecutionAlreadyExists', async () => {
    const executionArn = await start('child', { value: 1 }, 'closed-name');
    await settled(executionArn);

    await expect(start('child', { value: 1 }, 'closed-name')).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('stops a running execution as ABORTED with the given error and cause', async () => {
    const executionArn = await start('waiting', {});

    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by U1' }),
    );

    expect(stopped.stopDate).toBeInstanceOf(Date);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by U1' });
  });

  it('lists executions newest first and filters them by status', async () => {
    const running = await start('waiting', {});
    const aborted = await start('waiting', {});
    await sfn.send(new StopExecutionCommand({ executionArn: aborted }));

    const all = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: server.stateMachineArn('waiting') }),
    );
    const onlyRunning = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: server.stateMachineArn('waiting'),
        statusFilter: 'RUNNING',
      }),
    );

    expect(all.executions?.slice(0, 2).map((execution) => execution.executionArn)).toEqual([
      aborted,
      running,
    ]);
    expect(onlyRunning.executions?.map((execution) => execution.executionArn)).toEqual([running]);
    await sfn.send(new StopExecutionCommand({ executionArn: running }));
  });

  it('refuses ListExecutions on an EXPRESS state machine with StateMachineTypeNotSupported', async () => {
    const send = sfn.send(new ListExecutionsCommand({ stateMachineArn: server.stateMachineArn('greeting') }));

    await expect(send).rejects.toMatchObject({ name: 'StateMachineTypeNotSupported' });
  });

  it('records state entered and exited events in order in the execution history', async () => {
    const executionArn = await start('child', { value: 3 });
    await settled(executionArn);

    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[1]?.stateEnteredEventDetails).toEqual({
      name: 'Double',
      input: '{"value":3}',
      inputDetails: { truncated: false },
    });
    expect(events[2]?.stateExitedEventDetails?.output).toBe('{"doubled":6}');
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
  });

  it('pages the history backwards with reverseOrder, maxResults and nextToken', async () => {
    const executionArn = await start('child', { value: 4 });
    await settled(executionArn);

    const first = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 4 }),
    );
    const rest = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 4,
        nextToken: first.nextToken,
      }),
    );

    expect(first.events?.map((event) => event.id)).toEqual([6, 5, 4, 3]);
    expect(rest.events?.map((event) => event.id)).toEqual([2, 1]);
    expect(rest.nextToken).toBeUndefined();
  });

  it('records Task events between the state entered and exited events of a nested startExecution', async () => {
    const executionArn = await start('parent', { value: 5 });
    await settled(executionArn);

    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[2]?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'states',
      resource: 'startExecution.sync:2',
      region: 'us-east-1',
    });
  });

  it('answers ExecutionDoesNotExist for an unknown execution and InvalidArn for a malformed one', async () => {
    const unknown = sfn.send(
      new DescribeExecutionCommand({
        executionArn: 'arn:aws:states:us-east-1:000000000000:execution:child:nope',
      }),
    );
    const malformed = sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }));

    await expect(unknown).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(malformed).rejects.toMatchObject({ name: 'InvalidArn' });
  });

  it('lists and describes the configured state machines', async () => {
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: server.stateMachineArn('greeting') }),
    );

    expect(listed.stateMachines?.map((machine) => machine.name)).toEqual([
      'child',
      'parent',
      'waiting',
      'greeting',
    ]);
    expect(described).toMatchObject({ name: 'greeting', type: 'EXPRESS', status: 'ACTIVE' });
    expect(JSON.parse(described.definition ?? 'null').StartAt).toBe('Greet');
  });

  it('tells onChange listeners about every change of an execution', async () => {
    const changed: string[] = [];
    const unsubscribe = server.onChange((executionArn) => changed.push(executionArn));

    const executionArn = await start('child', { value: 6 });
    await settled(executionArn);
    unsubscribe();

    expect(changed.length).toBeGreaterThan(0);
    expect(new Set(changed)).toEqual(new Set([executionArn]));
  });
});
