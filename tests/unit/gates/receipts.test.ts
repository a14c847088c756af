import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Approval } from '../../../app/approvals';
import {
  newReceiptSigningKey,
  receiptKeyFrom,
  signReceipt,
  verifyReceipt,
} from '../../../app/gates/receipts';

const approval: Approval = {
  id: 'GL-7K3F9Q',
  status: 'APPROVED',
  title: 'Deploy v2',
  requester: 'ci (API key)',
  approvers: ['U0APPROVER'],
  channelId: 'C0APPROVAL',
  createdAt: '2026-12-06T10:00:00.000Z',
  expiresAt: '2026-12-07T10:00:00.000Z',
  timeoutSeconds: 86_400,
  email: false,
  decider: 'U0APPROVER',
  decidedAt: '2026-12-06T10:05:00.000Z',
  policy: 'prod-deploys',
  origin: { system: 'ci (API key)', artifact: { kind: 'container-image', digest: 'sha256:abc123' } },
};

const secret = newReceiptSigningKey();
const key = receiptKeyFrom(secret);
const jwks = { keys: [key.jwk] };

function tamper(receipt: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = receipt.split('.');
  const decoded = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
  change(decoded);
  return `${header}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
}

describe('a decision receipt', () => {
  it('verifies with the public key and binds id, outcome, digest, deciders and policy', () => {
    const checked = verifyReceipt(signReceipt(key, approval), jwks, { digest: 'sha256:abc123' });
    expect(checked).toEqual({
      ok: true,
      kid: key.jwk.kid,
      payload: expect.objectContaining({
        sub: 'GL-7K3F9Q',
        outcome: 'APPROVED',
        artifact: { kind: 'container-image', digest: 'sha256:abc123' },
        deciders: [{ id: 'U0APPROVER', decision: 'approved', at: '2026-12-06T10:05:00.000Z' }],
        policy: 'prod-deploys',
      }),
    });
  });

  it('is the same each time it is signed, so it can be made when read', () => {
    expect(signReceipt(key, approval)).toBe(signReceipt(key, approval));
  });

  it('never verifies for another digest, neither asked for nor edited in', () => {
    const receipt = signReceipt(key, approval);
    expect(verifyReceipt(receipt, jwks, { digest: 'sha256:other' })).toMatchObject({ ok: false });
    const edited = tamper(receipt, (payload) => {
      (payload.artifact as { digest: string }).digest = 'sha256:other';
    });
    expect(verifyReceipt(edited, jwks)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('signature'),
    });
  });

  it('does not verify an edited outcome, another key’s signature, or alg none', () => {
    const receipt = signReceipt(key, approval);
    expect(
      verifyReceipt(
        tamper(receipt, (p) => Object.assign(p, { outcome: 'REJECTED' })),
        jwks,
      ).ok,
    ).toBe(false);
    const other = receiptKeyFrom(newReceiptSigningKey());
    expect(verifyReceipt(signReceipt(other, approval), jwks)).toMatchObject({ ok: false });
    const [, payload] = receipt.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"greenlight-receipt+jws"}').toString('base64url')}.${payload}.`;
    expect(verifyReceipt(none, jwks)).toMatchObject({ ok: false, reason: expect.stringContaining('EdDSA') });
  });

  it('is signed only with an Ed25519 private key', () => {
    expect(() => receiptKeyFrom('not-a-key')).toThrow(/PKCS#8/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'der',
      type: 'pkcs8',
    });
    expect(() => receiptKeyFrom(rsa.toString('base64url'))).toThrow(/not Ed25519/);
  });

  it('has a key id that is the RFC 7638 thumbprint of its key', () => {
    expect(key.jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(key.jwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(receiptKeyFrom(secret).jwk).toEqual(key.jwk);
  });
});
