import { createHash } from 'node:crypto';
import type { DecisionPolicy, PipelineCallback } from '../approvals';
import { checkGateRequest, type FieldError, type GateRequest, linkError } from './gate-request';
import type { GateStore } from './ports';

/**
 * CodePipeline's manual approval notification, as its SNS message carries it (JSON in
 * `Records[].Sns.Message`): region, consoleLink and `approval` with pipelineName, stageName,
 * actionName, token, expires, externalEntityLink, approvalReviewLink and customData.
 */
export interface PipelineNotificationDeps {
  store: GateStore;
  decisionPolicy: DecisionPolicy;
  defaultChannel: string | undefined;
  approvers: string[];
  open: (request: GateRequest) => Promise<void>;
  now: () => Date;
  newId: () => string;
}

export type NotificationResult =
  | { outcome: 'requested' | 'duplicate'; id: string }
  | { outcome: 'refused'; errors: FieldError[] | string };

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** The most a gate waits: CodePipeline expires an approval after 7 days. */
const MAX_PIPELINE_WAIT_SECONDS = 7 * 24 * 3600;

export async function handlePipelineNotification(
  deps: PipelineNotificationDeps,
  message: string,
): Promise<NotificationResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { outcome: 'refused', errors: 'The SNS message is not JSON: is this topic CodePipeline’s?' };
  }
  const body = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const approval = (
    typeof body.approval === 'object' && body.approval !== null ? body.approval : {}
  ) as Record<string, unknown>;
  const callback = {
    pipelineName: text(approval.pipelineName),
    stageName: text(approval.stageName),
    actionName: text(approval.actionName),
    token: text(approval.token),
  };
  const missing = Object.entries(callback)
    .filter(([, value]) => value === undefined)
    .map(([name]) => `approval.${name}`);
  if (missing.length > 0)
    return { outcome: 'refused', errors: `The notification lacks ${missing.join(', ')}.` };
  const target = { kind: 'codepipeline', ...callback } as PipelineCallback;

  let id = deps.newId();
  // SNS delivers at least once: the action's token names the request, so a second delivery finds it.
  const claim = await deps.store.claimIdempotencyKey({
    caller: 'codepipeline',
    key: createHash('sha256').update(target.token).digest('hex'),
    fingerprint: createHash('sha256').update(message).digest('hex'),
    approvalId: id,
    at: deps.now(),
  });
  if (!claim.claimed) {
    id = claim.approvalId;
    if ((await deps.store.get(id)) !== undefined) return { outcome: 'duplicate', id };
  }
  const expires = Date.parse(String(approval.expires ?? ''));
  const left = Number.isFinite(expires)
    ? Math.floor((expires - deps.now().getTime()) / 1000)
    : MAX_PIPELINE_WAIT_SECONDS;
  // Not approvalReviewLink: CodePipeline puts the action's token in it, and tokens never reach Slack.
  const reviewLink = text(body.consoleLink);
  const external = text(approval.externalEntityLink);
  const where = `${target.pipelineName} › ${target.stageName} › ${target.actionName}`;
  const details = [text(approval.customData), external ? `Review: ${external}` : undefined]
    .filter(Boolean)
    .join('\n');
  const checked = checkGateRequest({
    body: {
      title: `Approve ${where}`.slice(0, 150),
      ...(details ? { details } : {}),
      approvers: deps.approvers,
      requester: `CodePipeline ${target.pipelineName}`,
      timeout: Math.max(60, Math.min(left, MAX_PIPELINE_WAIT_SECONDS)),
    },
    id,
    system: `CodePipeline ${target.pipelineName}`,
    defaultChannel: deps.defaultChannel,
    decisionPolicy: deps.decisionPolicy,
    ...(reviewLink && linkError('link', reviewLink) === undefined ? { link: reviewLink } : {}),
    now: deps.now(),
  });
  if (!checked.ok) return { outcome: 'refused', errors: checked.errors };
  await deps.open({
    ...checked.request,
    origin: { ...checked.request.origin, caller: 'codepipeline', callback: target },
  });
  return { outcome: 'requested', id };
}
