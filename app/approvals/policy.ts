import { type Approval, type Decision, stageVotes } from './model';

export interface DecisionPolicy {
  /** Whether a requester who is also a named approver may decide their own request. */
  allowSelfApproval: boolean;
}

export type Refusal =
  | { reason: 'not-found' }
  | { reason: 'not-an-approver' }
  | { reason: 'own-request' }
  | { reason: 'already-voted'; decision: Decision; approval: Approval }
  | { reason: 'comment-required'; decision: Decision }
  | { reason: 'already-decided'; approval: Approval }
  | { reason: 'expired'; approval: Approval };

/**
 * Who may decide, judged on a record as read. The conditional write repeats these rules, so a
 * check here that passes can still lose a race; it exists to explain a refusal precisely.
 */
export function refusalFor(
  approval: Approval | undefined,
  userId: string,
  policy: DecisionPolicy,
  now: Date,
  /** The decision being made, when it is: a comment the request's policy requires must be on it. */
  deciding?: { decision: Decision; comment: string | undefined },
): Refusal | undefined {
  if (approval === undefined) return { reason: 'not-found' };
  if (approval.status !== 'PENDING') return { reason: 'already-decided', approval };
  if (Date.parse(approval.expiresAt) <= now.getTime()) return { reason: 'expired', approval };
  if (!approval.approvers.includes(userId)) return { reason: 'not-an-approver' };
  if (approval.requester === userId && !policy.allowSelfApproval && !approval.selfApproval)
    return { reason: 'own-request' };
  const vote = stageVotes(approval).find((candidate) => candidate.voter === userId);
  if (vote) return { reason: 'already-voted', decision: vote.decision, approval };
  if (deciding && !deciding.comment && commentRequired(approval.requireCommentOn, deciding.decision))
    return { reason: 'comment-required', decision: deciding.decision };
  return undefined;
}

/** Whether the request's policy (its `requireCommentOn`) wants a comment on this decision. */
export function commentRequired(rule: Approval['requireCommentOn'], decision: Decision): boolean {
  return (
    rule === 'both' ||
    (rule === 'approve' && decision === 'approve') ||
    (rule === 'reject' && decision === 'reject')
  );
}
