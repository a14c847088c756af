import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { DecisionPolicy, GitHubCallback } from '../approvals';
import { githubPolicy, type PolicySet } from '../policies';
import { json } from '../shared/http';
import { rawBodyLength, readHeaders, readRawBody } from '../shared/read-request';
import { checkGateRequest, DEFAULT_GATE_TIMEOUT_SECONDS, type GateRequest } from './gate-request';
import type { ApprovalStarter, GateStore } from './ports';

/** A deployment_protection_rule delivery is a few KB; GitHub's own ceiling is 25 MB. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

export interface GitHubWebhookDeps {
  store: GateStore;
  starter: ApprovalStarter;
  decisionPolicy: DecisionPolicy;
  defaultChannel: string | undefined;
  /** Slack user ids who decide GitHub deployments when no policy names them. */
  approvers: string[];
  /** The policy file: its `github` rules choose the policy of a repository's environment. */
  policies?: PolicySet;
  webhookSecret: () => Promise<string>;
  now: () => Date;
  newId: () => string;
  correlationId: () => string;
}

const answer = (status: number, error: string, message: string) => json(status, { error, message });

/** `sha256=<hex HMAC of the raw body>`, compared in constant time: checked before anything is parsed. */
export function signatureMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  const given = /^sha256=([0-9a-f]{64})$/.exec(header ?? '')?.[1];
  if (given === undefined) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
const object = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** The run a protection rule holds, from the documented payload; every missing field is named. */
export function readProtectionRule(payload: unknown):
  | {
      ok: true;
      callback: GitHubCallback;
      sha: string;
      ref: string | undefined;
      repository: string;
      repositoryUrl: string;
      sender: string;
      event: string | undefined;
    }
  | { ok: false; missing: string[] } {
  const body = object(payload);
  const deployment = object(body.deployment);
  const repository = object(body.repository);
  const installation = object(body.installation);
  const environment = text(body.environment);
  const callbackUrl = text(body.deployment_callback_url);
  const runId = Number(/\/actions\/runs\/(\d+)\/deployment_protection_rule$/.exec(callbackUrl ?? '')?.[1]);
  const fullName = text(repository.full_name);
  const [owner, repo] = fullName?.split('/') ?? [];
  const sha = text(deployment.sha) ?? text(body.sha);
  const installationId = installation.id;
  const missing = [
    environment === undefined ? 'environment' : undefined,
    Number.isSafeInteger(runId)
      ? undefined
      : 'deployment_callback_url (…/actions/runs/{run_id}/deployment_protection_rule)',
    owner && repo ? undefined : 'repository.full_name',
    sha === undefined ? 'deployment.sha' : undefined,
    Number.isSafeInteger(installationId) ? undefined : 'installation.id',
  ].filter((field): field is string => field !== undefined);
  if (missing.length > 0 || !environment || !owner || !repo || !sha || !fullName)
    return { ok: false, missing };
  return {
    ok: true,
    callback: { kind: 'github', installationId: installationId as number, owner, repo, runId, environment },
    sha,
    ref: text(deployment.ref) ?? text(body.ref),
    repository: fullName,
    repositoryUrl: text(repository.html_url) ?? `https://github.com/${fullName}`,
    sender: text(object(body.sender).login) ?? 'someone',
    event: text(body.event),
  };
}

/**
 * POST /github/webhook, the GitHub App's webhook: the signature first, then `ping`, then a
 * deployment protection rule's `requested`, which becomes a request for that run. A redelivery
 * (the same X-GitHub-Delivery) finds the request it made the first time.
 */
export async function handleGitHubWebhook(
  deps: GitHubWebhookDeps,
  event: APIGatewayProxyEvent,
  open: (request: GateRequest) => Promise<void>,
): Promise<APIGatewayProxyResult> {
  if (rawBodyLength(event) > MAX_WEBHOOK_BYTES)
    return answer(413, 'too-large', `The delivery is larger than ${MAX_WEBHOOK_BYTES} bytes.`);
  const headers = readHeaders(event);
  const body = readRawBody(event);
  if (!signatureMatches(await deps.webhookSecret(), body, headers.get('x-hub-signature-256')))
    return answer(
      401,
      'bad-signature',
      'X-Hub-Signature-256 is missing or does not match the App’s webhook secret.',
    );
  const kind = headers.get('x-github-event');
  const delivery = headers.get('x-github-delivery');
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return answer(400, 'invalid-json', 'The delivery is not JSON: send it as application/json.');
  }
  if (kind === 'ping') return json(200, { ok: true, zen: object(payload).zen ?? null });
  if (kind !== 'deployment_protection_rule' || object(payload).action !== 'requested')
    return json(202, { ignored: `${kind ?? 'unknown'} ${String(object(payload).action ?? '')}`.trim() });
  if (delivery === undefined || !/^[\w-]{1,100}$/.test(delivery))
    return answer(400, 'missing-delivery', 'X-GitHub-Delivery is required.');
  const rule = readProtectionRule(payload);
  if (!rule.ok)
    return answer(
      400,
      'invalid-payload',
      `The deployment_protection_rule payload lacks ${rule.missing.join(', ')}.`,
    );

  let id = deps.newId();
  const claim = await deps.store.claimIdempotencyKey({
    caller: 'github',
    key: delivery,
    fingerprint: createHash('sha256').update(body).digest('hex'),
    approvalId: id,
    at: deps.now(),
  });
  if (!claim.claimed) {
    id = claim.approvalId;
    if ((await deps.store.get(id)) !== undefined) return json(200, { id, duplicate: true });
  }
  const runUrl = `${rule.repositoryUrl}/actions/runs/${rule.callback.runId}`;
  const shortSha = rule.sha.slice(0, 7);
  const policy = deps.policies && githubPolicy(deps.policies, rule.repository, rule.callback.environment);
  const checked = checkGateRequest({
    body: {
      title: `Deploy ${rule.repository} to ${rule.callback.environment}`,
      details: `${rule.sender} asked to deploy ${rule.ref ?? shortSha} (${shortSha})${rule.event ? ` on ${rule.event}` : ''}.`,
      // The policy file's rule for this repository and environment, else the stack's GitHubApprovers.
      ...(policy ? { policy: policy.name } : { approvers: deps.approvers }),
      requester: `${rule.sender} (GitHub)`,
      timeout: policy?.timeoutSeconds ?? DEFAULT_GATE_TIMEOUT_SECONDS,
      artifact: {
        kind: 'git-commit',
        digest: rule.sha,
        ...(rule.ref ? { ref: rule.ref } : {}),
        url: `${rule.repositoryUrl}/commit/${rule.sha}`,
      },
    },
    id,
    system: `GitHub ${rule.repository} (${rule.callback.environment})`,
    defaultChannel: deps.defaultChannel,
    decisionPolicy: deps.decisionPolicy,
    ...(deps.policies ? { policies: deps.policies } : {}),
    link: runUrl,
    now: deps.now(),
  });
  if (!checked.ok)
    // A deployment the product cannot ask anyone about is a configuration problem: GitHub shows this.
    return json(422, {
      error: 'not-configured',
      message: 'Greenlight cannot ask anyone about this deployment.',
      fields: checked.errors,
    });
  await open({
    ...checked.request,
    origin: { ...checked.request.origin, caller: 'github', callback: rule.callback },
  });
  return json(201, { id });
}
