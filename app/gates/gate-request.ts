import {
  type ApprovalOrigin,
  ARTIFACT_KINDS,
  type Artifact,
  type DecisionPolicy,
  type NewApproval,
  newApproval,
  requestErrorText,
} from '../approvals';
import { isGroupId, type PolicySet, policyNamed } from '../policies';
import { parseDuration } from '../shared/duration';

/** One field's problem, as the API answers it: the domain's typed error and a sentence. */
export interface FieldError {
  field: string;
  problem: string;
  message: string;
}

/** A request another system makes, checked: the record to create and what the workflow is given. */
export interface GateRequest {
  approval: NewApproval;
  origin: ApprovalOrigin;
  policy?: string;
}

export type GateRequestCheck = { ok: true; request: GateRequest } | { ok: false; errors: FieldError[] };

export const GATE_LIMITS = {
  digestLength: 256,
  refLength: 256,
  urlLength: 2000,
  policyLength: 64,
  systemLength: 100,
} as const;

/** A gate's default wait: a deploy gate is usually decided within a working day. */
export const DEFAULT_GATE_TIMEOUT_SECONDS = 24 * 3600;

const PRINTABLE = /^[\x21-\x7e]+$/;

/** An http(s) URL Slack can link: no characters that end a Slack link early. */
export function linkError(field: string, value: unknown): FieldError | undefined {
  if (value === undefined) return undefined;
  const message = `${field} must be an http(s) URL of at most ${GATE_LIMITS.urlLength} characters.`;
  if (typeof value !== 'string' || value.length > GATE_LIMITS.urlLength || /[\s<>|]/.test(value))
    return { field, problem: 'not-a-url', message };
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? undefined
      : { field, problem: 'not-a-url', message };
  } catch {
    return { field, problem: 'not-a-url', message };
  }
}

function artifactOf(value: unknown): { artifact?: Artifact; errors: FieldError[] } {
  if (value === undefined || value === null) return { errors: [] };
  if (typeof value !== 'object' || Array.isArray(value))
    return {
      errors: [{ field: 'artifact', problem: 'not-an-object', message: 'artifact must be an object.' }],
    };
  const raw = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  const kind = ARTIFACT_KINDS.find((candidate) => candidate === raw.kind);
  if (kind === undefined)
    errors.push({
      field: 'artifact.kind',
      problem: 'unknown-kind',
      message: `artifact.kind must be one of ${ARTIFACT_KINDS.join(', ')}.`,
    });
  const digest = raw.digest;
  if (
    typeof digest !== 'string' ||
    digest === '' ||
    digest.length > GATE_LIMITS.digestLength ||
    !PRINTABLE.test(digest)
  )
    errors.push({
      field: 'artifact.digest',
      problem: 'invalid',
      message: `artifact.digest is required: up to ${GATE_LIMITS.digestLength} printable characters without spaces (a commit SHA, sha256:…).`,
    });
  const ref = raw.ref;
  if (
    ref !== undefined &&
    (typeof ref !== 'string' || ref.trim() === '' || ref.length > GATE_LIMITS.refLength)
  )
    errors.push({
      field: 'artifact.ref',
      problem: 'invalid',
      message: `artifact.ref must be text of at most ${GATE_LIMITS.refLength} characters.`,
    });
  const urlError = linkError('artifact.url', raw.url);
  if (urlError) errors.push(urlError);
  if (errors.length > 0 || kind === undefined) return { errors };
  return {
    artifact: {
      kind,
      digest: digest as string,
      ...(typeof ref === 'string' ? { ref: ref.trim() } : {}),
      ...(typeof raw.url === 'string' ? { url: raw.url } : {}),
    },
    errors,
  };
}

function timeoutOf(value: unknown): unknown {
  if (value === undefined) return DEFAULT_GATE_TIMEOUT_SECONDS;
  if (typeof value === 'string') return parseDuration(value) ?? value;
  return value;
}

/**
 * Reads a request from another system into the same checks a request made in Slack passes
 * (newApproval), plus what only a gate carries: the artifact, the policy's name, the calling system.
 * Every field's error is returned at once.
 */
export function checkGateRequest(input: {
  body: unknown;
  id: string;
  system: string;
  defaultChannel: string | undefined;
  decisionPolicy: DecisionPolicy;
  /** The policies a request may name (greenlight.policies.yaml); absent, a name is kept unchecked. */
  policies?: PolicySet;
  link?: string;
  now: Date;
}): GateRequestCheck {
  const body = input.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return {
      ok: false,
      errors: [{ field: 'body', problem: 'not-an-object', message: 'The body must be a JSON object.' }],
    };
  const raw = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const { artifact, errors: artifactErrors } = artifactOf(raw.artifact);
  const policy = raw.policy;
  if (
    policy !== undefined &&
    (typeof policy !== 'string' ||
      !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(policy) ||
      policy.length > GATE_LIMITS.policyLength)
  )
    errors.push({
      field: 'policy',
      problem: 'invalid',
      message: `policy must be a policy's name: up to ${GATE_LIMITS.policyLength} letters, digits, . _ or -.`,
    });
  // A named policy supplies the approvers the body leaves out (its user groups are resolved by the
  // workflow's first task, as for a direct start); the workflow applies its quorum, comment rule and
  // schedule. Here it is only checked that it exists and can run.
  let approvers = raw.approvers;
  let timeout = raw.timeout;
  const policies = typeof policy === 'string' ? input.policies : undefined;
  const fromPolicy = policies !== undefined;
  if (policies !== undefined && typeof policy === 'string' && errors.length === 0) {
    const found = policyNamed(policies, policy);
    // A staged policy's first stage decides first; the workflow plans the later ones.
    const stage = found?.stages[0];
    if (found === undefined) {
      const known = Object.keys(policies.policies).join(', ');
      errors.push({
        field: 'policy',
        problem: 'unknown',
        message: `There is no policy "${policy}".${known ? ` The policies are ${known}.` : ''}`,
      });
    } else {
      // Group ids stand in for their members until the workflow resolves them (and are dropped below).
      if (approvers === undefined) approvers = stage?.approvers ?? [];
      if (timeout === undefined && found.timeoutSeconds !== undefined) timeout = found.timeoutSeconds;
    }
  }
  const requester = raw.requester ?? input.system;
  const checked = newApproval(
    {
      id: input.id,
      title: raw.title,
      details: raw.details,
      requester,
      approvers,
      channelId: raw.channel ?? input.defaultChannel,
      timeoutSeconds: timeoutOf(timeout),
      email: raw.email,
    },
    input.decisionPolicy,
    input.now,
  );
  if (!checked.ok) {
    for (const error of checked.errors) {
      const message =
        error.field === 'timeout' && error.problem === 'not-whole-seconds'
          ? 'timeout must be a whole number of seconds or a duration like 30m, 4h or 2d.'
          : error.field === 'channel' && error.problem === 'missing'
            ? 'channel is required: the Slack channel id to post the request in (no default channel is configured).'
            : requestErrorText(error);
      errors.push({ ...error, message, problem: error.problem });
    }
  }
  errors.push(...artifactErrors);
  if (errors.length > 0 || !checked.ok) return { ok: false, errors };
  const origin: ApprovalOrigin = {
    system: input.system.slice(0, GATE_LIMITS.systemLength),
    ...(artifact ? { artifact } : {}),
    ...(input.link ? { link: input.link } : {}),
  };
  const approval = fromPolicy
    ? { ...checked.approval, approvers: checked.approval.approvers.filter((id) => !isGroupId(id)) }
    : checked.approval;
  return { ok: true, request: { approval, origin, ...(typeof policy === 'string' ? { policy } : {}) } };
}
