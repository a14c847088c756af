import {
  type Approval,
  type Decision,
  type DecisionOutput,
  MAX_COMMENT_LENGTH,
  REJECTED_ERROR,
} from './model';
import { type DecisionPolicy, type Refusal, refusalFor } from './policy';
import type {
  ApprovalStore,
  ApprovalUpdate,
  CallbackOutcome,
  CloseOutHandoff,
  TaskCallbacks,
  UpdateEvents,
} from './ports';

export interface DecideInput {
  approvalId: string;
  decision: Decision;
  decider: string;
  comment?: string | undefined;
  via: 'slack' | 'email';
  now: Date;
}

export type DecideResult =
  | {
      ok: true;
      approval: Approval;
      /** `counted`: an approval short of the quorum; the request stays open. */
      callback: CallbackOutcome | 'no-token-yet' | 'counted';
      /** Set when the workflow could not take the decision and the product closes the request out. */
      closeOut?: 'handed-off' | 'left-to-sweep';
    }
  | ({ ok: false } & Refusal);

export interface DecideDeps {
  store: ApprovalStore;
  callbacks: TaskCallbacks;
  closeOut: CloseOutHandoff;
  policy: DecisionPolicy;
  /** Where each recorded vote is published as "Greenlight Approval Updated"; none when absent. */
  events?: UpdateEvents;
}

/** Enough rounds for every approver to vote between two of ours (REQUEST_LIMITS.approvers is 10). */
const MAX_VOTE_ROUNDS = 24;

/**
 * Records a vote: one conditional write per attempt picks the winner (double clicks, a click
 * racing an e-mail link or the timeout, concurrent approvers). A rejection, or the approval that
 * reaches the quorum, closes the request and completes the workflow's waiting task; an approval
 * short of it is only counted. A lost write is explained from the record read again, or retried
 * in the mode the record now calls for (another approver voted in between).
 */
export async function decide(deps: DecideDeps, input: DecideInput): Promise<DecideResult> {
  const comment = input.comment?.trim().slice(0, MAX_COMMENT_LENGTH) || undefined;
  const output: DecisionOutput = {
    status: input.decision === 'approve' ? 'APPROVED' : 'REJECTED',
    decider: input.decider,
    decidedAt: input.now.toISOString(),
    ...(comment ? { comment } : {}),
  };
  const rules = { now: input.now, allowSelfApproval: deps.policy.allowSelfApproval };
  // Most requests need one approval: try closing first, so the common click is a single write.
  let mode: 'close' | 'count' = 'close';
  for (let round = 0; round < MAX_VOTE_ROUNDS; round += 1) {
    const write = await deps.store.recordVote(input.approvalId, { ...output, via: input.via }, mode, rules);
    if (write.won) {
      await deps.events?.updated(updateOf(write.approval));
      if (mode === 'count') return { ok: true, approval: write.approval, callback: 'counted' };
      return completeTask(deps, input, output, write);
    }
    const current = await deps.store.get(input.approvalId);
    const refusal = refusalFor(current, input.decider, deps.policy, input.now, {
      decision: input.decision,
      comment,
    });
    if (refusal) return { ok: false, ...refusal };
    if (current === undefined) return { ok: false, reason: 'not-found' };
    // Every rule held on re-read: the count moved between the write and the read.
    mode = input.decision === 'reject' || (current.remaining ?? 1) <= 1 ? 'close' : 'count';
  }
  // Never reached with ten approvers; a record that keeps moving is reported, not looped on.
  throw new Error(`Vote on ${input.approvalId} lost ${MAX_VOTE_ROUNDS} races in a row`);
}

/** The vote just recorded (the trail's last entry) and the tally it leaves. */
export function updateOf(approval: Approval): ApprovalUpdate {
  const votes = approval.votes ?? [];
  const event = approval.trail?.at(-1) ?? {
    kind: 'requested',
    at: approval.createdAt,
    by: approval.requester,
  };
  return {
    id: approval.id,
    status: approval.status,
    title: approval.title,
    policy: approval.policy ?? null,
    event,
    tally: {
      need: approval.need ?? 1,
      approved: votes.filter((vote) => vote.decision === 'approve').map((vote) => vote.voter),
      rejected: votes.filter((vote) => vote.decision === 'reject').map((vote) => vote.voter),
    },
  };
}

async function completeTask(
  deps: DecideDeps,
  input: DecideInput,
  output: DecisionOutput,
  write: { approval: Approval; taskToken: string | undefined },
): Promise<DecideResult> {
  // No token yet means the workflow's first task has not stored it; that task reads the decided
  // record when it does and completes itself, so nothing is lost.
  if (write.taskToken === undefined) return { ok: true, approval: write.approval, callback: 'no-token-yet' };
  const callback =
    input.decision === 'approve'
      ? await deps.callbacks.succeed(write.taskToken, output)
      : await deps.callbacks.fail(write.taskToken, REJECTED_ERROR, output);
  if (callback === 'delivered') return { ok: true, approval: write.approval, callback };
  // Decided in the record, but no workflow will announce it (stopped by an operator, its callback
  // lost): the product closes it out, so the buttons never outlive the decision.
  const closeOut = await deps.closeOut.handOff(input.approvalId, `workflow task gone: ${callback}`);
  return { ok: true, approval: write.approval, callback, closeOut };
}
