/**
 * Errors AWS documents as ending the execution whatever the state says: States.ALL matches neither,
 * and States.Runtime is never retried or caught at all. The engine reads `isRetryable` and
 * `isCatchable` on a failure before matching any Retry or Catch; it cannot tell a catch-all from a
 * catcher naming the error, so States.DataLimitExceeded is terminal here in both cases (this
 * endpoint never raises it today).
 */
const TERMINAL_ERRORS = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/**
 * A Task state failure as the ASL engine matches it in Retry and Catch: it compares `name` with
 * ErrorEquals and reports `message` as the Cause, so both carry the AWS error name and cause.
 */
export class TaskFailure extends Error {
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super(causeText);
    this.name = error;
  }

  get isRetryable(): boolean {
    return !TERMINAL_ERRORS.has(this.error);
  }

  get isCatchable(): boolean {
    return !TERMINAL_ERRORS.has(this.error);
  }
}
