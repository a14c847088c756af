import { withResolvers } from './promise-with-resolvers';
import { TaskFailure } from './task-failure';
import { timerDelayMs } from './timers';

interface TaskAttemptOptions {
  token: string;
  timeoutSeconds: number;
  heartbeatSeconds?: number;
  /** The attempt ran out of time: error is States.Timeout or States.HeartbeatTimeout. */
  onTimedOut: (error: string) => void;
}

/**
 * One run of a Task state, from scheduling to its end. Its token stays valid while it is open;
 * once it closes (done, timed out, execution stopped), callbacks with the token get TaskTimedOut.
 */
export class TaskAttempt {
  readonly token: string;
  private open = true;
  private timedOutWith: string | undefined;
  private readonly controller = new AbortController();
  private readonly callback = withResolvers<unknown>();
  private readonly interruption = withResolvers<never>();
  private readonly timeoutTimer: NodeJS.Timeout;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: TaskAttemptOptions) {
    this.token = options.token;
    // Nobody may be listening yet when these settle; their outcome is read through race/await.
    this.callback.promise.catch(() => undefined);
    this.interruption.promise.catch(() => undefined);
    // The engine arms the real States.Timeout timer with the same delay right after this one, so
    // this one only closes the attempt (the token) and leaves the failure to the engine.
    this.timeoutTimer = setTimeout(
      () => this.timeOut('States.Timeout'),
      timerDelayMs(options.timeoutSeconds),
    );
    this.armHeartbeat();
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** States.Timeout: the engine has given up on this attempt; whatever it still produces is discarded. */
  get hasTimedOut(): boolean {
    return this.timedOutWith === 'States.Timeout';
  }

  /** Aborted when the attempt closes, so work done on its behalf can stop. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Races work against a heartbeat timeout, which fails the task with States.HeartbeatTimeout. */
  guard<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.interruption.promise]);
  }

  /** The SendTaskSuccess output, or the SendTaskFailure error. */
  waitForCallback(): Promise<unknown> {
    return this.guard(this.callback.promise);
  }

  // The token closes with the first callback, so a second one (a double click) gets TaskTimedOut.
  succeed(output: unknown): void {
    this.callback.resolve(output);
    this.close();
  }

  fail(error: string, cause: string): void {
    this.callback.reject(new TaskFailure(error, cause));
    this.close();
  }

  heartbeat(): void {
    this.armHeartbeat();
  }

  /**
   * The execution stopped while this attempt ran: whatever it waits for (a callback, a Lambda) is
   * given up, so the engine's own task timer is cleared and nothing keeps the process alive.
   */
  interrupt(error: string, cause: string): void {
    if (!this.open) return;
    this.interruption.reject(new TaskFailure(error, cause));
    this.close();
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.heartbeatTimer);
    this.controller.abort();
  }

  private armHeartbeat(): void {
    const { heartbeatSeconds } = this.options;
    if (heartbeatSeconds === undefined) return;
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => {
      this.timeOut('States.HeartbeatTimeout');
      this.interruption.reject(new TaskFailure('States.HeartbeatTimeout', ''));
    }, timerDelayMs(heartbeatSeconds));
  }

  private timeOut(error: string): void {
    if (!this.open) return;
    this.timedOutWith = error;
    this.options.onTimedOut(error);
    this.close();
  }
}
