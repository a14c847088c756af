import { randomUUID } from 'node:crypto';

// Opaque to callers like AWS tokens, but self-describing here, so a garbled token (InvalidToken)
// can be told apart from a well-formed one this server never issued (TaskDoesNotExist).
const PREFIX = 'greenlight-local-sfn:v1:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newTaskToken(): string {
  return Buffer.from(`${PREFIX}${randomUUID()}`, 'utf8').toString('base64url');
}

/** True when the token has the shape of one this server issues, whether or not it issued it. */
export function isWellFormedTaskToken(token: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return false;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  return decoded.startsWith(PREFIX) && UUID.test(decoded.slice(PREFIX.length));
}
