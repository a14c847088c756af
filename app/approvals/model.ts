/** The approval record: the one source of truth for where a request stands. */
export const APPROVAL_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export type Decision = 'approve' | 'reject';

export interface Approval {
  id: string;
  status: ApprovalStatus;
  title: string;
  details?: string;
  /** Slack user ids. */
  requester: string;
  approvers: string[];
  /** Where the approval message is posted, and its ts once it is. */
  channelId: string;
  messageTs?: string;
  /** ISO-8601 instants. */
  createdAt: string;
  expiresAt: string;
  timeoutSeconds: number;
  email: boolean;
  /** Set once the request leaves PENDING. For CANCELLED, `decider` is whoever withdrew it. */
  decider?: string;
  comment?: string;
  decidedAt?: string;
  decidedVia?: 'slack' | 'email' | 'command' | 'timeout' | 'system';
  /** Why Greenlight could not reach someone (e.g. Slack said not_in_channel): visible in `status`. */
  deliveryProblems?: string[];
  /** Set on a request another system made (the approvals API, a GitHub deployment): who and for what. */
  origin?: ApprovalOrigin;
  /** How many distinct approvers must approve (1 when the record predates quorums). */
  need?: number;
  /** Approvals still missing: counts down with each vote, so a vote is one conditional write. */
  remaining?: number;
  /** Every approval and rejection so far, in the order they won their writes. */
  votes?: Vote[];
  /** The decision trail, oldest first: every event of the request, appended and never rewritten. */
  trail?: TrailEntry[];
  /** The policy the request was made under, when it names one. */
  policy?: string;
  /** Which decisions must carry a comment (the policy's `requireCommentOn`). */
  requireCommentOn?: 'none' | 'approve' | 'reject' | 'both';
  /** The policy lets the requester, when named an approver, decide their own request. */
  selfApproval?: boolean;
  /** User groups named as approvers, with the members they had when the request was made. */
  groups?: ApproverGroup[];
  /** Reminders and escalation (a policy's `remind` and `escalate`), run by the approval workflow. */
  schedule?: Schedule;
  /** A link to what the request is about (the Slack message it was made from); the message links back. */
  sourceUrl?: string;
  /** The Workflow Builder step that made the request (Slack's function execution id), completed at the outcome. */
  functionExecutionId?: string;
  /**
   * A staged request's stages, in order, as resolved when it was made. The current one's approvers
   * and quorum are also `approvers`, `need` and `remaining`, so a vote within a stage is the same write.
   */
  stages?: Stage[];
  /** The index in `stages` of the stage being decided (0 when the request has none). */
  stage?: number;
}

/** One stage of a staged request: who decides it (groups already resolved) and how many must approve. */
export interface Stage {
  name: string;
  approvers: string[];
  need: number;
}

export const ARTIFACT_KINDS = ['git-commit', 'container-image', 'terraform-plan', 'other'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** What a gate lets through: a commit, an image, a plan, named by its digest. */
export interface Artifact {
  kind: ArtifactKind;
  digest: string;
  ref?: string;
  url?: string;
}

/** The calling system as people read it in Slack ("API key ci"), and the artifact it asks about. */
export interface ApprovalOrigin {
  system: string;
  artifact?: Artifact;
  /** A page about the run that asks (a workflow run, a pipeline execution). */
  link?: string;
  /** Who made it, as the API authenticated them (`key:ci`, `iam:<arn>`): only they may read or cancel it. */
  caller?: string;
  /** Whom to tell the outcome, for a system that waits on its own side (a GitHub protection rule). */
  callback?: GateCallback;
}

export type GateCallback = GitHubCallback | PipelineCallback;

/**
 * A CodePipeline manual approval action waiting for this request. The token answers only that
 * action and only with codepipeline:PutApprovalResult; like the task token it never leaves the backend.
 */
export interface PipelineCallback {
  kind: 'codepipeline';
  pipelineName: string;
  stageName: string;
  actionName: string;
  token: string;
}

/** A GitHub deployment protection rule waiting for this request (app/gates, docs/github.md). */
export interface GitHubCallback {
  kind: 'github';
  installationId: number;
  owner: string;
  repo: string;
  runId: number;
  environment: string;
}

/** One approver's decision; the one that reaches the quorum (or any rejection) closes the request. */
export interface Vote {
  voter: string;
  decision: Decision;
  at: string;
  via: 'slack' | 'email';
  comment?: string;
  /** The stage it was cast in, on a staged request: the tally and "already voted" are per stage. */
  stage?: number;
}

/** One event of a request's decision trail. Votes are its `approved` and `rejected` entries. */
export interface TrailEntry {
  kind:
    | 'requested'
    | 'approved'
    | 'rejected'
    | 'expired'
    | 'cancelled'
    | 'reminded'
    | 'escalated'
    | 'stage-started';
  at: string;
  /** Who: the requester, an approver, or Greenlight itself (absent) for an expiry. */
  by?: string;
  via?: string;
  comment?: string;
  /** Who was reminded, or added as approvers by an escalation. */
  to?: string[];
  /** Where an escalation was posted. */
  channel?: string;
  /** On a staged request: the stage a vote was cast in, or the one that started. */
  stage?: number;
}

/** When the undecided are reminded and the request escalated, in seconds after it was made. */
export interface Schedule {
  remindSeconds: number[];
  escalate?: { afterSeconds: number; approvers: string[]; channel?: string };
}

export interface ApproverGroup {
  id: string;
  handle?: string;
  members: string[];
}

/** What the approval workflow's waiting task is completed with, and what other workflows read. */
export interface DecisionOutput {
  status: 'APPROVED' | 'REJECTED' | 'CANCELLED';
  decider: string;
  comment?: string;
  decidedAt: string;
}

/**
 * What the waiting task is completed with when a vote completes a stage that is not the last: the
 * workflow waits again, for the next stage, instead of announcing an outcome.
 */
export interface StageOutput {
  status: 'STAGE_APPROVED';
  /** The stage just approved. */
  stage: number;
  decider: string;
  decidedAt: string;
}

/** Errors the waiting task fails with; the workflow catches them and still ends cleanly. */
export const REJECTED_ERROR = 'Greenlight.Rejected';
export const CANCELLED_ERROR = 'Greenlight.Cancelled';
/** The first task found the request closed before it could wait (see workflow-tasks.ts). */
export const ALREADY_CLOSED_ERROR = 'Greenlight.AlreadyClosed';

/** The change pushed to WebSocket clients and carried by the EventBridge event. */
export interface ApprovalChange {
  id: string;
  status: ApprovalStatus;
  title: string;
  requester: string;
  decider?: string;
  comment?: string;
  at: string;
}

/** The votes cast in the request's current stage: all of them on a request without stages. */
export function stageVotes(approval: Pick<Approval, 'votes' | 'stages' | 'stage'>): Vote[] {
  const votes = approval.votes ?? [];
  if (approval.stages === undefined) return votes;
  const stage = approval.stage ?? 0;
  return votes.filter((vote) => (vote.stage ?? 0) === stage);
}

export function isOpen(approval: Pick<Approval, 'status'>): boolean {
  return approval.status === 'PENDING';
}

export const MAX_COMMENT_LENGTH = 500;
