import { signToken, type TokenClaims, verifyToken } from '../shared/signed-token';
import type { Decision } from './model';

export const LINK_AUDIENCE = 'approval-link';

interface LinkClaims extends TokenClaims {
  aud: typeof LINK_AUDIENCE;
  exp: number;
  /** Approval id, decision and the approver the link was mailed to: a link decides nothing else. */
  aid: string;
  d: Decision;
  sub: string;
}

export interface LinkGrant {
  approvalId: string;
  decision: Decision;
  approver: string;
}

export type LinkCheck = { ok: true; grant: LinkGrant } | { ok: false; reason: 'invalid' | 'expired' };

/** The path of the link routes, under the REST API's stage URL. */
export const DECISION_LINK_PATH = '/approvals/decision';

/** A signed link for one approver and one decision, expiring with the request. */
export function decisionLink(baseUrl: string, key: string, grant: LinkGrant, expiresAt: string): string {
  const claims: LinkClaims = {
    aud: LINK_AUDIENCE,
    exp: Math.floor(Date.parse(expiresAt) / 1000),
    aid: grant.approvalId,
    d: grant.decision,
    sub: grant.approver,
  };
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${DECISION_LINK_PATH}`);
  url.searchParams.set('token', signToken(key, claims));
  return url.toString();
}

/** Reads a link's token. Tampered and malformed links are one answer: there is nothing to explain. */
export function checkDecisionLink(key: string, token: string | undefined, now: number): LinkCheck {
  const check = verifyToken<LinkClaims>(key, token, { audience: LINK_AUDIENCE, now });
  if (!check.ok) return { ok: false, reason: check.reason === 'expired' ? 'expired' : 'invalid' };
  const { aid, d, sub } = check.claims;
  if (typeof aid !== 'string' || typeof sub !== 'string' || (d !== 'approve' && d !== 'reject')) {
    return { ok: false, reason: 'invalid' };
  }
  return { ok: true, grant: { approvalId: aid, decision: d, approver: sub } };
}
