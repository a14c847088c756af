import type { Approval, ApproverGroup, Stage } from './model';
import type { DecisionPolicy } from './policy';
import { scheduleOf } from './record';

/** Every limit on a request, whoever makes it: Slack's command and modal, a direct start, the API. */
export const REQUEST_LIMITS = {
  /** Slack's limit for a header block, where the title is shown. */
  titleLength: 150,
  detailsLength: 2000,
  /** A Slack permalink is well under this; anything longer is not one. */
  sourceUrlLength: 1000,
  approvers: 10,
  /** Step Functions waits whole seconds, at least one. */
  minTimeoutSeconds: 1,
  maxTimeoutSeconds: 30 * 24 * 60 * 60,
} as const;

/** A request as a caller gives it; a direct start's JSON may hold anything, so nothing is assumed. */
export interface RequestInput {
  id: unknown;
  title: unknown;
  details?: unknown;
  requester: unknown;
  approvers: unknown;
  channelId: unknown;
  timeoutSeconds: unknown;
  email?: unknown;
  /** How many distinct approvers must approve: a whole number, or `all`; 1 when absent. */
  need?: unknown;
  /** Set by a policy: its name, its comment rule, whether its requesters may approve their own. */
  policy?: unknown;
  requireCommentOn?: unknown;
  selfApproval?: unknown;
  /** User groups named as approvers, with the members they had now (their members are approvers too). */
  groups?: ApproverGroup[] | undefined;
  /** Reminders and escalation, from a policy or a direct start (checked, not trusted). */
  schedule?: unknown;
  /** A link back to what the request is about (a message shortcut's permalink). */
  sourceUrl?: unknown;
  /** The Workflow Builder step making the request (Slack's function execution id). */
  functionExecutionId?: unknown;
  /**
   * A staged policy's stages, in order, each `{ name, approvers, groups?, need }` (or that list as
   * JSON text, as a checked request carries it). The first stage's deciders are the request's own
   * `approvers`, `groups` and `need`; the later ones are checked by the same rules.
   */
  stages?: unknown;
}

/** What is wrong with one field of a request; each caller words it (or maps it to a form field). */
export type RequestError =
  | { field: 'id'; problem: 'missing' }
  | { field: 'title'; problem: 'missing' }
  | { field: 'title'; problem: 'too-long'; length: number; max: number }
  | { field: 'details'; problem: 'not-text' }
  | { field: 'details'; problem: 'too-long'; length: number; max: number }
  | { field: 'requester'; problem: 'missing' }
  | { field: 'approvers'; problem: 'missing' }
  | { field: 'approvers'; problem: 'not-people' }
  | { field: 'approvers'; problem: 'too-many'; count: number; max: number }
  | { field: 'approvers'; problem: 'only-requester' }
  | { field: 'channel'; problem: 'missing' }
  | { field: 'timeout'; problem: 'not-whole-seconds' }
  | { field: 'timeout'; problem: 'too-short'; min: number }
  | { field: 'timeout'; problem: 'too-long'; max: number }
  | { field: 'email'; problem: 'not-yes-or-no' }
  | { field: 'policy'; problem: 'not-usable'; reason: string }
  | { field: 'need'; problem: 'not-a-count' }
  | { field: 'need'; problem: 'more-than-approvers'; need: number; approvers: number }
  | { field: 'source'; problem: 'not-a-link' }
  | { field: 'step'; problem: 'not-a-step' };

export type RequestField = RequestError['field'];

/**
 * A new request as the command workflow stores it; `expiresAtEpoch` feeds the DynamoDB conditions.
 * The quorum and policy fields are always present (empty when unused), so the workflow's PutItem
 * names each once; `groups` travels as JSON text, which a workflow stores as it is.
 */
export type NewApproval = Omit<
  Approval,
  | 'status'
  | 'messageTs'
  | 'decider'
  | 'comment'
  | 'decidedAt'
  | 'need'
  | 'remaining'
  | 'votes'
  | 'policy'
  | 'requireCommentOn'
  | 'selfApproval'
  | 'groups'
  | 'schedule'
  | 'stages'
  | 'stage'
> & {
  expiresAtEpoch: number;
  need: number;
  policy: string;
  requireCommentOn: NonNullable<Approval['requireCommentOn']>;
  selfApproval: boolean;
  /** The groups as JSON text (the record's `groups`). */
  groupsJson: string;
  /** The schedule as JSON text (the record's `schedule`); empty when there is none. */
  scheduleJson: string;
  /** The stages as JSON text (the record's `stages`); empty when the request has none. */
  stagesJson: string;
};

export type RequestCheck =
  | { ok: true; approval: NewApproval }
  | { ok: false; errors: [RequestError, ...RequestError[]] };

const isText = (value: unknown): value is string => typeof value === 'string';
const filled = (value: unknown): value is string => isText(value) && value.trim() !== '';

export function titleError(value: unknown): RequestError | undefined {
  if (!filled(value)) return { field: 'title', problem: 'missing' };
  const length = value.trim().length;
  const max = REQUEST_LIMITS.titleLength;
  return length > max ? { field: 'title', problem: 'too-long', length, max } : undefined;
}

function detailsError(value: unknown): RequestError | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isText(value)) return { field: 'details', problem: 'not-text' };
  const length = value.trim().length;
  const max = REQUEST_LIMITS.detailsLength;
  return length > max ? { field: 'details', problem: 'too-long', length, max } : undefined;
}

/** Only a web link is shown as the request's source: never `javascript:` or a relative path. */
function sourceUrlError(value: unknown): RequestError | undefined {
  if (value === undefined || value === null) return undefined;
  const protocol =
    isText(value) && value.length <= REQUEST_LIMITS.sourceUrlLength && URL.canParse(value)
      ? new URL(value).protocol
      : undefined;
  return protocol === 'https:' || protocol === 'http:'
    ? undefined
    : { field: 'source', problem: 'not-a-link' };
}

/** A function execution id as Slack issues them (`Fx…`): it is stored on the record, so it is checked. */
const EXECUTION_ID = /^Fx[0-9A-Za-z]{4,60}$/;

export function isFunctionExecutionId(value: unknown): value is string {
  return typeof value === 'string' && EXECUTION_ID.test(value);
}

/** Too many approvers: also checked as a command is read, before anything else is known. */
export function approverCountError(approvers: readonly string[]): RequestError | undefined {
  const max = REQUEST_LIMITS.approvers;
  return approvers.length > max
    ? { field: 'approvers', problem: 'too-many', count: approvers.length, max }
    : undefined;
}

function approversError(approvers: string[] | undefined, requester: unknown, policy: DecisionPolicy) {
  if (approvers === undefined) return { field: 'approvers', problem: 'not-people' } as const;
  if (approvers.length === 0) return { field: 'approvers', problem: 'missing' } as const;
  const tooMany = approverCountError(approvers);
  if (tooMany) return tooMany;
  if (!policy.allowSelfApproval && approvers.every((approver) => approver === requester)) {
    return { field: 'approvers', problem: 'only-requester' } as const;
  }
  return undefined;
}

export function timeoutError(value: unknown): RequestError | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value))
    return { field: 'timeout', problem: 'not-whole-seconds' };
  if (value < REQUEST_LIMITS.minTimeoutSeconds)
    return { field: 'timeout', problem: 'too-short', min: REQUEST_LIMITS.minTimeoutSeconds };
  if (value > REQUEST_LIMITS.maxTimeoutSeconds)
    return { field: 'timeout', problem: 'too-long', max: REQUEST_LIMITS.maxTimeoutSeconds };
  return undefined;
}

/** The approvers named, each once, or undefined when that is not a list of user ids. */
function distinctApprovers(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || !value.every(filled)) return undefined;
  return [...new Set(value)];
}

/**
 * Checks a request against every rule, in one place, and dates it. The errors name each field that
 * is wrong (at most one error a field, in the order id, title, details, requester, approvers, channel,
 * timeout, email, source, step), so a form can show them beside their fields and a command the first.
 */
export function newApproval(input: RequestInput, deployment: DecisionPolicy, now: Date): RequestCheck {
  const selfApproval = input.selfApproval === true;
  const policy = { allowSelfApproval: deployment.allowSelfApproval || selfApproval };
  const groups = input.groups ?? [];
  const named = distinctApprovers(input.approvers);
  // A group's members are approvers as much as the people named; each counts once.
  const approvers = named && [...new Set([...named, ...groups.flatMap((group) => group.members)])];
  const errors = [
    filled(input.id) ? undefined : ({ field: 'id', problem: 'missing' } as const),
    titleError(input.title),
    detailsError(input.details),
    filled(input.requester) ? undefined : ({ field: 'requester', problem: 'missing' } as const),
    approversError(approvers, input.requester, policy),
    filled(input.channelId) ? undefined : ({ field: 'channel', problem: 'missing' } as const),
    timeoutError(input.timeoutSeconds),
    input.email === undefined || typeof input.email === 'boolean'
      ? undefined
      : ({ field: 'email', problem: 'not-yes-or-no' } as const),
    sourceUrlError(input.sourceUrl),
    input.functionExecutionId === undefined || isFunctionExecutionId(input.functionExecutionId)
      ? undefined
      : ({ field: 'step', problem: 'not-a-step' } as const),
  ].filter((error): error is RequestError => error !== undefined);
  const eligible = policy.allowSelfApproval
    ? (approvers ?? [])
    : (approvers ?? []).filter((approver) => approver !== input.requester);
  const need = input.need === 'all' ? Math.max(1, eligible.length) : (input.need ?? 1);
  if (errors.length === 0) {
    const needError = quorumError(need, eligible.length);
    if (needError) errors.push(needError);
  }
  const later = laterStages(input.stages, input.requester, policy);
  if (errors.length === 0 && 'error' in later) errors.push(later.error);
  const [first, ...more] = errors;
  if (first) return { ok: false, errors: [first, ...more] };
  if (approvers === undefined) return { ok: false, errors: [{ field: 'approvers', problem: 'not-people' }] };

  const requester = input.requester as string;
  const rule = input.requireCommentOn;
  const timeoutSeconds = input.timeoutSeconds as number;
  const details = (input.details as string | undefined)?.trim();
  const expires = new Date(now.getTime() + timeoutSeconds * 1000);
  return {
    ok: true,
    approval: {
      id: input.id as string,
      title: (input.title as string).trim(),
      ...(details ? { details } : {}),
      requester,
      // A requester who may not decide is not listed as an approver of their own request.
      approvers: policy.allowSelfApproval
        ? approvers
        : approvers.filter((approver) => approver !== requester),
      channelId: input.channelId as string,
      createdAt: now.toISOString(),
      expiresAt: expires.toISOString(),
      expiresAtEpoch: Math.floor(expires.getTime() / 1000),
      timeoutSeconds,
      email: input.email === true,
      need: need as number,
      policy: typeof input.policy === 'string' ? input.policy : '',
      requireCommentOn: rule === 'approve' || rule === 'reject' || rule === 'both' ? rule : 'none',
      selfApproval,
      groupsJson: JSON.stringify(groups),
      scheduleJson: scheduleText(input.schedule),
      stagesJson:
        'stages' in later && later.stages.length > 0
          ? JSON.stringify([{ name: later.firstName, approvers: eligible, need }, ...later.stages])
          : '',
      ...(typeof input.sourceUrl === 'string' ? { sourceUrl: input.sourceUrl } : {}),
      ...(typeof input.functionExecutionId === 'string'
        ? { functionExecutionId: input.functionExecutionId }
        : {}),
    },
  };
}

/**
 * The stages after the first, checked like the first (people, at most ten, a quorum they can reach)
 * and with the requester left out unless they may decide their own request.
 */
function laterStages(
  value: unknown,
  requester: unknown,
  policy: DecisionPolicy,
): { firstName: string; stages: Stage[] } | { error: RequestError } {
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = value === '' ? undefined : JSON.parse(value);
    } catch {
      return { error: { field: 'approvers', problem: 'not-people' } };
    }
  }
  if (list === undefined || list === null) return { firstName: '', stages: [] };
  if (!Array.isArray(list)) return { error: { field: 'approvers', problem: 'not-people' } };
  const items = list.map(
    (item) => (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>,
  );
  const [first, ...rest] = items;
  const stages: Stage[] = [];
  for (const item of rest) {
    const groups = Array.isArray(item.groups) ? (item.groups as ApproverGroup[]) : [];
    const named = distinctApprovers(item.approvers);
    const approvers = named && [...new Set([...named, ...groups.flatMap((group) => group.members ?? [])])];
    const wrong = approversError(approvers, requester, policy);
    if (wrong) return { error: wrong };
    const eligible = policy.allowSelfApproval
      ? (approvers ?? [])
      : (approvers ?? []).filter((approver) => approver !== requester);
    const need = item.need === 'all' ? Math.max(1, eligible.length) : (item.need ?? 1);
    const needError = quorumError(need, eligible.length);
    if (needError) return { error: needError };
    stages.push({
      name: typeof item.name === 'string' ? item.name : '',
      approvers: eligible,
      need: need as number,
    });
  }
  return { firstName: typeof first?.name === 'string' ? first.name : '', stages };
}

/** Only what reads as a schedule is kept (scheduleOf drops the rest); none is the empty text. */
function scheduleText(value: unknown): string {
  const schedule = scheduleOf(typeof value === 'string' ? value : JSON.stringify(value ?? null));
  return schedule ? JSON.stringify(schedule) : '';
}

function quorumError(need: unknown, eligible: number): RequestError | undefined {
  if (typeof need !== 'number' || !Number.isInteger(need) || need < 1)
    return { field: 'need', problem: 'not-a-count' };
  return need > eligible
    ? { field: 'need', problem: 'more-than-approvers', need, approvers: eligible }
    : undefined;
}

/** The sentence a person reads for an error, where the caller has no wording of its own. */
export function requestErrorText(error: RequestError): string {
  switch (error.problem) {
    case 'missing':
      return {
        id: 'Give the request an id.',
        title: 'Add a title: say what needs approval.',
        requester: 'Say who asks for approval.',
        approvers: 'Name at least one approver.',
        channel: 'Pick the channel to post the request in.',
      }[error.field];
    case 'too-long':
      // The longest timeout is a whole number of days (REQUEST_LIMITS).
      if (error.field === 'timeout') return `The timeout can be at most ${error.max / 86_400} days.`;
      return error.field === 'title'
        ? `The title is ${error.length} characters; keep it to ${error.max}.`
        : `The details are ${error.length} characters; keep them to ${error.max}.`;
    case 'not-text':
      return 'The details must be text.';
    case 'not-people':
      return 'Approvers must be a list of Slack user ids.';
    case 'too-many':
      return `Name at most ${error.max} approvers.`;
    case 'only-requester':
      return 'You cannot approve your own request; name someone else as approver.';
    case 'not-whole-seconds':
      return 'The timeout must be a whole number of seconds.';
    case 'too-short':
      return `The timeout must be at least ${error.min} second${error.min === 1 ? '' : 's'}.`;
    case 'not-yes-or-no':
      return 'Say whether to e-mail the approvers with true or false.';
    case 'not-usable':
      return error.reason;
    case 'not-a-count':
      return 'Say how many approvers must approve with a whole number from 1, or `all`.';
    case 'more-than-approvers':
      return `${error.need} approvals are needed but only ${error.approvers} approver${error.approvers === 1 ? ' is' : 's are'} named who may decide.`;
    case 'not-a-link':
      return 'The source must be an http(s) link of at most 1000 characters.';
    case 'not-a-step':
      return 'The Workflow Builder step is not one Slack started.';
  }
}
