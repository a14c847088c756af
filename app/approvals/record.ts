import type { Approval, ApprovalStatus } from './model';

export type AttributeType = 'S' | 'N' | 'BOOL' | 'SS' | 'L';

export interface TableSchema {
  key: string;
  attributes: Record<string, AttributeType>;
  indexes: Record<string, { hash: string; range: string; projected: readonly string[] }>;
  ttl: string;
}

/** What `list` shows of an open request: all an index item needs, and never the task token. */
const INDEX_PROJECTION = [
  'approvalId',
  'status',
  'title',
  'requester',
  'approvers',
  'channelId',
  'expiresAt',
] as const;

/** What a Home's "Recently decided" shows of a closed request: its outcome, and never the task token. */
const DECIDED_PROJECTION = [...INDEX_PROJECTION, 'createdAt', 'decider', 'comment', 'decidedVia'] as const;

/**
 * The approvals table, defined once. The store, the Slack views (through the command workflow's
 * decoded output) and the tests read it from here; template.yaml's table and the DynamoDB states
 * of workflows/*.asl.json are checked against it (tests/unit/approvals/record-schema.test.ts).
 *
 * One item per request (key `pk` = approval id), plus one inbox item per approver (key
 * `<id>#<approver>`, carrying `approvalId` and `openApprover`), and, once it is closed, one entry
 * per person involved (key `decided#<person>#<id>`, carrying `decidedFor`) for their App Home. The `open*` attributes exist only
 * while the request is open, so the two Open* indexes list open requests and nothing else;
 * `unsettled` exists on a record from its creation until its close-out has run every step, so the
 * Unsettled index lists what the close-out sweep must look at (see UNSETTLED). `purgeAt` is the
 * TTL. The task token lives only on the record item and is never projected into an index.
 */
export const APPROVALS_TABLE = {
  key: 'pk',
  /** Every attribute an item may hold, with its DynamoDB type. */
  attributes: {
    pk: 'S',
    status: 'S',
    title: 'S',
    details: 'S',
    requester: 'S',
    approvers: 'SS',
    channelId: 'S',
    messageTs: 'S',
    createdAt: 'S',
    expiresAt: 'S',
    expiresAtEpoch: 'N',
    timeoutSeconds: 'N',
    email: 'BOOL',
    decider: 'S',
    comment: 'S',
    decidedAt: 'S',
    decidedVia: 'S',
    deliveryProblems: 'L',
    taskToken: 'S',
    openRequester: 'S',
    openApprover: 'S',
    approvalId: 'S',
    announcedAt: 'S',
    emailedAt: 'S',
    publishedAt: 'S',
    unsettled: 'S',
    completedAt: 'S',
    purgeAt: 'N',
    /** The id every log line of this request's functions carries (docs/operations.md). */
    correlationId: 'S',
    /** The link to what the request is about (a message shortcut's permalink). */
    sourceUrl: 'S',
    /** On a person's entry of a closed request (key `decided#<person>#<id>`): whose Home lists it. */
    decidedFor: 'S',
    /** The claim of the Home refresh at the outcome (see workflow-tasks.ts). */
    homePublishedAt: 'S',
    /** The Workflow Builder step that made the request, and the claim of its completion. */
    functionExecutionId: 'S',
    stepCompletedAt: 'S',
  },
  indexes: {
    OpenByRequester: { hash: 'openRequester', range: 'createdAt', projected: INDEX_PROJECTION },
    OpenByApprover: { hash: 'openApprover', range: 'createdAt', projected: INDEX_PROJECTION },
    Unsettled: { hash: 'unsettled', range: 'expiresAt', projected: ['status', 'decidedAt'] },
    DecidedByPerson: { hash: 'decidedFor', range: 'decidedAt', projected: DECIDED_PROJECTION },
  },
  ttl: 'purgeAt',
} as const satisfies TableSchema;

export type ApprovalAttribute = keyof typeof APPROVALS_TABLE.attributes;

/**
 * The sparse index of unsettled requests: every record carries the same value until its close-out
 * has run, so the sweep finds what is decided but not announced, or pending past expiry, with one
 * Query, never a Scan. One partition: it holds only the open requests and those mid close-out, a
 * few thousand at most.
 */
export const UNSETTLED = { index: 'Unsettled', attribute: 'unsettled', value: 'open' } as const;

/**
 * The attributes read into an Approval: every read of a whole record projects exactly these (the
 * store's GetItem and the command workflow's `status`), so the task token never leaves the table.
 */
export const RECORD_ATTRIBUTES = [
  'pk',
  'status',
  'title',
  'details',
  'requester',
  'approvers',
  'channelId',
  'messageTs',
  'createdAt',
  'expiresAt',
  'timeoutSeconds',
  'email',
  'decider',
  'comment',
  'decidedAt',
  'decidedVia',
  'deliveryProblems',
  'sourceUrl',
  'functionExecutionId',
] as const satisfies ReadonlyArray<ApprovalAttribute>;

/** The key of an approver's inbox item. */
export const inboxKey = (id: string, approver: string) => `${id}#${approver}`;

/**
 * The key of a person's entry of a closed request, which the DecidedByPerson index lists by person.
 * It does not start with the id, so a request's `<id>#` items remain its inbox items alone.
 */
export const decidedKey = (id: string, person: string) => `decided#${person}#${id}`;

/** Items as DynamoDB returns them, unmarshalled; sets come back as Set and numbers as number. */
type Row = Record<string, unknown>;

function stringList(value: unknown): string[] {
  if (value instanceof Set)
    return [...value].filter((item): item is string => typeof item === 'string').sort();
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads a stored item (a record or an inbox item) into the domain's record; other attributes are ignored. */
export function approvalFromRow(row: Row): Approval {
  const approval: Approval = {
    // Inbox items (one per approver) carry the id in approvalId; the record carries it as its key.
    id: String(row.approvalId ?? row.pk),
    status: String(row.status) as ApprovalStatus,
    title: String(row.title ?? ''),
    requester: String(row.requester ?? ''),
    approvers: stringList(row.approvers),
    channelId: String(row.channelId ?? ''),
    createdAt: String(row.createdAt ?? ''),
    expiresAt: String(row.expiresAt ?? ''),
    timeoutSeconds: Number(row.timeoutSeconds ?? 0),
    email: row.email === true,
  };
  const optional = {
    details: optionalString(row.details),
    messageTs: optionalString(row.messageTs),
    decider: optionalString(row.decider),
    comment: optionalString(row.comment),
    decidedAt: optionalString(row.decidedAt),
    decidedVia: optionalString(row.decidedVia) as Approval['decidedVia'],
    sourceUrl: optionalString(row.sourceUrl),
    functionExecutionId: optionalString(row.functionExecutionId),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(approval, { [key]: value });
  }
  const problems = stringList(row.deliveryProblems);
  if (problems.length > 0) approval.deliveryProblems = problems;
  return approval;
}
