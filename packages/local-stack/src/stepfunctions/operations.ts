import type { Execution } from './execution';
import { paginate } from './pagination';
import type { StepFunctionsRuntime } from './runtime';
import { SfnApiError, validationError } from './sfn-error';
import type { ExecutionSummary } from './types';

type Request = Record<string, unknown>;
export type Operation = (request: Request) => object | Promise<object>;

const NOT_NULL = 'Member must not be null';
const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** The Step Functions API operations this endpoint answers, by X-Amz-Target operation name. */
export function stepFunctionsOperations(runtime: StepFunctionsRuntime): Record<string, Operation> {
  return {
    StartExecution: (request) => {
      const execution = runtime.start(startRequest(request), 'async');
      return { executionArn: execution.arn, startDate: execution.startDate };
    },

    StartSyncExecution: async (request) => {
      const execution = runtime.start(startRequest(request), 'sync');
      await execution.done;
      const summary = execution.summary();
      const stopDate = summary.stopDate ?? new Date();
      const billedMs = Math.max(
        100,
        Math.ceil((stopDate.getTime() - summary.startDate.getTime()) / 100) * 100,
      );
      return {
        ...describe(execution),
        billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: billedMs },
      };
    },

    DescribeExecution: (request) => ({
      ...describe(runtime.findExecution(required(request, 'executionArn'))),
      redriveCount: 0,
    }),

    DescribeStateMachineForExecution: (request) => {
      const execution = runtime.findExecution(required(request, 'executionArn'));
      const { machine } = execution;
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        definition: machine.definitionText,
        roleArn: machine.roleArn,
        updateDate: machine.creationDate,
      };
    },

    GetExecutionHistory: (request) => {
      const execution = runtime.findExecution(required(request, 'executionArn'));
      const events = [...execution.history.events()];
      if (request.reverseOrder === true) events.reverse();
      const { page, nextToken } = paginate(events, request.maxResults, request.nextToken);
      return nextToken === undefined ? { events: page } : { events: page, nextToken };
    },

    StopExecution: (request) => {
      const execution = runtime.findExecution(required(request, 'executionArn'));
      execution.halt({
        status: 'ABORTED',
        ...(typeof request.error === 'string' ? { error: request.error } : {}),
        ...(typeof request.cause === 'string' ? { cause: request.cause } : {}),
      });
      return { stopDate: execution.summary().stopDate ?? new Date() };
    },

    ListExecutions: (request) => {
      const machine = runtime.findStateMachine(required(request, 'stateMachineArn'));
      if (machine.type === 'EXPRESS') {
        throw new SfnApiError(
          'StateMachineTypeNotSupported',
          'This operation is not supported by this type of state machine',
        );
      }
      const status = request.statusFilter;
      if (status !== undefined && (typeof status !== 'string' || !EXECUTION_STATUSES.includes(status))) {
        throw validationError(
          'statusFilter',
          `Member must satisfy enum value set: [${EXECUTION_STATUSES.join(', ')}]`,
          status,
        );
      }
      const executions = runtime
        .executions()
        .filter(
          (execution) =>
            execution.machine === machine && (status === undefined || execution.status === status),
        )
        .reverse();
      const { page, nextToken } = paginate(executions, request.maxResults, request.nextToken);
      const items = page.map((execution) => listItem(execution.summary()));
      return nextToken === undefined ? { executions: items } : { executions: items, nextToken };
    },

    ListStateMachines: (request) => {
      const machines = runtime.stateMachines().map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: machine.type,
        creationDate: machine.creationDate,
      }));
      const { page, nextToken } = paginate(machines, request.maxResults, request.nextToken);
      return nextToken === undefined ? { stateMachines: page } : { stateMachines: page, nextToken };
    },

    DescribeStateMachine: (request) => {
      const machine = runtime.findStateMachine(required(request, 'stateMachineArn'));
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: machine.definitionText,
        roleArn: machine.roleArn,
        type: machine.type,
        creationDate: machine.creationDate,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },

    SendTaskSuccess: (request) => {
      const token = required(request, 'taskToken');
      const outputText = required(request, 'output');
      let output: unknown;
      try {
        output = JSON.parse(outputText);
      } catch {
        throw new SfnApiError('InvalidOutput', `Invalid Output: '${outputText}'`);
      }
      runtime.tokens.openAttempt(token).succeed(output);
      return {};
    },

    SendTaskFailure: (request) => {
      const token = required(request, 'taskToken');
      const error = typeof request.error === 'string' ? request.error : '';
      const cause = typeof request.cause === 'string' ? request.cause : '';
      runtime.tokens.openAttempt(token).fail(error, cause);
      return {};
    },

    SendTaskHeartbeat: (request) => {
      runtime.tokens.openAttempt(required(request, 'taskToken')).heartbeat();
      return {};
    },
  };
}

function startRequest(request: Request): { stateMachineArn: string; name?: string; input?: string } {
  return {
    stateMachineArn: required(request, 'stateMachineArn'),
    ...(typeof request.name === 'string' ? { name: request.name } : {}),
    ...(typeof request.input === 'string' ? { input: request.input } : {}),
  };
}

function required(request: Request, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value.length === 0) throw validationError(field, NOT_NULL, value);
  return value;
}

/** The ListExecutions fields of an execution; DescribeExecution starts from the same ones. */
function listItem(summary: ExecutionSummary): Record<string, unknown> {
  return {
    executionArn: summary.executionArn,
    stateMachineArn: summary.stateMachineArn,
    name: summary.name,
    status: summary.status,
    startDate: summary.startDate,
    ...(summary.stopDate ? { stopDate: summary.stopDate } : {}),
  };
}

/** The DescribeExecution fields, shared by StartSyncExecution. */
function describe(execution: Execution): Record<string, unknown> {
  const summary = execution.summary();
  return {
    ...listItem(summary),
    input: summary.input,
    inputDetails: { included: true },
    ...(summary.output === undefined ? {} : { output: summary.output, outputDetails: { included: true } }),
    ...(summary.error === undefined ? {} : { error: summary.error }),
    ...(summary.cause === undefined ? {} : { cause: summary.cause }),
  };
}
