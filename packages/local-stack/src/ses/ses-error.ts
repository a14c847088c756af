/**
 * An error SES returns as an XML `<ErrorResponse>`; the AWS SDK raises it as an exception whose
 * `name` is `code` (a modeled class such as `MessageRejected` where the SDK has one).
 */
export class SesError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = 'SesError';
  }
}

/** SES's wording for missing required members, one clause per member, as its validation layer writes it. */
export function missingMembers(paths: ReadonlyArray<string>): SesError {
  const count = paths.length;
  const clauses = paths.map(
    (path) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`,
  );
  return new SesError(
    'ValidationError',
    `${count} validation error${count === 1 ? '' : 's'} detected: ${clauses.join('; ')}`,
  );
}
