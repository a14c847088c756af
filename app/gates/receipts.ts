import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { Approval, Artifact } from '../approvals';

/**
 * Decision receipts: a compact JWS (RFC 7515) signed with Ed25519 (alg EdDSA, RFC 8037) that binds
 * a closed request's id, title, artifact digest, outcome, deciders with times and policy. Anyone
 * with the public key (JWKS at GET /approvals/keys) verifies one offline; the artifact digest is
 * inside the signed payload, so a receipt never verifies for another artifact.
 *
 * The private key is the app secret's RECEIPT_SIGNING_KEY: an Ed25519 PKCS#8 key, base64url, made
 * by npm run secret-value (locally, generated into the data directory). The key id is its public
 * key's thumbprint, so a receipt names the key that signed it.
 */
export const RECEIPT_TYPE = 'greenlight-receipt+jws';

export interface ReceiptPayload {
  iss: 'greenlight';
  /** The approval id. */
  sub: string;
  /** When it was signed (seconds): the decision time, so signing again gives the same receipt. */
  iat: number;
  title: string;
  outcome: Approval['status'];
  artifact: Artifact | null;
  deciders: Array<{ id: string; decision: string; at: string; comment?: string }>;
  policy: string | null;
  requester: string;
  requestedAt: string;
}

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface ReceiptKey {
  privateKey: KeyObject;
  jwk: PublicJwk;
}

/** A new receipt signing key, as RECEIPT_SIGNING_KEY holds it (base64url PKCS#8 DER, one line). */
export function newReceiptSigningKey(): string {
  return generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'der', type: 'pkcs8' })
    .toString('base64url');
}

/** The key RECEIPT_SIGNING_KEY holds; a value that is not an Ed25519 private key is refused, not used. */
export function receiptKeyFrom(secret: string): ReceiptKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({
      key: Buffer.from(secret.trim(), 'base64url'),
      format: 'der',
      type: 'pkcs8',
    });
  } catch {
    throw new Error(
      'RECEIPT_SIGNING_KEY is not a PKCS#8 private key in base64url (npm run secret-value makes one)',
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(
      `RECEIPT_SIGNING_KEY is an ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`,
    );
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  return { privateKey, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid: thumbprint(x), alg: 'EdDSA', use: 'sig' } };
}

/** RFC 7638 thumbprint: the key id is a hash of the key, so it cannot name another key. */
function thumbprint(x: string): string {
  return createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function receiptPayload(approval: Approval): ReceiptPayload {
  const at = approval.decidedAt ?? approval.expiresAt;
  // Under a quorum every vote is part of the decision: each approver is bound with their time.
  const votes =
    approval.status === 'APPROVED' || approval.status === 'REJECTED' ? (approval.votes ?? []) : [];
  const deciders =
    votes.length > 0
      ? votes.map((vote) => ({
          id: vote.voter,
          decision: vote.decision === 'approve' ? 'approved' : 'rejected',
          at: vote.at,
          ...(vote.comment ? { comment: vote.comment } : {}),
        }))
      : approval.decider && approval.status !== 'EXPIRED'
        ? [
            {
              id: approval.decider,
              decision: approval.status.toLowerCase(),
              at,
              ...(approval.comment ? { comment: approval.comment } : {}),
            },
          ]
        : [];
  return {
    iss: 'greenlight',
    sub: approval.id,
    iat: Math.floor(Date.parse(at) / 1000),
    title: approval.title,
    outcome: approval.status,
    artifact: approval.origin?.artifact ?? null,
    deciders,
    policy: approval.policy ?? null,
    requester: approval.requester,
    requestedAt: approval.createdAt,
  };
}

/** The receipt of a closed request; Ed25519 is deterministic, so it is the same every time. */
export function signReceipt(key: ReceiptKey, approval: Approval): string {
  const input = `${b64({ alg: 'EdDSA', kid: key.jwk.kid, typ: RECEIPT_TYPE })}.${b64(receiptPayload(approval))}`;
  return `${input}.${sign(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export type ReceiptCheck = { ok: true; payload: ReceiptPayload; kid: string } | { ok: false; reason: string };

/**
 * Verifies a receipt against a JWKS, offline. `digest`, when given, must be the receipt's artifact
 * digest: the check a pipeline makes before it lets that artifact through.
 */
export function verifyReceipt(
  receipt: string,
  jwks: { keys: ReadonlyArray<Partial<PublicJwk>> },
  expect: { digest?: string } = {},
): ReceiptCheck {
  const parts = receipt.trim().split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part)))
    return { ok: false, reason: 'not a compact JWS (three base64url parts)' };
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  let header: { alg?: unknown; kid?: unknown; typ?: unknown };
  let payload: ReceiptPayload;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'header or payload is not JSON' };
  }
  if (header.alg !== 'EdDSA') return { ok: false, reason: `alg must be EdDSA, not ${String(header.alg)}` };
  if (header.typ !== RECEIPT_TYPE)
    return { ok: false, reason: `not a Greenlight receipt (typ ${String(header.typ)})` };
  const jwk = jwks.keys.find((candidate) => candidate.kid === header.kid);
  if (jwk === undefined || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    return { ok: false, reason: `no Ed25519 key ${String(header.kid)} in the key set` };
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  } catch {
    return { ok: false, reason: `key ${String(header.kid)} is not a valid Ed25519 key` };
  }
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  if (!verify(null, signed, publicKey, Buffer.from(signaturePart, 'base64url')))
    return {
      ok: false,
      reason: 'the signature does not match: the receipt was altered or signed by another key',
    };
  if (expect.digest !== undefined && payload.artifact?.digest !== expect.digest)
    return {
      ok: false,
      reason: `the receipt is for artifact ${payload.artifact?.digest ?? '(none)'}, not ${expect.digest}`,
    };
  return { ok: true, payload, kid: String(header.kid) };
}
