import { checkConnectionToken, type TokenRefusal } from '../connection-token';
import type { ConnectionRecord } from '../connections-store';
import { CONNECTION_TTL_SECONDS } from '../limits';
import type { WebSocketEvent } from '../websocket-event';
import type { RouteDeps, RouteResult } from './route-deps';

const MAX_USER_AGENT_CHARS = 512;

const REFUSALS: Record<TokenRefusal, { statusCode: number; error: string; message: string }> = {
  missing: {
    statusCode: 401,
    error: 'missing_token',
    message: 'Connect with ?token=<token> (mint one with `npm run ws-token`).',
  },
  // Which check failed is not said for forged tokens; an expired one was genuine, so it is.
  malformed: { statusCode: 403, error: 'invalid_token', message: 'The token is not valid.' },
  'bad-signature': { statusCode: 403, error: 'invalid_token', message: 'The token is not valid.' },
  'wrong-audience': { statusCode: 403, error: 'invalid_token', message: 'The token is not valid.' },
  expired: { statusCode: 403, error: 'expired_token', message: 'The token has expired; mint a new one.' },
};

/**
 * `$connect`: the token is checked before anything is stored or posted. An accepted connection is
 * stored with its TTL and announced in the mirror channel as the root of its thread; a failed
 * announcement is logged and retried with the connection's first message.
 */
export async function connect(event: WebSocketEvent, deps: RouteDeps): Promise<RouteResult> {
  const { logger } = deps;
  const now = deps.now();
  const check = checkConnectionToken(deps.config.tokenKey, event.token, now);
  if (!check.ok) {
    const refusal = REFUSALS[check.reason];
    logger.info('websocket_connect_refused', { reason: check.reason, sourceIp: event.sourceIp });
    return {
      statusCode: refusal.statusCode,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ error: refusal.error, message: refusal.message }),
    };
  }

  const connection: ConnectionRecord = {
    connectionId: event.connectionId,
    subject: check.subject,
    sourceIp: event.sourceIp,
    userAgent: event.userAgent.slice(0, MAX_USER_AGENT_CHARS),
    connectedAt: event.connectedAt,
    expiresAt: Math.floor(now / 1000) + CONNECTION_TTL_SECONDS,
  };
  await deps.store.add(connection);
  try {
    const thread = await deps.mirror.announce(connection);
    await deps.store.attachThread(connection.connectionId, thread);
  } catch (error) {
    logger.error('websocket_mirror_failed', { step: 'announce', error });
  }
  logger.info('websocket_connected', { subject: connection.subject });
  return { statusCode: 200 };
}
