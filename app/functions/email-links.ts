import { WebClient } from '@slack/web-api';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DynamoApprovalStore } from '../approvals/adapters/dynamo-approval-store';
import { EventBridgeUpdateEvents } from '../approvals/adapters/eventbridge-update-events';
import { LambdaCloseOutHandoff } from '../approvals/adapters/lambda-close-out-handoff';
import { StepFunctionsTaskCallbacks } from '../approvals/adapters/sfn-task-callbacks';
import { readDecisionSettings } from '../approvals/config';
import { decide } from '../approvals/decide';
import { checkDecisionLink } from '../approvals/email-links';
import {
  alreadyVotedPage,
  closedPage,
  commentRequiredPage,
  confirmationPage,
  decidedPage,
  expiredLinkPage,
  invalidLinkPage,
  notAllowedPage,
  type Page,
  problemPage,
  renderPage,
  unknownRequestPage,
} from '../approvals/link-pages';
import { refusalFor } from '../approvals/policy';
import { dynamodb } from '../shared/aws/dynamodb';
import { stepFunctions } from '../shared/aws/step-functions';
import { EnvReader } from '../shared/config';
import { edgeCorrelationId, withCorrelationId } from '../shared/correlation';
import { loadEventBridge } from '../shared/load-eventbridge';
import { loadLambda } from '../shared/load-lambda';
import { log } from '../shared/log';
import { oncePerContainer } from '../shared/once-per-container';
import { bodyKind, rawBodyLength, readHeaders, readRawBody } from '../shared/read-request';
import { secretsFor } from '../shared/secrets';
import { SlackApprovalNotifier, SlackPersonDirectory } from '../slack';

/** A form with a token and a 500-character comment fits easily; anything bigger is not ours. */
const MAX_FORM_BYTES = 8 * 1024;

function loadConfig(env: NodeJS.ProcessEnv) {
  const reader = new EnvReader(env);
  const config = {
    ...readDecisionSettings(reader),
    linkSigningKey: reader.required('LINK_SIGNING_KEY'),
    botToken: reader.required('SLACK_BOT_TOKEN'),
    slackApiUrl: reader.optional('SLACK_API_URL'),
  };
  reader.done();
  return config;
}

const logger = log.child({ fn: 'email-links' });
const secrets = secretsFor(['LINK_SIGNING_KEY', 'SLACK_BOT_TOKEN']);

// Built on the first request, when the secrets are read; then kept for the container's life.
const linkDeps = oncePerContainer(async () => {
  const config = loadConfig({ ...process.env, ...(await secrets()) });
  const store = new DynamoApprovalStore(dynamodb, config.approvalsTable);
  const backend = {
    store,
    callbacks: new StepFunctionsTaskCallbacks(stepFunctions),
    closeOut: new LambdaCloseOutHandoff(loadLambda, config.closeOutFunction, logger),
    policy: config,
    events: new EventBridgeUpdateEvents(loadEventBridge, config.eventBusName, logger),
  };
  const slack = new WebClient(config.botToken, config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {});
  const directory = new SlackPersonDirectory(slack);
  return { config, store, backend, directory, notifier: new SlackApprovalNotifier(slack) };
});
type LinkDeps = Awaited<ReturnType<typeof linkDeps>>;

// The token must not leak through Referer, caches or framing; the page needs no script at all.
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

function respond(page: Page): APIGatewayProxyResult {
  return { statusCode: page.statusCode, headers: PAGE_HEADERS, body: renderPage(page) };
}

async function namesFor(
  { directory }: LinkDeps,
  userIds: Array<string | undefined>,
): Promise<(userId: string) => string> {
  const known = new Map<string, string>();
  await Promise.all(
    [...new Set(userIds.filter((id): id is string => id !== undefined))].map(async (id) =>
      known.set(id, await directory.displayName(id)),
    ),
  );
  return (id) => known.get(id) ?? id;
}

/** GET: a confirmation page that decides nothing. */
async function confirm(event: APIGatewayProxyEvent, deps: LinkDeps): Promise<Page> {
  const { config, store } = deps;
  const token = event.queryStringParameters?.token;
  const link = checkDecisionLink(config.linkSigningKey, token, Date.now());
  if (!link.ok) return link.reason === 'expired' ? expiredLinkPage : invalidLinkPage;
  const approval = await store.get(link.grant.approvalId);
  const refusal = refusalFor(approval, link.grant.approver, config, new Date());
  if (approval === undefined) return unknownRequestPage;
  const names = await namesFor(deps, [approval.requester, approval.decider, link.grant.approver]);
  if (refusal?.reason === 'already-decided') return closedPage(approval, names);
  if (refusal?.reason === 'expired') return expiredLinkPage;
  if (refusal?.reason === 'already-voted') return alreadyVotedPage(refusal.decision);
  if (refusal !== undefined) return notAllowedPage;
  return confirmationPage({
    approval,
    decision: link.grant.decision,
    approverName: names(link.grant.approver),
    token: token ?? '',
    actionPath: event.requestContext.path ?? event.path,
    names,
  });
}

/** POST: the decision, through the same conditional write as a Slack button. */
async function decideFromLink(event: APIGatewayProxyEvent, deps: LinkDeps): Promise<Page> {
  const { config, backend } = deps;
  if (rawBodyLength(event) > MAX_FORM_BYTES)
    return problemPage(413, 'Too large', 'That form is larger than a decision can be. Nothing changed.');
  if (bodyKind(readHeaders(event).get('content-type')) !== 'form') {
    return problemPage(415, 'Unsupported form', 'Submit the form on the confirmation page. Nothing changed.');
  }
  const form = new URLSearchParams(readRawBody(event).toString('utf8'));
  const token = form.get('token') ?? undefined;
  const link = checkDecisionLink(config.linkSigningKey, token, Date.now());
  if (!link.ok) return link.reason === 'expired' ? expiredLinkPage : invalidLinkPage;
  const result = await decide(backend, {
    approvalId: link.grant.approvalId,
    decision: link.grant.decision,
    decider: link.grant.approver,
    comment: form.get('comment') ?? undefined,
    via: 'email',
    now: new Date(),
  });
  if (result.ok && result.callback === 'counted') {
    // A vote short of the quorum: the Slack message's tally shows it now, as after a click. Drawn
    // from the record as it is now, so a slower answer never shows an older tally.
    const latest = (await deps.store.get(result.approval.id)) ?? result.approval;
    if (latest.messageTs) {
      const updated = await deps.notifier.update(latest);
      if (!updated.ok)
        logger.warn('approval_message_update_failed', { approvalId: latest.id, problem: updated.problem });
    }
    return decidedPage(latest, await namesFor(deps, [latest.requester]));
  }
  if (result.ok) return decidedPage(result.approval, await namesFor(deps, [result.approval.requester]));
  switch (result.reason) {
    case 'not-found':
      return unknownRequestPage;
    case 'expired':
      return expiredLinkPage;
    case 'already-decided':
      return closedPage(
        result.approval,
        await namesFor(deps, [result.approval.requester, result.approval.decider]),
      );
    case 'already-voted':
      return alreadyVotedPage(result.decision);
    case 'comment-required':
      return commentRequiredPage;
    default:
      return notAllowedPage;
  }
}

/** GET and POST /approvals/decision: the links in approval e-mails. Never throws to API Gateway. */
export function handler(
  event: APIGatewayProxyEvent,
  context?: Pick<Context, 'awsRequestId'>,
): Promise<APIGatewayProxyResult> {
  return withCorrelationId(edgeCorrelationId(event, context?.awsRequestId), () => handleLink(event));
}

async function handleLink(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    if (event.httpMethod === 'GET') return respond(await confirm(event, await linkDeps()));
    if (event.httpMethod === 'POST') return respond(await decideFromLink(event, await linkDeps()));
    return respond(problemPage(405, 'Not supported', 'Open the link from the e-mail.'));
  } catch (error) {
    logger.error('email_link_failed', {
      requestId: event.requestContext?.requestId,
      method: event.httpMethod,
      error,
    });
    return respond(
      problemPage(
        500,
        'Something went wrong',
        'Greenlight could not handle this link just now. Nothing changed; please try again.',
      ),
    );
  }
}
