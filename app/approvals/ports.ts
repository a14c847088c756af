import type { Approval, DecisionOutput, Stage, StageOutput, TrailEntry } from './model';

/** What the domain needs from storage (DynamoDB in production). */
export interface ApprovalStore {
  get(id: string): Promise<Approval | undefined>;
  /**
   * Records one approver's vote in one conditional write: the request must be PENDING and unexpired
   * at `now`, the voter a named approver who has not voted yet and, unless allowed, not the
   * requester. `close` writes the outcome with the vote (a rejection, or the approval that reaches
   * the quorum: `remaining` is 1, or absent on a record from before quorums); `count` only counts it
   * (`remaining` above 1); `advance` records the approval that completes a stage which is not the
   * last and starts `staged.next` in the same write. Returns the task token when a `close` or an
   * `advance` wins; `lost` when any condition fails. Without `staged` the write only applies to a
   * request without stages; with it, only to that stage of a staged one.
   */
  recordVote(
    id: string,
    vote: DecisionOutput & { via: 'slack' | 'email' },
    mode: VoteMode,
    rules: { now: Date; allowSelfApproval: boolean },
    staged?: StagedVote,
  ): Promise<{ won: true; approval: Approval; taskToken: string | undefined } | { won: false }>;
}

export type VoteMode = 'close' | 'count' | 'advance';

/** The stage a vote on a staged request is cast in, and the stage that follows it (none for the last). */
export interface StagedVote {
  stage: number;
  next?: Stage;
}

/**
 * Why the waiting task could not take the decision (Step Functions' own error names): it timed
 * out, its execution was stopped, or the token is unknown. The record still rules; the product
 * then closes the request out itself (see close-out.ts).
 */
export const TASK_GONE_ERRORS = ['TaskDoesNotExist', 'InvalidToken', 'TaskTimedOut'] as const;
export type TaskGone = (typeof TASK_GONE_ERRORS)[number];

/** `delivered`: the workflow has the decision. */
export type CallbackOutcome = 'delivered' | TaskGone;

/**
 * Hands a decided request whose workflow can no longer announce it to the close-out (an
 * asynchronous invocation in production). `left-to-sweep` when even the hand-off failed: the
 * record is decided and unsettled, so the scheduled sweep closes it out minutes later.
 */
export interface CloseOutHandoff {
  handOff(approvalId: string, reason: string): Promise<'handed-off' | 'left-to-sweep'>;
}

/** Completes the approval workflow's waiting task (Step Functions SendTaskSuccess/Failure). */
export interface TaskCallbacks {
  succeed(taskToken: string, output: DecisionOutput | StageOutput): Promise<CallbackOutcome>;
  fail(taskToken: string, error: string, cause: DecisionOutput): Promise<CallbackOutcome>;
}

/** One event of a request's trail, as "Greenlight Approval Updated" carries it. */
export interface ApprovalUpdate {
  id: string;
  status: Approval['status'];
  title: string;
  policy: string | null;
  event: TrailEntry;
  tally: { need: number; approved: string[]; rejected: string[] };
}

/**
 * Publishes "Greenlight Approval Updated" (EventBridge in production). A failure is the adapter's to
 * report: the vote is already recorded, and the trail on the record keeps the event.
 */
export interface UpdateEvents {
  updated(update: ApprovalUpdate): Promise<void>;
}
