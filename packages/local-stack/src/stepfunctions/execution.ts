import './promise-with-resolvers';
import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { ExecutionError, type RunOptions } from 'aws-local-stepfunctions';
import { ContextHolder, engineContext } from './context-object';
import type { PreparedDefinition, TaskStateInfo, WrappedTaskInput } from './engine-definition';
import { EngineEventRecorder } from './engine-events';
import {
  type Checkpoint,
  type ExecutionEnding,
  type ExecutionRecord,
  revivedHistory,
  waitDeadline,
} from './execution-record';
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
  /** Keeps the execution in the data directory after each change; undefined in memory mode. */
  save?: ((execution: Execution) => void) | undefined;
}

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type EngineInput = Parameters<TaskHandlers[string]>[0];

type Ending = ExecutionEnding;

// AWS stops an EXPRESS execution after five minutes whatever its definition says.
const EXPRESS_MAX_SECONDS = 300;
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/**
 * One execution of a state machine: runs the engine, keeps its status and its history.
 *
 * In persistent mode a STANDARD execution is saved after every change, with a checkpoint at the
 * top-level state it last entered, and resumed after a restart by re-entering the state machine
 * there (`engineFrom`) rather than replaying it:
 * - a `.waitForTaskToken` task whose integration had returned waits again, on the same token, for
 *   what is left of its timeout (at once if the deadline passed while the stack was down);
 * - any other state, or a callback task whose integration had not returned, runs again from its
 *   start (at-least-once, as after a Lambda retry): its side effects may happen twice;
 * - a Wait state ends at its original deadline; the execution's own TimeoutSeconds too.
 * Limits: states inside a Map or Parallel resume with their whole Map or Parallel state; a Retry's
 * attempt count and back-off start over; a heartbeat timeout is counted again from the restart;
 * `$$.State.EnteredTime` of the resumed state is the time of re-entry.
 */
export class Execution {
  readonly startDate: Date;
  readonly history: HistoryLog;
  status: ExecutionStatus = 'RUNNING';
  private ending: Ending | undefined;
  private stopDate: Date | undefined;
  private halted: Ending | undefined;
  private abortEngine: () => void = () => undefined;
  private readonly attempts = new Set<TaskAttempt>();
  private finished: Promise<void> = Promise.resolve();
  private running = false;
  private checkpoint: Checkpoint | undefined;
  /**
   * The task a resumed execution re-enters waiting for its callback, until it does. Its attempt is
   * registered before the engine gets there, so a callback sent right after the restart finds it.
   */
  private resumedTask: { state: string; attempt: TaskAttempt; deadline: number | undefined } | undefined;
  private suspended = false;

  constructor(
    readonly machine: StateMachineRecord,
    readonly arn: string,
    readonly name: string,
    readonly input: string,
    private readonly env: ExecutionEnvironment,
    restored?: ExecutionRecord,
  ) {
    this.startDate = restored ? new Date(restored.startDate) : new Date();
    this.history = new HistoryLog(
      () => {
        env.notify(arn);
        this.save();
      },
      restored ? revivedHistory(restored.history) : [],
    );
    if (restored !== undefined) {
      this.status = restored.status;
      this.ending = restored.ending;
      if (restored.stopDate !== undefined) this.stopDate = new Date(restored.stopDate);
      this.checkpoint = restored.checkpoint;
    }
  }

  /** Settles when the execution has stopped and its history is complete. */
  get done(): Promise<void> {
    return this.finished;
  }

  /** RUNNING as read back from the data directory, and not carried on yet in this process. */
  get awaitsResume(): boolean {
    return this.status === 'RUNNING' && !this.running;
  }

  start(): void {
    this.running = true;
    this.finished = this.run(undefined);
  }

  /** Carries on a restored RUNNING execution from its checkpoint (from the start if it has none). */
  resume(): void {
    const from = this.checkpoint;
    this.running = true;
    this.finished = this.run(
      from !== undefined && this.machine.prepared.topLevelStates.has(from.state) ? from : undefined,
    );
  }

  /** What the data directory keeps of this execution. */
  record(): ExecutionRecord {
    return {
      version: 1,
      arn: this.arn,
      name: this.name,
      stateMachineArn: this.machine.arn,
      input: this.input,
      startDate: this.startDate.toISOString(),
      status: this.status,
      ...(this.stopDate ? { stopDate: this.stopDate.toISOString() } : {}),
      ...(this.ending ? { ending: this.ending } : {}),
      history: [...this.history.events()],
      ...(this.checkpoint && this.status === 'RUNNING' ? { checkpoint: this.checkpoint } : {}),
    };
  }

  private save(): void {
    if (!this.suspended) this.env.save?.(this);
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

  private async run(from: Checkpoint | undefined): Promise<void> {
    const { prepared } = this.machine;
    const input = JSON.parse(this.input) as EngineInput;
    if (from === undefined) {
      this.history.add('ExecutionStarted', {
        executionStartedEventDetails: {
          input: this.input,
          inputDetails: { truncated: false },
          roleArn: this.machine.roleArn,
        },
      });
    }
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
    const waitTimeOverrides: Record<string, number> = {};
    if (from !== undefined) {
      const task = from.task?.submitted ? from.task : undefined;
      const info = prepared.tasks.get(from.state);
      if (task !== undefined && info !== undefined) {
        holder.presetToken(info.index, task.token);
        const timeoutSeconds =
          task.deadline === undefined ? DEFAULT_TASK_TIMEOUT_SECONDS : secondsUntil(task.deadline);
        const attempt = this.openAttempt(info, task.token, timeoutSeconds, info.heartbeatSeconds);
        this.resumedTask = { state: from.state, attempt, deadline: task.deadline };
      }
      if (from.waitUntil !== undefined)
        waitTimeOverrides[from.state] = Math.max(0, from.waitUntil - Date.now());
    }
    const engine = from === undefined ? prepared.engine : prepared.engineFrom(from.state);
    const run = engine.run((from === undefined ? input : from.input) as EngineInput, {
      context: engineContext(holder, { Id: this.machine.arn, Name: this.machine.name }),
      overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides },
    });
    this.abortEngine = run.abort;
    const recorder = new EngineEventRecorder(this.history);
    // The resumed state's entry is in the history already.
    let reentry = from?.state;
    const recorded = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered' && event.state.name === reentry) {
          reentry = undefined;
          continue;
        }
        if (event.type === 'StateEntered' && prepared.topLevelStates.has(event.state.name)) {
          const enteredAt = Date.now();
          const waitUntil = waitDeadline(
            prepared.waitStates.get(event.state.name),
            event.state.input,
            enteredAt,
          );
          this.checkpoint = {
            state: event.state.name,
            input: event.state.input,
            enteredAt,
            ...(waitUntil === undefined ? {} : { waitUntil }),
          };
        }
        recorder.record(event);
      }
    })();

    const timeoutSeconds =
      prepared.timeoutSeconds ?? (this.machine.type === 'EXPRESS' ? EXPRESS_MAX_SECONDS : undefined);
    // Counted from the execution's start, so a resumed execution keeps its original deadline.
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
            timerDelayMs(Math.max(0, this.startDate.getTime() / 1000 + timeoutSeconds - Date.now() / 1000)),
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
    this.recordEnding(this.halted ?? ending);
  }

  private recordEnding(ending: Ending): void {
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
    this.save();
  }

  /**
   * The endpoint is going away (a stop of the local stack, not of the execution): in persistent
   * mode the execution stays RUNNING on disk, to resume at the next start. Its engine and timers
   * are stopped here so nothing keeps the process alive.
   */
  suspend(): void {
    if (this.status !== 'RUNNING') return;
    this.suspended = true;
    this.halted = {
      status: 'ABORTED',
      error: 'States.Aborted',
      cause: 'The local Step Functions endpoint stopped',
    };
    for (const attempt of this.attempts) attempt.interrupt('States.Aborted', '');
    this.abortEngine();
  }

  /**
   * The local handler the engine calls for a Task state. Its synchronous part must stay
   * synchronous: the engine evaluated the Parameters (minting `$$.Task.Token`) just before, and
   * reads this state's TimeoutSeconds just after.
   */
  private runTask(info: TaskStateInfo, holder: ContextHolder, input: unknown): Promise<unknown> {
    const wrapped = input as WrappedTaskInput;
    const token = holder.takeToken(info.index);
    const resumed = this.resumedTask?.state === info.name ? this.resumedTask : undefined;
    this.resumedTask = undefined;
    info.engineTimeoutSeconds = DEFAULT_TASK_TIMEOUT_SECONDS;
    if (resumed !== undefined) {
      // A resumed wait times out at its original deadline: what is left of it, or (nearly) at once.
      info.engineTimeoutSeconds =
        resumed.deadline === undefined ? DEFAULT_TASK_TIMEOUT_SECONDS : secondsUntil(resumed.deadline);
      return this.performTask(info, resumed.attempt, wrapped.parameters, undefined);
    }
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
    const attempt = this.openAttempt(info, token, timeoutSeconds, heartbeatSeconds);
    return this.performTask(info, attempt, wrapped.parameters, { timeoutSeconds, heartbeatSeconds });
  }

  private openAttempt(
    info: TaskStateInfo,
    token: string,
    timeoutSeconds: number,
    heartbeatSeconds: number | undefined,
  ): TaskAttempt {
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
    return attempt;
  }

  /** `limits` undefined: a resumed task, scheduled, started and submitted before the restart. */
  private async performTask(
    info: TaskStateInfo,
    attempt: TaskAttempt,
    parameters: unknown,
    limits: { timeoutSeconds: number; heartbeatSeconds: number | undefined } | undefined,
  ): Promise<unknown> {
    // Let the engine's TaskStateEntered reach the history first (its log is read asynchronously).
    await new Promise((resolve) => setImmediate(resolve));
    // Only now is the checkpoint at this state (it follows the same log). A top-level callback
    // task's token and deadline are kept before its integration runs.
    if (
      limits !== undefined &&
      info.resource.pattern === 'callback' &&
      this.checkpoint?.state === info.name
    ) {
      this.checkpoint.task = {
        token: attempt.token,
        submitted: false,
        ...(limits.timeoutSeconds === DEFAULT_TASK_TIMEOUT_SECONDS
          ? {}
          : { deadline: Date.now() + limits.timeoutSeconds * 1000 }),
      };
    }
    const { resourceType, resource } = historyResource(info.resourceArn);
    const discarded = () => attempt.hasTimedOut || this.status !== 'RUNNING';
    const succeeded = (output: unknown) =>
      this.history.add('TaskSucceeded', {
        taskSucceededEventDetails: {
          resourceType,
          resource,
          output: jsonText(output),
          outputDetails: { truncated: false },
        },
      });
    try {
      if (discarded()) return null;
      if (limits === undefined) {
        // Only the callback is still to come.
        const result = await attempt.waitForCallback();
        if (!discarded()) succeeded(result);
        return result;
      }
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
        if (this.checkpoint?.task?.token === attempt.token) this.checkpoint.task.submitted = true;
        submitted(result);
        result = await attempt.waitForCallback();
      }
      if (!discarded()) succeeded(result);
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

/** What is left until `deadline` (epoch ms), at least a millisecond: a passed deadline fires at once. */
function secondsUntil(deadline: number): number {
  return Math.max(0.001, (deadline - Date.now()) / 1000);
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
