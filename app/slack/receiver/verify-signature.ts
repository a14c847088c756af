import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';

export const MAX_CLOCK_SKEW_SECONDS = 300;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing_headers' | 'malformed_headers' | 'stale_timestamp' | 'invalid_signature' };

const SIGNATURE = /^v0=([0-9a-f]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Slack's v0 request signature: HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret.
 * Runs on the raw bytes before anything parses them. A timestamp more than five minutes away from
 * now in either direction is refused: a past one is a replay, a future one a forged clock.
 */
export function verifySlackSignature(input: {
  /** The secret itself, or (cheaper per request) a key made from it once with `createSecretKey`. */
  signingSecret: string | KeyObject;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
}): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return { ok: false, reason: 'missing_headers' };
  const expectedHex = SIGNATURE.exec(signature)?.[1];
  if (expectedHex === undefined || !TIMESTAMP.test(timestamp))
    return { ok: false, reason: 'malformed_headers' };
  if (Math.abs(input.nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const hmac = createHmac('sha256', input.signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(input.rawBody);
  // Both sides are 32 bytes by construction, so timingSafeEqual never throws on length.
  const valid = timingSafeEqual(hmac.digest(), Buffer.from(expectedHex, 'hex'));
  return valid ? { ok: true } : { ok: false, reason: 'invalid_signature' };
}
