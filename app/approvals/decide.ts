import {
  type Approval,
  type Decision,
  type DecisionOutput,
  MAX_COMMENT_LENGTH,
  REJECTED_ERROR,
} from './model';
import { type DecisionPolicy, type Refusal, refusalFor } from './policy';
import type { ApprovalStore, CallbackOutcome, CloseOutHandoff, TaskCallbacks } from './ports';

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
      callback: CallbackOutcome | 'no-token-yet';
      /** Set when the workflow could not take the decision and the product closes the request out. */
      closeOut?: 'handed-off' | 'left-to-sweep';
    }
  | ({ ok: false } & Refusal);

export interface DecideDeps {
  store: ApprovalStore;
  callbacks: TaskCallbacks;
  closeOut: CloseOutHandoff;
  policy: DecisionPolicy;
}

/**
 * Decides a request: one conditional write picks the winner (double clicks, a click racing an
 * e-mail link, a click racing the timeout), then the workflow's waiting task is completed. When
 * the write loses, the record is read again to say precisely why.
 */
export async function decide(deps: DecideDeps, input: DecideInput): Promise<DecideResult> {
  const comment = input.comment?.trim().slice(0, MAX_COMMENT_LENGTH) || undefined;
  const output: DecisionOutput = {
    status: input.decision === 'approve' ? 'APPROVED' : 'REJECTED',
    decider: input.decider,
    decidedAt: input.now.toISOString(),
    ...(comment ? { comment } : {}),
  };
  const write = await deps.store.recordDecision(
    input.approvalId,
    { ...output, via: input.via },
    { now: input.now, allowSelfApproval: deps.policy.allowSelfApproval },
  );
  if (!write.won) {
    const current = await deps.store.get(input.approvalId);
    const refusal = refusalFor(current, input.decider, deps.policy, input.now);
    // Every condition held on re-read: the record changed between the write and the read.
    return { ok: false, ...(refusal ?? { reason: 'already-decided', approval: current as Approval }) };
  }
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
