import { signSlackRequest } from '@greenlight/local-stack/slack-signature';
import { describe, expect, it } from '@jest/globals';
import { verifySlackSignature } from '../../../app/slack/receiver/verify-signature';

const SECRET = 'unit-secret';
const NOW = 1_795_348_800;
const body = Buffer.from('token=x&command=%2Fgreenlight&text=help');

function check(overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) {
  const headers = signSlackRequest(SECRET, body, NOW);
  return verifySlackSignature({
    signingSecret: SECRET,
    signature: headers['X-Slack-Signature'],
    timestamp: headers['X-Slack-Request-Timestamp'],
    rawBody: body,
    nowSeconds: NOW,
    ...overrides,
  });
}

describe('verifySlackSignature', () => {
  it('accepts a body signed with the signing secret', () => {
    expect(check()).toEqual({ ok: true });
  });

  it('accepts a timestamp exactly five minutes old', () => {
    expect(check({ nowSeconds: NOW + 300 })).toEqual({ ok: true });
  });

  it('rejects a timestamp more than five minutes old', () => {
    expect(check({ nowSeconds: NOW + 301 })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects a timestamp more than five minutes in the future', () => {
    expect(check({ nowSeconds: NOW - 301 })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects a body changed after signing', () => {
    expect(check({ rawBody: Buffer.from(`${body}x`) })).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('rejects a signature made with another secret', () => {
    expect(check({ signingSecret: 'other-secret' })).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('rejects missing headers', () => {
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing_headers' });
    expect(check({ timestamp: '' })).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it.each([
    ['a signature without the v0= prefix', { signature: 'a'.repeat(64) }],
    ['a signature of the wrong length', { signature: 'v0=abc' }],
    ['a signature with non-hex characters', { signature: `v0=${'z'.repeat(64)}` }],
    ['a timestamp that is not a number', { timestamp: '17953488OO' }],
  ])('rejects %s as malformed', (_name, overrides) => {
    expect(check(overrides)).toEqual({ ok: false, reason: 'malformed_headers' });
  });
});
