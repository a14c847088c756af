/**
 * An error the Step Functions API answers with: HTTP 400 and `{ __type, message }`, which the SDK
 * turns into the exception class of that name (ExecutionDoesNotExist, TaskTimedOut...).
 */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export function validationError(field: string, constraint: string, value: unknown): SfnApiError {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  return new SfnApiError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}
