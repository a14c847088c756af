import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, SNSEvent } from 'aws-lambda';
import type { Approval, CloseOutHandoff, DecisionPolicy, TaskCallbacks } from '../approvals';
import type { PolicySet } from '../policies';
import { json } from '../shared/http';
import { rawBodyLength, readHeaders, readRawBody } from '../shared/read-request';
import { parseApiKey, secretMatches } from './api-keys';
import { checkGateRequest, type GateRequest } from './gate-request';
import { handleGitHubWebhook } from './github-webhook';
import { handlePipelineNotification, type NotificationResult } from './pipeline-notification';
import type { ApprovalStarter, Caller, GateStore } from './ports';
import { type ReceiptKey, signReceipt } from './receipts';
import { slackUrl } from './slack-link';

/** A request's JSON: a 2,000-character details field and an artifact fit many times over. */
export const MAX_BODY_BYTES = 16 * 1024;
/** `?wait=N` ends before API Gateway's 29-second integration timeout, with room to answer. */
export const MAX_WAIT_SECONDS = 25;
const WAIT_POLL_MS = 200;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** Errors the waiting task fails with when a request is withdrawn (app/approvals/model.ts). */
const CANCELLED_ERROR = 'Greenlight.Cancelled';

export interface ApiDeps {
  store: GateStore;
  starter: ApprovalStarter;
  callbacks: TaskCallbacks;
  closeOut: CloseOutHandoff;
  decisionPolicy: DecisionPolicy;
  /** The policies a request may name (greenlight.policies.yaml, compiled). */
  policies?: PolicySet;
  defaultChannel: string | undefined;
  now: () => Date;
  newId: () => string;
  pause: (ms: number) => Promise<void>;
  correlationId: () => string;
  /** The receipt signing key, read from the app secret on first use. */
  receiptKey: () => Promise<ReceiptKey>;
  /** Who decides GitHub deployments (docs/github.md) and CodePipeline approvals. */
  githubApprovers: string[];
  pipelineApprovers: string[];
  githubWebhookSecret: () => Promise<string>;
}

/** Writes the record, then starts its workflow: the same two steps for every gate. */
async function openRequest(deps: ApiDeps, request: GateRequest): Promise<void> {
  const correlationId = deps.correlationId();
  await deps.store.createRecord(request, correlationId);
  await deps.starter.start(request, correlationId);
}

/** A refusal the caller can act on: a status, a stable code, a sentence. */
class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const unauthorized = (message: string) => new ApiProblem(401, 'unauthorized', message);

/**
 * Who is calling. A route under /iam/ is served by API Gateway only to a caller whose SigV4
 * signature it verified (AWS_IAM authorization), so the identity it passes is the caller; every
 * other route takes an API key as a bearer token, checked against its stored hash.
 */
export async function authenticate(
  deps: Pick<ApiDeps, 'store' | 'now'>,
  event: APIGatewayProxyEvent,
): Promise<Caller> {
  if (event.resource.startsWith('/iam/')) {
    const arn = event.requestContext.identity?.userArn;
    if (!arn) throw unauthorized('This route needs a SigV4-signed request (IAM authorization).');
    return { id: `iam:${arn}`, label: `${arn.split(':').pop() ?? arn} (IAM)` };
  }
  const header = readHeaders(event).get('authorization');
  if (header === undefined)
    throw unauthorized('Missing API key: send it as "Authorization: Bearer gl_…" (npm run api-key).');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const parsed = match?.[1] ? parseApiKey(match[1]) : undefined;
  if (parsed === undefined)
    throw unauthorized('Malformed API key: expected "Authorization: Bearer gl_<id>_<secret>".');
  const stored = await deps.store.findKey(parsed.keyId);
  // The same answer for an unknown id and a wrong secret: neither tells a guesser which ids exist.
  if (stored === undefined || !secretMatches(parsed.secret, stored.hash))
    throw unauthorized('Unknown API key.');
  if (stored.revokedAt) throw unauthorized(`API key "${stored.name}" was revoked at ${stored.revokedAt}.`);
  await deps.store.touchKey(parsed.keyId, deps.now());
  return { id: `key:${stored.name}`, label: `${stored.name} (API key)` };
}

function parseJsonBody(event: APIGatewayProxyEvent): unknown {
  if (rawBodyLength(event) > MAX_BODY_BYTES)
    throw new ApiProblem(413, 'too-large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const contentType = readHeaders(event).get('content-type');
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== undefined && mediaType !== 'application/json')
    throw new ApiProblem(415, 'unsupported-media-type', 'Send the body as application/json.');
  const text = readRawBody(event).toString('utf8');
  if (text.trim() === '') throw new ApiProblem(400, 'invalid-json', 'The body is empty; send a JSON object.');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiProblem(
      400,
      'invalid-json',
      `The body is not JSON: ${error instanceof Error ? error.message : 'unreadable'}.`,
    );
  }
}

async function createApproval(deps: ApiDeps, event: APIGatewayProxyEvent, caller: Caller) {
  const body = parseJsonBody(event);
  const idempotencyKey = readHeaders(event).get('idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
    throw new ApiProblem(
      400,
      'invalid-idempotency-key',
      'Idempotency-Key must be 1 to 255 printable characters.',
    );

  let id = deps.newId();
  let replayed = false;
  if (idempotencyKey !== undefined) {
    // The key binds the body: a retry with other content is a mistake, not the same request.
    const fingerprint = createHash('sha256').update(readRawBody(event)).digest('hex');
    const claim = await deps.store.claimIdempotencyKey({
      caller: caller.id,
      key: idempotencyKey,
      fingerprint,
      approvalId: id,
      at: deps.now(),
    });
    if (!claim.claimed) {
      if (claim.fingerprint !== fingerprint)
        throw new ApiProblem(
          422,
          'idempotency-key-reused',
          `Idempotency-Key "${idempotencyKey}" was used for a different request (${claim.approvalId}).`,
        );
      id = claim.approvalId;
      replayed = true;
      const existing = await deps.store.get(id);
      if (existing !== undefined) return answerCreated(existing, true);
      // The first attempt claimed the key and stopped short of the record: finish its work.
    }
  }

  const checked = checkGateRequest({
    body,
    id,
    system: caller.label,
    defaultChannel: deps.defaultChannel,
    decisionPolicy: deps.decisionPolicy,
    ...(deps.policies ? { policies: deps.policies } : {}),
    now: deps.now(),
  });
  if (!checked.ok)
    throw new ApiProblem(400, 'invalid-request', 'The request has errors; see fields.', {
      fields: checked.errors,
    });
  const request = { ...checked.request, origin: { ...checked.request.origin, caller: caller.id } };
  await openRequest(deps, request);
  return answerCreated({ ...request.approval, status: 'PENDING' }, replayed);
}

function answerCreated(
  approval: Pick<Approval, 'id' | 'status' | 'channelId' | 'messageTs'>,
  replayed: boolean,
) {
  return json(
    201,
    { id: approval.id, status: approval.status, slackUrl: slackUrl(approval) },
    replayed ? { 'Idempotent-Replayed': 'true' } : {},
  );
}

/** The request as its caller may see it: never the task token (the store does not read it). */
export function describe(approval: Approval): Record<string, unknown> {
  const votes = approval.votes ?? [];
  const approved = votes.filter((vote) => vote.decision === 'approve').map((vote) => vote.voter);
  const rejected = votes.filter((vote) => vote.decision === 'reject').map((vote) => vote.voter);
  const need = approval.need ?? 1;
  // The record's own trail (append-only, app/approvals) when it has one; a record made before
  // trails existed gets the two events its fields still tell.
  const trail: Array<Record<string, unknown>> = (approval.trail ?? []).map(({ kind, ...entry }) => ({
    event: kind,
    ...entry,
  }));
  if (trail.length === 0) trail.push({ event: 'requested', by: approval.requester, at: approval.createdAt });
  if (approval.trail === undefined && approval.status !== 'PENDING')
    trail.push({
      event: approval.status.toLowerCase(),
      ...(approval.decider ? { by: approval.decider } : {}),
      at: approval.decidedAt ?? approval.expiresAt,
      ...(approval.comment ? { comment: approval.comment } : {}),
      ...(approval.decidedVia ? { via: approval.decidedVia } : {}),
    });
  return {
    id: approval.id,
    status: approval.status,
    title: approval.title,
    ...(approval.details ? { details: approval.details } : {}),
    requester: approval.requester,
    approvers: approval.approvers,
    channel: approval.channelId,
    createdAt: approval.createdAt,
    expiresAt: approval.expiresAt,
    ...(approval.policy ? { policy: approval.policy } : {}),
    ...(approval.origin?.artifact ? { artifact: approval.origin.artifact } : {}),
    ...(approval.decider ? { decider: approval.decider } : {}),
    ...(approval.decidedAt ? { decidedAt: approval.decidedAt } : {}),
    ...(approval.comment ? { comment: approval.comment } : {}),
    tally:
      votes.length > 0
        ? { approvals: approved.length, rejections: rejected.length, required: need, approved, rejected }
        : {
            approvals: approval.status === 'APPROVED' ? 1 : 0,
            rejections: approval.status === 'REJECTED' ? 1 : 0,
            required: need,
            approved: approval.status === 'APPROVED' && approval.decider ? [approval.decider] : [],
            rejected: approval.status === 'REJECTED' && approval.decider ? [approval.decider] : [],
          },
    trail,
    ...(approval.deliveryProblems ? { deliveryProblems: approval.deliveryProblems } : {}),
    slackUrl: slackUrl(approval),
  };
}

/** Only the system that made a request reads or cancels it; to anyone else it does not exist. */
async function ownedApproval(deps: ApiDeps, id: string, caller: Caller): Promise<Approval> {
  const approval = await deps.store.get(id);
  if (approval === undefined || approval.origin?.caller !== caller.id)
    throw new ApiProblem(404, 'not-found', `No approval ${id} made by this caller.`);
  return approval;
}

function waitSecondsOf(event: APIGatewayProxyEvent): number {
  const raw = event.queryStringParameters?.wait;
  if (raw === undefined) return 0;
  const seconds = Number(raw);
  if (!/^\d{1,3}$/.test(raw) || seconds > MAX_WAIT_SECONDS)
    throw new ApiProblem(
      400,
      'invalid-wait',
      `wait must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}.`,
    );
  return seconds;
}

/** GET, long-polled with ?wait=N: consistent reads until the request closes or the wait is over. */
async function readApproval(deps: ApiDeps, event: APIGatewayProxyEvent, caller: Caller, id: string) {
  const waitSeconds = waitSecondsOf(event);
  let approval = await ownedApproval(deps, id, caller);
  const until = deps.now().getTime() + waitSeconds * 1000;
  while (approval.status === 'PENDING' && deps.now().getTime() < until) {
    await deps.pause(Math.min(WAIT_POLL_MS, Math.max(0, until - deps.now().getTime())));
    approval = (await deps.store.get(id)) ?? approval;
  }
  // A closed request carries its receipt; signing is deterministic, so it is made when read.
  const receipt =
    approval.status === 'PENDING' ? {} : { receipt: signReceipt(await deps.receiptKey(), approval) };
  return json(200, { ...describe(approval), ...receipt }, { 'Cache-Control': 'no-store' });
}

/** POST …/cancel: withdraws a pending request as /greenlight cancel does, and stops its wait. */
async function cancelApproval(deps: ApiDeps, caller: Caller, id: string) {
  const approval = await ownedApproval(deps, id, caller);
  const cancellation = {
    status: 'CANCELLED' as const,
    decider: caller.label,
    decidedAt: deps.now().toISOString(),
  };
  const write = await deps.store.withdraw(id, cancellation);
  if (!write.won) {
    const current = (await deps.store.get(id)) ?? approval;
    throw new ApiProblem(409, 'already-closed', `${id} is already ${current.status.toLowerCase()}.`, {
      status: current.status,
    });
  }
  if (write.taskToken !== undefined) {
    const callback = await deps.callbacks.fail(write.taskToken, CANCELLED_ERROR, cancellation);
    if (callback !== 'delivered')
      await deps.closeOut.handOff(id, `cancelled; workflow task gone: ${callback}`);
  }
  return json(200, { id, status: 'CANCELLED' });
}

const APPROVAL_ID = /^GL-[0-9A-Z]{6}$/;

/** Every route of the approvals API; a refusal is a JSON answer, never a thrown invocation. */
export async function handleApprovalsApi(
  deps: ApiDeps,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  try {
    const route = `${event.httpMethod} ${event.resource.replace(/^\/iam/, '')}`;
    // Public keys are public: anyone verifying a receipt may fetch them, with no key of their own.
    if (route === 'GET /approvals/keys')
      return json(200, { keys: [(await deps.receiptKey()).jwk] }, { 'Cache-Control': 'public, max-age=300' });
    // GitHub signs its deliveries with the App's webhook secret: that is the webhook's authentication.
    if (route === 'POST /github/webhook')
      return await handleGitHubWebhook(
        { ...deps, approvers: deps.githubApprovers, webhookSecret: deps.githubWebhookSecret },
        event,
        (request) => openRequest(deps, request),
      );
    const caller = await authenticate(deps, event);
    const id = event.pathParameters?.id ?? '';
    if (route !== 'POST /approvals' && !APPROVAL_ID.test(id))
      throw new ApiProblem(404, 'not-found', `"${id.slice(0, 40)}" is not an approval id (GL-XXXXXX).`);
    switch (route) {
      case 'POST /approvals':
        return await createApproval(deps, event, caller);
      case 'GET /approvals/{id}':
        return await readApproval(deps, event, caller, id);
      case 'POST /approvals/{id}/cancel':
        return await cancelApproval(deps, caller, id);
      default:
        throw new ApiProblem(404, 'not-found', `No route ${event.httpMethod} ${event.path}.`);
    }
  } catch (error) {
    if (error instanceof ApiProblem)
      return json(error.status, { error: error.code, message: error.message, ...error.extra });
    throw error;
  }
}

/**
 * CodePipeline's manual approval notifications, delivered by SNS. A notification that cannot become
 * a request is logged and dropped (retrying cannot fix it); a failure to store or start throws, so
 * Lambda retries the delivery, which the token's idempotency key makes harmless.
 */
export async function handlePipelineNotifications(
  deps: ApiDeps,
  event: SNSEvent,
  refused: (details: Record<string, unknown>) => void,
): Promise<NotificationResult[]> {
  const results: NotificationResult[] = [];
  for (const record of event.Records ?? []) {
    const result = await handlePipelineNotification(
      { ...deps, approvers: deps.pipelineApprovers, open: (request) => openRequest(deps, request) },
      record.Sns?.Message ?? '',
    );
    if (result.outcome === 'refused') refused({ messageId: record.Sns?.MessageId, errors: result.errors });
    results.push(result);
  }
  return results;
}
