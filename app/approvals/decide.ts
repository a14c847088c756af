import {
  type Approval,
  type Decision,
  type DecisionOutput,
  MAX_COMMENT_LENGTH,
  REJECTED_ERROR,
  type StageOutput,
  stageVotes,
} from './model';
import { type DecisionPolicy, type Refusal, refusalFor } from './policy';
import type {
  ApprovalStore,
  ApprovalUpdate,
  CallbackOutcome,
  CloseOutHandoff,
  StagedVote,
  TaskCallbacks,
  UpdateEvents,
  VoteMode,
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
  // Most requests need one approval: try closing first, so the common click is a single write. A
  // staged request refuses that blind write and is voted on in the stage its record is read in.
  let mode: VoteMode = 'close';
  let staged: StagedVote | undefined;
  for (let round = 0; round < MAX_VOTE_ROUNDS; round += 1) {
    const vote = { ...output, via: input.via };
    const write = await deps.store.recordVote(input.approvalId, vote, mode, rules, staged);
    if (write.won) {
      await deps.events?.updated(updateOf(write.approval));
      if (mode === 'count') return { ok: true, approval: write.approval, callback: 'counted' };
      if (mode === 'advance' && staged) {
        const stageOutput: StageOutput = {
          status: 'STAGE_APPROVED',
          stage: staged.stage,
          decider: output.decider,
          decidedAt: output.decidedAt,
        };
        return completeTask(deps, input, write, (token) => deps.callbacks.succeed(token, stageOutput));
      }
      return completeTask(deps, input, write, (token) =>
        input.decision === 'approve'
          ? deps.callbacks.succeed(token, output)
          : deps.callbacks.fail(token, REJECTED_ERROR, output),
      );
    }
    const current = await deps.store.get(input.approvalId);
    const refusal = refusalFor(current, input.decider, deps.policy, input.now, {
      decision: input.decision,
      comment,
    });
    if (refusal) return { ok: false, ...refusal };
    if (current === undefined) return { ok: false, reason: 'not-found' };
    // Every rule held on re-read: the count (or the stage) moved between the write and the read.
    staged = stagedVoteOf(current);
    const completes = (current.remaining ?? 1) <= 1;
    mode = input.decision === 'reject' ? 'close' : !completes ? 'count' : staged?.next ? 'advance' : 'close';
  }
  // Never reached with ten approvers; a record that keeps moving is reported, not looped on.
  throw new Error(`Vote on ${input.approvalId} lost ${MAX_VOTE_ROUNDS} races in a row`);
}

/** The stage a vote on this record is cast in, and the one it leads to; none without stages. */
function stagedVoteOf(approval: Approval): StagedVote | undefined {
  if (approval.stages === undefined) return undefined;
  const stage = approval.stage ?? 0;
  const next = approval.stages[stage + 1];
  return next ? { stage, next } : { stage };
}

/** The vote just recorded (the trail's last entry) and the tally it leaves. */
export function updateOf(approval: Approval): ApprovalUpdate {
  const votes = stageVotes(approval);
  // The vote that completes a stage is written with the next stage's start: the vote is the event.
  const event = [...(approval.trail ?? [])].reverse().find((entry) => entry.kind !== 'stage-started') ?? {
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
  write: { approval: Approval; taskToken: string | undefined },
  send: (taskToken: string) => Promise<CallbackOutcome>,
): Promise<DecideResult> {
  // No token yet means the workflow's first task has not stored it; that task reads the decided
  // record when it does and completes itself, so nothing is lost.
  if (write.taskToken === undefined) return { ok: true, approval: write.approval, callback: 'no-token-yet' };
  const callback = await send(write.taskToken);
  if (callback === 'delivered') return { ok: true, approval: write.approval, callback };
  // Decided in the record, but no workflow will announce it (stopped by an operator, its callback
  // lost): the product closes it out, so the buttons never outlive the decision.
  const closeOut = await deps.closeOut.handOff(input.approvalId, `workflow task gone: ${callback}`);
  return { ok: true, approval: write.approval, callback, closeOut };
}
