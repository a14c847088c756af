import './promise-with-resolvers';
import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { ExecutionError, type RunOptions } from 'aws-local-stepfunctions';
import { ContextHolder, engineContext } from './context-object';
import type { PreparedDefinition, TaskStateInfo, WrappedTaskInput } from './engine-definition';
import { EngineEventRecorder } from './engine-events';
import { HistoryLog, jsonText } from './history';
import type { IntegrationServices } from './integrations/integration';
import { runIntegration } from './integrations/run-integration';
import { TaskAttempt } from './task-attempt';
import { TaskFailure } from './task-failure';
import { historyResource } from './task-resource';
import type { TaskTokenRegistry } from './task-token-registry';
import { timerDelayMs } from './timers';
import type { ExecutionSummary, StateMachineType } from './types';

export interface StateMachineRecord {
  name: string;
  arn: string;
  type: StateMachineType;
  definitionText: string;
  roleArn: string;
  creationDate: Date;
  prepared: PreparedDefinition;
}

export interface ExecutionEnvironment {
  region: string;
  services: IntegrationServices;
  tokens: TaskTokenRegistry;
  notify: (executionArn: string) => void;
}

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type EngineInput = Parameters<TaskHandlers[string]>[0];

interface Ending {
  status: Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>;
  output?: string;
  error?: string;
  cause?: string;
}

// AWS stops an EXPRESS execution after five minutes whatever its definition says.
const EXPRESS_MAX_SECONDS = 300;
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/** One execution of a state machine: runs the engine, keeps its status and its history. */
export class Execution {
  readonly startDate = new Date();
  readonly history: HistoryLog;
  status: ExecutionStatus = 'RUNNING';
  private ending: Ending | undefined;
  private stopDate: Date | undefined;
  private halted: Ending | undefined;
  private abortEngine: () => void = () => undefined;
  private readonly attempts = new Set<TaskAttempt>();
  private finished: Promise<void> = Promise.resolve();

  constructor(
    readonly machine: StateMachineRecord,
    readonly arn: string,
    readonly name: string,
    readonly input: string,
    private readonly env: ExecutionEnvironment,
  ) {
    this.history = new HistoryLog(() => env.notify(arn));
  }

  /** Settles when the execution has stopped and its history is complete. */
  get done(): Promise<void> {
    return this.finished;
  }

  start(): void {
    this.finished = this.run();
  }

  /** StopExecution, and the state-machine timeout: the status changes at once, as on AWS. */
  halt(ending: Ending): void {
    if (this.status !== 'RUNNING') return;
    this.halted = ending;
    // Interrupted before settling (which only closes them), so tasks waiting on a callback end
    // and the engine clears its task timers: a stopped endpoint leaves nothing running.
    for (const attempt of this.attempts)
      attempt.interrupt(ending.error ?? 'States.Aborted', ending.cause ?? '');
    this.settle(ending);
    this.abortEngine();
  }

  summary(): ExecutionSummary {
    const summary: ExecutionSummary = {
      executionArn: this.arn,
      stateMachineArn: this.machine.arn,
      stateMachineName: this.machine.name,
      type: this.machine.type,
      name: this.name,
      status: this.status,
      startDate: this.startDate,
      input: this.input,
    };
    if (this.stopDate) summary.stopDate = this.stopDate;
    if (this.ending?.output !== undefined) summary.output = this.ending.output;
    if (this.ending?.error !== undefined) summary.error = this.ending.error;
    if (this.ending?.cause !== undefined) summary.cause = this.ending.cause;
    return summary;
  }

  private async run(): Promise<void> {
    const { prepared } = this.machine;
    const input = JSON.parse(this.input) as EngineInput;
    this.history.add('ExecutionStarted', {
      executionStartedEventDetails: {
        input: this.input,
        inputDetails: { truncated: false },
        roleArn: this.machine.roleArn,
      },
    });
    const holder = new ContextHolder(
      {
        Id: this.arn,
        Name: this.name,
        Input: input,
        StartTime: this.startDate.toISOString(),
        RoleArn: this.machine.roleArn,
        RedriveCount: 0,
      },
      prepared.stateNames,
    );
    const handlers: TaskHandlers = {};
    for (const info of prepared.tasks.values()) {
      handlers[info.name] = (taskInput) => this.runTask(info, holder, taskInput) as Promise<EngineInput>;
    }
    const run = prepared.engine.run(input, {
      context: engineContext(holder, { Id: this.machine.arn, Name: this.machine.name }),
      overrides: { taskResourceLocalHandlers: handlers },
    });
    this.abortEngine = run.abort;
    const recorder = new EngineEventRecorder(this.history);
    const recorded = (async () => {
      for await (const event of run.eventLogs) recorder.record(event);
    })();

    const timeoutSeconds =
      prepared.timeoutSeconds ?? (this.machine.type === 'EXPRESS' ? EXPRESS_MAX_SECONDS : undefined);
    const timer =
      timeoutSeconds === undefined
        ? undefined
        : setTimeout(
            () =>
              this.halt({
                status: 'TIMED_OUT',
                error: 'States.Timeout',
                cause: `The execution timed out after ${timeoutSeconds} seconds`,
              }),
            timerDelayMs(timeoutSeconds),
          );

    let ending: Ending;
    try {
      ending = { status: 'SUCCEEDED', output: jsonText(await run.result) };
    } catch (thrown) {
      ending = endingOf(thrown);
    }
    clearTimeout(timer);
    // The engine closes its event log when the run ends; wait so history ends in order.
    await recorded;
    this.record(this.halted ?? ending);
  }

  private record(ending: Ending): void {
    this.settle(ending);
    const details = {
      ...(ending.error === undefined ? {} : { error: ending.error }),
      ...(ending.cause === undefined ? {} : { cause: ending.cause }),
    };
    switch (ending.status) {
      case 'SUCCEEDED':
        this.history.add('ExecutionSucceeded', {
          executionSucceededEventDetails: {
            output: ending.output ?? 'null',
            outputDetails: { truncated: false },
          },
        });
        return;
      case 'FAILED':
        this.history.add('ExecutionFailed', { executionFailedEventDetails: details });
        return;
      case 'TIMED_OUT':
        this.history.add('ExecutionTimedOut', { executionTimedOutEventDetails: details });
        return;
      case 'ABORTED':
        this.history.add('ExecutionAborted', { executionAbortedEventDetails: details });
        return;
    }
  }

  private settle(ending: Ending): void {
    if (this.status === 'RUNNING') {
      this.status = ending.status;
      this.ending = ending;
      this.stopDate = new Date();
    }
    for (const attempt of this.attempts) attempt.close();
    this.attempts.clear();
    this.env.notify(this.arn);
  }

  /**
   * The local handler the engine calls for a Task state. Its synchronous part must stay
   * synchronous: the engine evaluated the Parameters (minting `$$.Task.Token`) just before, and
   * reads this state's TimeoutSeconds just after.
   */
  private runTask(info: TaskStateInfo, holder: ContextHolder, input: unknown): Promise<unknown> {
    const wrapped = input as WrappedTaskInput;
    const token = holder.takeToken(info.index);
    info.engineTimeoutSeconds = DEFAULT_TASK_TIMEOUT_SECONDS;
    let timeoutSeconds: number;
    let heartbeatSeconds: number | undefined;
    try {
      timeoutSeconds =
        positiveInteger('TimeoutSecondsPath', wrapped.timeoutSeconds) ??
        info.timeoutSeconds ??
        DEFAULT_TASK_TIMEOUT_SECONDS;
      heartbeatSeconds =
        positiveInteger('HeartbeatSecondsPath', wrapped.heartbeatSeconds) ?? info.heartbeatSeconds;
    } catch (failure) {
      return Promise.reject(failure);
    }
    info.engineTimeoutSeconds = timeoutSeconds;

    const { resourceType, resource } = historyResource(info.resourceArn);
    const attempt: TaskAttempt = new TaskAttempt({
      token,
      timeoutSeconds,
      ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
      onTimedOut: (error) => {
        this.attempts.delete(attempt);
        this.history.add('TaskTimedOut', { taskTimedOutEventDetails: { resourceType, resource, error } });
      },
    });
    this.attempts.add(attempt);
    if (info.resource.pattern === 'callback') this.env.tokens.register(attempt);
    return this.performTask(info, attempt, wrapped.parameters, { timeoutSeconds, heartbeatSeconds });
  }

  private async performTask(
    info: TaskStateInfo,
    attempt: TaskAttempt,
    parameters: unknown,
    limits: { timeoutSeconds: number; heartbeatSeconds: number | undefined },
  ): Promise<unknown> {
    // Let the engine's TaskStateEntered reach the history first (its log is read asynchronously).
    await new Promise((resolve) => setImmediate(resolve));
    const { resourceType, resource } = historyResource(info.resourceArn);
    const discarded = () => attempt.hasTimedOut || this.status !== 'RUNNING';
    try {
      if (discarded()) return null;
      this.history.add('TaskScheduled', {
        taskScheduledEventDetails: {
          resourceType,
          resource,
          region: this.env.region,
          parameters: jsonText(parameters),
          ...(limits.timeoutSeconds === DEFAULT_TASK_TIMEOUT_SECONDS
            ? {}
            : { timeoutInSeconds: limits.timeoutSeconds }),
          ...(limits.heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: limits.heartbeatSeconds }),
        },
      });
      this.history.add('TaskStarted', { taskStartedEventDetails: { resourceType, resource } });
      const submitted = (output: unknown) =>
        this.history.add('TaskSubmitted', {
          taskSubmittedEventDetails: {
            resourceType,
            resource,
            output: jsonText(output),
            outputDetails: { truncated: false },
          },
        });
      let result = await attempt.guard(
        runIntegration(info.resource, {
          parameters,
          services: this.env.services,
          signal: attempt.signal,
          submitted,
        }),
      );
      if (info.resource.pattern === 'callback' && !discarded()) {
        submitted(result);
        result = await attempt.waitForCallback();
      }
      if (discarded()) return result;
      this.history.add('TaskSucceeded', {
        taskSucceededEventDetails: {
          resourceType,
          resource,
          output: jsonText(result),
          outputDetails: { truncated: false },
        },
      });
      return result;
    } catch (thrown) {
      const failure =
        thrown instanceof TaskFailure
          ? thrown
          : new TaskFailure('States.TaskFailed', thrown instanceof Error ? thrown.message : String(thrown));
      // A heartbeat timeout is already in the history as TaskTimedOut.
      if (!discarded() && failure.error !== 'States.HeartbeatTimeout') {
        this.history.add('TaskFailed', {
          taskFailedEventDetails: { resourceType, resource, error: failure.error, cause: failure.causeText },
        });
      }
      throw failure;
    } finally {
      attempt.close();
      this.attempts.delete(attempt);
    }
  }
}

function positiveInteger(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new TaskFailure(
    'States.Runtime',
    `${field} must point to a positive integer, got ${JSON.stringify(value)}`,
  );
}

/** How a run that did not succeed ends; aborts (stop, timeout) are recorded by halt() instead. */
function endingOf(thrown: unknown): Ending {
  if (thrown instanceof ExecutionError && thrown.cause instanceof Error) {
    return { status: 'FAILED', error: thrown.cause.name, cause: thrown.cause.message };
  }
  return {
    status: 'FAILED',
    error: 'States.Runtime',
    cause: thrown instanceof Error ? thrown.message : String(thrown),
  };
}
