import { randomBytes, randomUUID } from 'node:crypto';

// Letters and digits only: real connection ids look base64 but never need escaping in an
// `@connections/{id}` path, and callers rely on that when they build URLs by hand.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * An id shaped like the ones API Gateway WebSocket APIs use for connections, requests and
 * messages (16 characters ending in `=`, e.g. `Lk3x2fXYIAMCJqg=`).
 */
export function newAwsStyleId(): string {
  const bytes = randomBytes(15);
  let id = '';
  for (const byte of bytes) id += ALPHABET.charAt(byte % ALPHABET.length);
  return `${id}=`;
}

/** The `x-amzn-RequestId` of a management API response. */
export function newRequestUuid(): string {
  return randomUUID();
}

/** An `X-Amzn-Trace-Id` header value in the X-Ray format API Gateway adds to `$connect`. */
export function newTraceId(nowMs: number): string {
  const epochSeconds = Math.floor(nowMs / 1000).toString(16);
  return `Root=1-${epochSeconds}-${randomBytes(12).toString('hex')}`;
}
