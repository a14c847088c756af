import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact HMAC-signed tokens: `base64url(JSON claims) "." base64url(HMAC-SHA256(key, first part))`.
 * Used for WebSocket connection tokens and for the approve/reject links in e-mails. Every token
 * carries `exp` (epoch seconds); a purpose (`aud`) keeps a token minted for one use from being
 * accepted by another even when the same key signs both.
 */
export interface TokenClaims {
  /** What the token is for, e.g. `websocket` or `approval-link`. */
  aud: string;
  /** Expiry, epoch seconds. */
  exp: number;
  [claim: string]: unknown;
}

export type TokenCheck<C extends TokenClaims> =
  | { ok: true; claims: C }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'wrong-audience' | 'expired' };

/** Longest token accepted; anything larger is refused before any HMAC work. */
export const MAX_TOKEN_LENGTH = 2048;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function signature(key: string, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

export function signToken(key: string, claims: TokenClaims): string {
  if (!key) throw new Error('signToken needs a key');
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${signature(key, payload).toString('base64url')}`;
}

/**
 * Checks a token in constant time with respect to the signature, then its audience and expiry.
 * `now` is in milliseconds. The claims are only parsed after the signature matches, so a forged
 * token never reaches JSON.parse.
 */
export function verifyToken<C extends TokenClaims = TokenClaims>(
  key: string,
  token: string | undefined | null,
  { audience, now = Date.now() }: { audience: string; now?: number },
): TokenCheck<C> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const payload = token.slice(0, dot);
  const given = token.slice(dot + 1);
  if (!BASE64URL.test(payload) || !BASE64URL.test(given)) return { ok: false, reason: 'malformed' };

  const expected = signature(key, payload);
  const actual = Buffer.from(given, 'base64url');
  // timingSafeEqual needs equal lengths; a wrong length is a wrong signature, decided without timing.
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }

  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
  if (claims.aud !== audience) return { ok: false, reason: 'wrong-audience' };
  if (claims.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as C };
}

function isClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { aud, exp } = value as Record<string, unknown>;
  return typeof aud === 'string' && typeof exp === 'number' && Number.isFinite(exp);
}
