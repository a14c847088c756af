import { type Approval, MAX_DETAILS_LENGTH } from './model';
import type { DecisionPolicy } from './policy';

export interface RequestInput {
  id: string;
  title: string;
  details?: string | undefined;
  requester: string;
  approvers: string[];
  channelId: string;
  timeoutSeconds: number;
  email: boolean;
}

/** A new request as the command workflow stores it; `expiresAtEpoch` feeds the DynamoDB conditions. */
export type NewApproval = Omit<Approval, 'status' | 'messageTs' | 'decider' | 'comment' | 'decidedAt'> & {
  expiresAtEpoch: number;
};

/**
 * Checks a request against the rules no parser can see (who asks) and dates it. Returns a sentence
 * for the requester when the request cannot be made.
 */
export function newApproval(
  input: RequestInput,
  policy: DecisionPolicy,
  now: Date,
): { ok: true; approval: NewApproval } | { ok: false; error: string } {
  const approvers = [...new Set(input.approvers)];
  if (approvers.length === 0) return { ok: false, error: 'Name at least one approver.' };
  const others = approvers.filter((approver) => approver !== input.requester);
  if (others.length === 0 && !policy.allowSelfApproval) {
    return { ok: false, error: 'You cannot approve your own request; name someone else as approver.' };
  }
  const details = input.details?.trim();
  if (details && details.length > MAX_DETAILS_LENGTH) {
    return {
      ok: false,
      error: `The details are ${details.length} characters; keep them to ${MAX_DETAILS_LENGTH}.`,
    };
  }
  const expires = new Date(now.getTime() + input.timeoutSeconds * 1000);
  return {
    ok: true,
    approval: {
      id: input.id,
      title: input.title,
      ...(details ? { details } : {}),
      requester: input.requester,
      // A requester who may not decide is not listed as an approver of their own request.
      approvers: policy.allowSelfApproval ? approvers : others,
      channelId: input.channelId,
      createdAt: now.toISOString(),
      expiresAt: expires.toISOString(),
      expiresAtEpoch: Math.floor(expires.getTime() / 1000),
      timeoutSeconds: input.timeoutSeconds,
      email: input.email,
    },
  };
}
