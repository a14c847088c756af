import { signToken, verifyToken } from '../shared/signed-token';
import { MAX_SUBJECT_LENGTH } from './limits';

/** The purpose a WebSocket connection token is signed for; other tokens from the same key are refused. */
export const WEBSOCKET_AUDIENCE = 'websocket';

// Letters, digits and a few separators: a subject shows up in Slack and in frames, so it stays plain.
const SUBJECT = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._@+-]{0,${MAX_SUBJECT_LENGTH - 1}}$`);

export type TokenRefusal = 'missing' | 'malformed' | 'bad-signature' | 'wrong-audience' | 'expired';

export type ConnectionTokenCheck = { ok: true; subject: string } | { ok: false; reason: TokenRefusal };

export function isValidSubject(subject: string): boolean {
  return SUBJECT.test(subject);
}

/** Signs a token that lets `subject` connect until `expiresAt` (epoch milliseconds). */
export function mintConnectionToken(key: string, subject: string, expiresAt: number): string {
  if (!isValidSubject(subject)) {
    throw new Error(
      `A subject is 1 to ${MAX_SUBJECT_LENGTH} letters, digits or . _ @ + -, starting with a letter or digit`,
    );
  }
  return signToken(key, { aud: WEBSOCKET_AUDIENCE, sub: subject, exp: Math.floor(expiresAt / 1000) });
}

/**
 * Checks a `$connect` token: signature first (constant time, in verifyToken), then audience and
 * expiry, then the subject. A signed token without a usable subject counts as malformed.
 */
export function checkConnectionToken(
  key: string,
  token: string | undefined,
  now: number,
): ConnectionTokenCheck {
  if (token === undefined || token === '') return { ok: false, reason: 'missing' };
  const check = verifyToken<{ aud: string; exp: number; sub?: unknown }>(key, token, {
    audience: WEBSOCKET_AUDIENCE,
    now,
  });
  if (!check.ok) return check;
  const { sub } = check.claims;
  if (typeof sub !== 'string' || !isValidSubject(sub)) return { ok: false, reason: 'malformed' };
  return { ok: true, subject: sub };
}
