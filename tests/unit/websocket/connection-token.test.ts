import { describe, expect, it } from '@jest/globals';
import { signToken } from '../../../app/shared/signed-token';
import { checkConnectionToken, mintConnectionToken } from '../../../app/websocket/connection-token';

const KEY = 'unit-test-websocket-key';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const IN_AN_HOUR = NOW + 3_600_000;

describe('WebSocket connection tokens', () => {
  it('accept a token minted with the key, giving its subject', () => {
    const token = mintConnectionToken(KEY, 'alice@example.com', IN_AN_HOUR);
    expect(checkConnectionToken(KEY, token, NOW)).toEqual({ ok: true, subject: 'alice@example.com' });
  });

  it('call a missing or empty token missing', () => {
    expect([checkConnectionToken(KEY, undefined, NOW), checkConnectionToken(KEY, '', NOW)]).toEqual([
      { ok: false, reason: 'missing' },
      { ok: false, reason: 'missing' },
    ]);
  });

  it('refuse a token signed with another key, or altered after signing', () => {
    const token = mintConnectionToken(KEY, 'alice', IN_AN_HOUR);
    const [payload = '', signature = ''] = token.split('.');
    const altered = `${payload.slice(0, -2)}${payload.endsWith('A') ? 'B' : 'A'}${payload.slice(-1)}.${signature}`;
    expect(checkConnectionToken('another-key', token, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(checkConnectionToken(KEY, altered, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuse an expired token, and one minted for another purpose', () => {
    expect(checkConnectionToken(KEY, mintConnectionToken(KEY, 'alice', NOW - 1000), NOW)).toEqual({
      ok: false,
      reason: 'expired',
    });
    const link = signToken(KEY, { aud: 'approval-link', sub: 'alice', exp: IN_AN_HOUR / 1000 });
    expect(checkConnectionToken(KEY, link, NOW)).toEqual({ ok: false, reason: 'wrong-audience' });
  });

  it('call a signed token without a usable subject malformed', () => {
    const noSubject = signToken(KEY, { aud: 'websocket', exp: IN_AN_HOUR / 1000 });
    const badSubject = signToken(KEY, { aud: 'websocket', sub: '<!channel>', exp: IN_AN_HOUR / 1000 });
    expect([checkConnectionToken(KEY, noSubject, NOW), checkConnectionToken(KEY, badSubject, NOW)]).toEqual([
      { ok: false, reason: 'malformed' },
      { ok: false, reason: 'malformed' },
    ]);
  });

  it('are never minted for a subject that could carry markup', () => {
    for (const subject of ['', 'a b', '<@U123>', '-leading', 'x'.repeat(65)]) {
      expect(() => mintConnectionToken(KEY, subject, IN_AN_HOUR)).toThrow(/A subject is 1 to 64/);
    }
  });
});
