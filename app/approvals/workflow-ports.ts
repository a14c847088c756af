import type { Approval, ApprovalChange, TrailEntry } from './model';
import type { NewApproval } from './new-request';
import type { ApprovalUpdate } from './ports';

/** Storage operations of the approval workflow's tasks, beyond deciding. */
export interface WorkflowStore {
  get(id: string): Promise<Approval | undefined>;
  /**
   * Stores the task token on a pending record, creating the record when the workflow was started
   * directly (not through /greenlight). `open: false` when the record is already closed.
   */
  openForDecision(
    request: NewApproval,
    taskToken: string,
  ): Promise<{ open: true; approval: Approval } | { open: false }>;
  writeInbox(approval: Approval): Promise<void>;
  /**
   * Claims the first post of the approval message: true unless the message is already posted or
   * another run of the first task claimed it less than `leaseMs` ago (a re-armed wait can start
   * while the first run is still posting).
   */
  claimPosting(id: string, at: Date, leaseMs: number): Promise<boolean>;
  recordMessage(id: string, messageTs: string): Promise<void>;
  recordDeliveryProblem(id: string, problem: string): Promise<void>;
  /**
   * Marks a one-time step done (`announcedAt`: the requester was told; `emailedAt`: the approvers
   * were mailed; `publishedAt`: the decided event was put); true only for the first caller, so a
   * retried task does not repeat it.
   */
  claimOnce(id: string, step: OnceStep, at: Date): Promise<boolean>;
  /**
   * Appends a reminder or an escalation to the trail of a pending request whose trail still has
   * `length` entries (so a retry, or a vote in between, never records it twice or out of order),
   * adding `approvers` to it for an escalation. False when the condition failed.
   */
  appendEvent(id: string, entry: TrailEntry, length: number, approvers?: string[]): Promise<boolean>;
  /** Gives a claim back when its step failed, so the next attempt does it. */
  releaseClaim(id: string, step: OnceStep): Promise<void>;
  /**
   * Drops the task token and the approvers' inbox entries once the request is closed, and takes
   * the record out of the index of unsettled requests: the last step of a close-out.
   */
  closeOut(approval: Approval, at: Date): Promise<void>;
}

export type OnceStep =
  | 'announcedAt'
  | 'emailedAt'
  | 'publishedAt'
  | 'calledBackAt'
  | 'requestPublishedAt'
  | 'homePublishedAt'
  | 'stepCompletedAt';

/** Where a closed request's outcome is published (EventBridge's "Greenlight Approval Decided"). */
export interface OutcomeEvents {
  /**
   * Publishes the outcome; `closing`, the trail event that closed a request no vote closed (an
   * expiry, a cancellation), goes out with it as "Greenlight Approval Updated" in the same call.
   */
  decided(outcome: ApprovalOutcome, closing?: ApprovalUpdate): Promise<void>;
  /** Publishes one trail event as "Greenlight Approval Updated" (the request, once posted). */
  updated(update: ApprovalUpdate): Promise<void>;
}

/** The outcome the decided event carries and the workflow returns to callers (`.sync:2`). */
export interface ApprovalOutcome {
  id: string;
  status: Approval['status'];
  title: string;
  requester: string;
  approvers: string[];
  decider: string | null;
  comment: string | null;
  via: string | null;
  requestedAt: string;
  decidedAt: string | null;
  /** The policy the request was made under, if any. */
  policy: string | null;
  /** How the votes stood at the outcome. */
  tally: { need: number; approved: string[]; rejected: string[] };
  /** Every event of the request, oldest first (the record's decision trail). */
  trail: TrailEntry[];
}

export type Delivery = { ok: true } | { ok: false; problem: string };

/** Slack, as the approval workflow uses it. */
export interface ApprovalNotifier {
  /** Posts the approval message, or updates it when it was posted by an earlier attempt. */
  publish(approval: Approval): Promise<{ ok: true; messageTs: string } | { ok: false; problem: string }>;
  /** Replaces the message with the closed version (no buttons). */
  update(approval: Approval): Promise<Delivery>;
  tellRequester(approval: Approval): Promise<Delivery>;
  tellRequesterOfProblem(approval: Approval, problem: string): Promise<Delivery>;
  /** At the outcome, a direct message to each approver who did not decide: the thread tells the rest. */
  tellUndecided(approval: Approval, approvers: string[]): Promise<Delivery>;
  /** A direct message to each approver who has not decided yet. */
  remind(approval: Approval, approvers: string[]): Promise<Delivery>;
  /** Tells the approvers an escalation added, and posts to the escalation channel when there is one. */
  escalated(approval: Approval, added: string[], channel: string | undefined): Promise<Delivery>;
}

export interface PersonDirectory {
  displayName(userId: string): Promise<string>;
  email(userId: string): Promise<string | undefined>;
}

export interface Mailer {
  send(to: string, content: { subject: string; text: string; html: string }): Promise<void>;
}

/** Which Slack channels are private: a request made in one is shown nowhere outside Slack. */
export interface ChannelDirectory {
  /** True when it cannot be told, so a doubt never shows a request. */
  isPrivate(channelId: string): Promise<boolean>;
}

/**
 * Tells a system that waits on its own side how a request it made ended (a GitHub deployment
 * protection rule, app/gates). `ok` also when the request has no one to tell.
 */
export interface GateCallbacks {
  /** `final`: the waiting system will never take it (its token expired): recorded, and not tried again. */
  callBack(approval: Approval): Promise<Delivery | { ok: false; problem: string; final: true }>;
}

/** Pushes approval changes to connected WebSocket clients (a no-op where none are configured). */
export interface ClientPush {
  approvalChanged(change: ApprovalChange): Promise<void>;
}

export interface LinkSettings {
  baseUrl: string;
  key: string;
}
