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
}
