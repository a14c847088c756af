import type { Logger } from '../../shared/log';
import type { WebSocketConfig } from '../config';
import type { ConnectionSender } from '../connection-sender';
import type { ConnectionsStore } from '../connections-store';
import type { SlackMirror } from '../slack-mirror';

/** What the routes are handed: the real ones in handler.ts, fakes in unit tests. */
export interface RouteDeps {
  config: Pick<WebSocketConfig, 'tokenKey' | 'rate' | 'broadcastConcurrency'>;
  store: ConnectionsStore;
  mirror: SlackMirror;
  /** The `@connections` API of the stage an event came through, by its callback URL. */
  senderFor(callbackUrl: string): ConnectionSender;
  logger: Logger;
  now(): number;
}

/** What a route returns to API Gateway; only `$connect`'s status is seen by the client. */
export interface RouteResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}
