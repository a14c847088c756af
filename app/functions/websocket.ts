import { WebClient } from '@slack/web-api';
import type { Context } from 'aws-lambda';
import { managementApi } from '../shared/aws/api-gateway-management';
import { dynamodb } from '../shared/aws/dynamodb';
import { boltLogger } from '../shared/bolt-logger';
import { edgeCorrelationId, withCorrelationId } from '../shared/correlation';
import { log } from '../shared/log';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';
import { isRelayReplyTask, type RelayReplyTask, relayReply } from '../slack/listeners/events/thread-reply';
import { connectionsReplyRelay, dynamoThreadStore } from '../websocket';
import { loadWebSocketConfig } from '../websocket/config';
import { type ConnectionSender, managementApiSender } from '../websocket/connection-sender';
import { dynamoConnectionsStore } from '../websocket/connections-store';
import type { RouteResult } from '../websocket/routes/route-deps';
import { webApiMirror } from '../websocket/slack-mirror';
import { createWebSocketHandler } from '../websocket/websocket-handler';

const logger = log.child({ fn: 'websocket' });
const secrets = secretsFor(['WEBSOCKET_TOKEN_KEY', 'SLACK_BOT_TOKEN']);
const senders = new Map<string, ConnectionSender>();

function senderFor(callbackUrl: string): ConnectionSender {
  let sender = senders.get(callbackUrl);
  if (sender === undefined) {
    sender = managementApiSender(managementApi(callbackUrl));
    senders.set(callbackUrl, sender);
  }
  return sender;
}

// Built on the first event, when the secrets are read; every client then lives as long as the container.
const websocketHandler = oncePerContainer(async () => {
  const config = loadWebSocketConfig({ ...process.env, ...(await secrets()) });
  const slack = new WebClient(config.botToken, {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    logger: boltLogger(logger),
    // A handler must not sit out Slack's back-off: a mirror post that still fails is logged instead.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    timeout: 5000,
  });
  const handle = createWebSocketHandler({
    config,
    store: dynamoConnectionsStore(dynamodb, config.connectionsTable),
    mirror: webApiMirror(slack, config.mirrorChannelId),
    senderFor,
    logger,
    now: Date.now,
  });
  return { handle, config, slack };
});

/**
 * A thread reply the Slack function could not relay (lambda-reply-handoff.ts), run once more. A
 * failure is thrown: this is an asynchronous invocation, so Lambda retries it and then parks it in
 * the dead-letter queue (template.yaml: WebSocketAsyncInvokeConfig).
 */
async function relayHandedOffReply(task: RelayReplyTask): Promise<{ relayed: true }> {
  const { config, slack } = await websocketHandler();
  if (config.callbackUrl === undefined)
    throw new Error('WEBSOCKET_CALLBACK_URL is not set: a reply cannot be relayed');
  const relay = connectionsReplyRelay(
    dynamoThreadStore(dynamodb, config.connectionsTable),
    senderFor(config.callbackUrl),
  );
  await relayReply(slack, relay, task.reply, task.at, logger);
  logger.info('thread_reply_relayed_after_hand_off', {
    channel: task.reply.channel,
    threadTs: task.reply.threadTs,
  });
  return { relayed: true };
}

/** `$connect`, `$disconnect`, `sendmessage` and `$default` of the WebSocket API, and handed-off replies. */
export function handler(
  event: unknown,
  context: Pick<Context, 'awsRequestId'>,
): Promise<RouteResult | { relayed: true }> {
  return withCorrelationId(edgeCorrelationId(event, context.awsRequestId), () =>
    isRelayReplyTask(event) ? relayHandedOffReply(event) : handleWebSocket(event, context),
  );
}

async function handleWebSocket(event: unknown, context: Pick<Context, 'awsRequestId'>): Promise<RouteResult> {
  let handle: Awaited<ReturnType<typeof websocketHandler>>['handle'];
  try {
    ({ handle } = await websocketHandler());
  } catch (error) {
    // A refused $connect is all a client sees; the log names what is missing.
    logger.error('websocket_function_not_ready', { requestId: context.awsRequestId, error });
    return {
      statusCode: 500,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Internal server error"}',
    };
  }
  return handle(event, context);
}
