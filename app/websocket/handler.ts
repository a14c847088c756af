import { WebClient } from '@slack/web-api';
import { managementApi } from '../shared/aws/api-gateway-management';
import { dynamodb } from '../shared/aws/dynamodb';
import { log } from '../shared/log';
import { boltLogger } from '../slack/bolt-logger';
import { loadWebSocketConfig } from './config';
import { type ConnectionSender, managementApiSender } from './connection-sender';
import { dynamoConnectionsStore } from './connections-store';
import { webApiMirror } from './slack-mirror';
import { createWebSocketHandler } from './websocket-handler';

// Cold start: configuration is checked and every client is built once per container.
const config = loadWebSocketConfig();
const logger = log.child({ fn: 'websocket' });
const slack = new WebClient(config.botToken, {
  ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  logger: boltLogger(logger),
  // A handler must not sit out Slack's back-off: a mirror post that still fails is logged instead.
  retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
  rejectRateLimitedCalls: true,
  timeout: 5000,
});
const senders = new Map<string, ConnectionSender>();

/** `$connect`, `$disconnect`, `sendmessage` and `$default` of the WebSocket API. */
export const handler = createWebSocketHandler({
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
