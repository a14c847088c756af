import { EnvReader } from '../shared/config';
import { DEFAULT_BROADCAST_CONCURRENCY, DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW_SECONDS } from './limits';

/** Everything the WebSocket function reads from its environment, checked once at cold start. */
export interface WebSocketConfig {
  /** HMAC key that signs connection tokens (`npm run ws-token`). */
  tokenKey: string;
  connectionsTable: string;
  /** The Slack channel where each connection gets its thread. */
  mirrorChannelId: string;
  botToken: string;
  /** Where the Web API lives; the local stack points this at its stand-in. Unset: slack.com. */
  slackApiUrl: string | undefined;
  rate: { limit: number; windowSeconds: number };
  broadcastConcurrency: number;
  /**
   * The stage's `@connections` endpoint, for work that arrives without an API Gateway event (a
   * thread reply the Slack function handed off). Unset: only events' own endpoints are used.
   */
  callbackUrl: string | undefined;
}

export function loadWebSocketConfig(env: NodeJS.ProcessEnv = process.env): WebSocketConfig {
  const reader = new EnvReader(env);
  const config: WebSocketConfig = {
    tokenKey: reader.required('WEBSOCKET_TOKEN_KEY'),
    connectionsTable: reader.required('CONNECTIONS_TABLE'),
    mirrorChannelId: reader.required('MIRROR_CHANNEL_ID'),
    botToken: reader.required('SLACK_BOT_TOKEN'),
    slackApiUrl: reader.optional('SLACK_API_URL'),
    callbackUrl: reader.optional('WEBSOCKET_CALLBACK_URL'),
    rate: {
      limit: reader.integer('WEBSOCKET_RATE_LIMIT', DEFAULT_RATE_LIMIT, { max: 1000 }),
      windowSeconds: reader.integer('WEBSOCKET_RATE_WINDOW_SECONDS', DEFAULT_RATE_WINDOW_SECONDS, {
        max: 3600,
      }),
    },
    broadcastConcurrency: reader.integer('BROADCAST_CONCURRENCY', DEFAULT_BROADCAST_CONCURRENCY, {
      max: 1000,
    }),
  };
  reader.done();
  return config;
}
