import type {
  Approval,
  ApprovalOrigin,
  ApprovalStatus,
  ApproverGroup,
  Artifact,
  Schedule,
  Stage,
  TrailEntry,
  Vote,
} from './model';
import { ARTIFACT_KINDS } from './model';

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

/**
 * What a Home's "Recently decided" shows of a closed request: its outcome and, for a quorum, its tally
 * (`need`, and the votes as the trail's approved and rejected entries); never the task token.
 */
const DECIDED_PROJECTION = [
  ...INDEX_PROJECTION,
  'createdAt',
  'decider',
  'comment',
  'decidedVia',
  'need',
  'trail',
] as const;

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
    /** ApprovalOrigin as JSON: which system asked, for which artifact (app/gates). */
    origin: 'S',
    /** The one-time claim of the call back to the system that waits (GateCallbacks). */
    calledBackAt: 'S',
    /** Quorum: approvals needed, approvals still missing, and who has voted (see TRAIL). */
    need: 'N',
    remaining: 'N',
    voters: 'SS',
    /** The decision trail: append-only, one map per event (TrailEntry). */
    trail: 'L',
    policy: 'S',
    requireCommentOn: 'S',
    selfApproval: 'BOOL',
    /** User groups named as approvers: JSON of `[{ id, handle, members }]` as resolved at request time. */
    groups: 'S',
    /** Claimed once the request's own "Approval Updated" event is published. */
    requestPublishedAt: 'S',
    /** Reminders and escalation: JSON of Schedule, fixed when the request is made. */
    schedule: 'S',
    /** The link to what the request is about (a message shortcut's permalink). */
    sourceUrl: 'S',
    /** On a person's entry of a closed request (key `decided#<person>#<id>`): whose Home lists it. */
    decidedFor: 'S',
    /** The claim of the Home refresh at the outcome (see workflow-tasks.ts). */
    homePublishedAt: 'S',
    /** The Workflow Builder step that made the request, and the claim of its completion. */
    functionExecutionId: 'S',
    stepCompletedAt: 'S',
    /** A staged request's stages: JSON of `[{ name, approvers, need }]` as resolved at request time. */
    stages: 'S',
    /** The index of the stage being decided. */
    stage: 'N',
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
  'origin',
  'need',
  'remaining',
  'trail',
  'policy',
  'requireCommentOn',
  'selfApproval',
  'groups',
  'schedule',
  'sourceUrl',
  'functionExecutionId',
  'stages',
  'stage',
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
  const origin = originFromText(row.origin);
  if (origin !== undefined) approval.origin = origin;
  if (typeof row.need === 'number') approval.need = row.need;
  if (typeof row.remaining === 'number') approval.remaining = row.remaining;
  const trail = trailOf(row.trail);
  if (trail.length > 0) approval.trail = trail;
  const votes = votesOf(trail);
  if (votes.length > 0) approval.votes = votes;
  const policy = optionalString(row.policy);
  if (policy) approval.policy = policy;
  const rule = optionalString(row.requireCommentOn);
  if (rule === 'approve' || rule === 'reject' || rule === 'both') approval.requireCommentOn = rule;
  if (row.selfApproval === true) approval.selfApproval = true;
  const groups = groupsOf(row.groups);
  if (groups.length > 0) approval.groups = groups;
  const schedule = scheduleOf(row.schedule);
  if (schedule) approval.schedule = schedule;
  const stages = stagesOf(row.stages);
  if (stages.length > 1) {
    approval.stages = stages;
    approval.stage = typeof row.stage === 'number' ? row.stage : 0;
  }
  return approval;
}

/** The stored stages, or none when absent or not a list of them. */
export function stagesOf(text: unknown): Stage[] {
  let value: unknown;
  try {
    value = typeof text === 'string' && text !== '' ? JSON.parse(text) : undefined;
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((stage) => ({
    name: String(stage.name ?? ''),
    approvers: stringList(stage.approvers),
    need: typeof stage.need === 'number' && Number.isInteger(stage.need) && stage.need > 0 ? stage.need : 1,
  }));
}

/** The stored schedule, or none when it is absent, empty or not one. */
export function scheduleOf(text: unknown): Schedule | undefined {
  let value: unknown;
  try {
    value = typeof text === 'string' && text !== '' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const remindSeconds = Array.isArray(value.remindSeconds)
    ? value.remindSeconds.filter((item): item is number => Number.isInteger(item) && item > 0)
    : [];
  const escalate = isObject(value.escalate) ? value.escalate : undefined;
  const afterSeconds = escalate?.afterSeconds;
  const schedule: Schedule = { remindSeconds: [...remindSeconds].sort((a, b) => a - b) };
  if (escalate && typeof afterSeconds === 'number' && Number.isInteger(afterSeconds) && afterSeconds > 0) {
    const channel = optionalString(escalate.channel);
    schedule.escalate = {
      afterSeconds,
      approvers: stringList(escalate.approvers),
      ...(channel ? { channel } : {}),
    };
  }
  return schedule.remindSeconds.length > 0 || schedule.escalate ? schedule : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const TRAIL_KINDS = new Set<string>([
  'requested',
  'approved',
  'rejected',
  'expired',
  'cancelled',
  'reminded',
  'escalated',
  'stage-started',
]);

function trailOf(value: unknown): TrailEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((entry): TrailEntry[] => {
    if (typeof entry.kind !== 'string' || !TRAIL_KINDS.has(entry.kind)) return [];
    const by = optionalString(entry.by);
    const via = optionalString(entry.via);
    const comment = optionalString(entry.comment);
    const channel = optionalString(entry.channel);
    const to = stringList(entry.to);
    return [
      {
        kind: entry.kind as TrailEntry['kind'],
        at: String(entry.at ?? ''),
        ...(by ? { by } : {}),
        ...(via ? { via } : {}),
        ...(comment ? { comment } : {}),
        ...(to.length > 0 ? { to } : {}),
        ...(channel ? { channel } : {}),
        ...(typeof entry.stage === 'number' ? { stage: entry.stage } : {}),
      },
    ];
  });
}

function votesOf(trail: TrailEntry[]): Vote[] {
  return trail.flatMap((entry): Vote[] =>
    entry.kind === 'approved' || entry.kind === 'rejected'
      ? [
          {
            voter: entry.by ?? '',
            decision: entry.kind === 'approved' ? 'approve' : 'reject',
            at: entry.at,
            via: entry.via === 'email' ? 'email' : 'slack',
            ...(entry.comment ? { comment: entry.comment } : {}),
            ...(entry.stage !== undefined ? { stage: entry.stage } : {}),
          },
        ]
      : [],
  );
}

function groupsOf(text: unknown): ApproverGroup[] {
  let value: unknown;
  try {
    value = typeof text === 'string' && text !== '' ? JSON.parse(text) : [];
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((group) => {
    const handle = optionalString(group.handle);
    return { id: String(group.id ?? ''), ...(handle ? { handle } : {}), members: stringList(group.members) };
  });
}

/** The stored origin, or undefined when there is none or it is not one (nothing is assumed). */
export function originFromText(value: unknown): ApprovalOrigin | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const raw = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const system = optionalString(raw.system);
  if (system === undefined) return undefined;
  const origin: ApprovalOrigin = { system };
  const link = optionalString(raw.link);
  if (link !== undefined) origin.link = link;
  const caller = optionalString(raw.caller);
  if (caller !== undefined) origin.caller = caller;
  const callback = (typeof raw.callback === 'object' && raw.callback !== null ? raw.callback : {}) as Record<
    string,
    unknown
  >;
  if (
    callback.kind === 'github' &&
    Number.isSafeInteger(callback.installationId) &&
    Number.isSafeInteger(callback.runId) &&
    typeof callback.owner === 'string' &&
    typeof callback.repo === 'string' &&
    typeof callback.environment === 'string'
  ) {
    origin.callback = {
      kind: 'github',
      installationId: callback.installationId as number,
      owner: callback.owner,
      repo: callback.repo,
      runId: callback.runId as number,
      environment: callback.environment,
    };
  }
  const fields = ['pipelineName', 'stageName', 'actionName', 'token'] as const;
  if (callback.kind === 'codepipeline' && fields.every((field) => typeof callback[field] === 'string')) {
    const [pipelineName, stageName, actionName, token] = fields.map((field) => String(callback[field]));
    origin.callback = {
      kind: 'codepipeline',
      pipelineName: pipelineName ?? '',
      stageName: stageName ?? '',
      actionName: actionName ?? '',
      token: token ?? '',
    };
  }
  const artifact = (typeof raw.artifact === 'object' && raw.artifact !== null ? raw.artifact : {}) as Record<
    string,
    unknown
  >;
  const kind = ARTIFACT_KINDS.find((candidate) => candidate === artifact.kind);
  const digest = optionalString(artifact.digest);
  if (kind !== undefined && digest !== undefined) {
    const found: Artifact = { kind, digest };
    const ref = optionalString(artifact.ref);
    const url = optionalString(artifact.url);
    if (ref !== undefined) found.ref = ref;
    if (url !== undefined) found.url = url;
    origin.artifact = found;
  }
  return origin;
}
