import type { Approval, DecisionOutput } from './model';

/** What the domain needs from storage (DynamoDB in production). */
export interface ApprovalStore {
  get(id: string): Promise<Approval | undefined>;
  /**
   * Records a decision in one conditional write: the request must be PENDING and unexpired at
   * `now`, the decider a named approver and, unless allowed, not the requester. Returns the task
   * token stored on the record when the write wins, `lost` when any condition fails.
   */
  recordDecision(
    id: string,
    decision: DecisionOutput & { via: 'slack' | 'email' },
    rules: { now: Date; allowSelfApproval: boolean },
  ): Promise<{ won: true; approval: Approval; taskToken: string | undefined } | { won: false }>;
}

export type CallbackOutcome =
  /** The workflow has the decision. */
  | 'delivered'
  /** The waiting task is gone (timed out, already completed, unknown token): the record still rules. */
  | 'task-closed';

/** Completes the approval workflow's waiting task (Step Functions SendTaskSuccess/Failure). */
export interface TaskCallbacks {
  succeed(taskToken: string, output: DecisionOutput): Promise<CallbackOutcome>;
  fail(taskToken: string, error: string, cause: DecisionOutput): Promise<CallbackOutcome>;
}
