import { WebClient } from '@slack/web-api';
import type { Context } from 'aws-lambda';
import { managementApi } from '../shared/aws/api-gateway-management';
import { dynamodb } from '../shared/aws/dynamodb';
import { boltLogger } from '../shared/bolt-logger';
import { edgeCorrelationId, withCorrelationId } from '../shared/correlation';
import { log } from '../shared/log';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';
import { loadWebSocketConfig } from '../websocket/config';
import { type ConnectionSender, managementApiSender } from '../websocket/connection-sender';
import { dynamoConnectionsStore } from '../websocket/connections-store';
import type { RouteResult } from '../websocket/routes/route-deps';
import { webApiMirror } from '../websocket/slack-mirror';
import { createWebSocketHandler } from '../websocket/websocket-handler';

const logger = log.child({ fn: 'websocket' });
const secrets = secretsFor(['WEBSOCKET_TOKEN_KEY', 'SLACK_BOT_TOKEN']);
const senders = new Map<string, ConnectionSender>();

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
  return createWebSocketHandler({
    config,
    store: dynamoConnectionsStore(dynamodb, config.connectionsTable),
    mirror: webApiMirror(slack, config.mirrorChannelId),
    senderFor(callbackUrl) {
      let sender = senders.get(callbackUrl);
      if (sender === undefined) {
        sender = managementApiSender(managementApi(callbackUrl));
        senders.set(callbackUrl, sender);
      }
      return sender;
    },
    logger,
    now: Date.now,
  });
});

/** `$connect`, `$disconnect`, `sendmessage` and `$default` of the WebSocket API. */
export function handler(event: unknown, context: Pick<Context, 'awsRequestId'>): Promise<RouteResult> {
  return withCorrelationId(edgeCorrelationId(event, context.awsRequestId), () =>
    handleWebSocket(event, context),
  );
}

async function handleWebSocket(event: unknown, context: Pick<Context, 'awsRequestId'>): Promise<RouteResult> {
  let handle: Awaited<ReturnType<typeof websocketHandler>>;
  try {
    handle = await websocketHandler();
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
