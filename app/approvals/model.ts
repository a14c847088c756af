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
  /** A link to what the request is about (the Slack message it was made from); the message links back. */
  sourceUrl?: string;
  /** The Workflow Builder step that made the request (Slack's function execution id), completed at the outcome. */
  functionExecutionId?: string;
}

/** What the approval workflow's waiting task is completed with, and what other workflows read. */
export interface DecisionOutput {
  status: 'APPROVED' | 'REJECTED' | 'CANCELLED';
  decider: string;
  comment?: string;
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

export function isOpen(approval: Pick<Approval, 'status'>): boolean {
  return approval.status === 'PENDING';
}

export const MAX_COMMENT_LENGTH = 500;
