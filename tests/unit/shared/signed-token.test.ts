import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { MAX_TOKEN_LENGTH, signToken, verifyToken } from '../../../app/shared/signed-token';

const KEY = 'unit-test-key';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const inOneHour = NOW / 1000 + 3600;

describe('signed tokens', () => {
  it('round-trips claims when key, audience and time are right', () => {
    const token = signToken(KEY, { aud: 'websocket', exp: inOneHour, sub: 'alice' });
    expect(verifyToken(KEY, token, { audience: 'websocket', now: NOW })).toEqual({
      ok: true,
      claims: { aud: 'websocket', exp: inOneHour, sub: 'alice' },
    });
  });

  it('refuses a token signed with another key', () => {
    const token = signToken('other-key', { aud: 'websocket', exp: inOneHour });
    expect(verifyToken(KEY, token, { audience: 'websocket', now: NOW })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a token whose claims were edited after signing', () => {
    const token = signToken(KEY, { aud: 'websocket', exp: inOneHour, sub: 'alice' });
    const [, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ aud: 'websocket', exp: inOneHour, sub: 'admin' })).toString(
      'base64url',
    );
    expect(verifyToken(KEY, `${forged}.${sig}`, { audience: 'websocket', now: NOW })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a truncated signature without throwing', () => {
    const token = signToken(KEY, { aud: 'websocket', exp: inOneHour });
    expect(verifyToken(KEY, token.slice(0, -4), { audience: 'websocket', now: NOW })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses an expired token, at the exact second of expiry too', () => {
    const token = signToken(KEY, { aud: 'websocket', exp: NOW / 1000 });
    expect(verifyToken(KEY, token, { audience: 'websocket', now: NOW })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a token minted for another purpose', () => {
    const token = signToken(KEY, { aud: 'approval-link', exp: inOneHour });
    expect(verifyToken(KEY, token, { audience: 'websocket', now: NOW })).toEqual({
      ok: false,
      reason: 'wrong-audience',
    });
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['two dots', 'a.b.c'],
    ['not base64url', 'a+b.c/d'],
    ['too long', `${'a'.repeat(MAX_TOKEN_LENGTH)}.b`],
  ])('calls a %s token malformed', (_name, token) => {
    expect(verifyToken(KEY, token, { audience: 'websocket', now: NOW })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('calls a correctly signed payload without aud or exp malformed', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'x' })).toString('base64url');
    const sig = createHmac('sha256', KEY).update(payload).digest('base64url');
    expect(verifyToken(KEY, `${payload}.${sig}`, { audience: 'websocket', now: NOW })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
