import type { WebSocketEvent } from '../websocket-event';
import type { RouteDeps, RouteResult } from './route-deps';

/** `$disconnect` (best effort on API Gateway's side): the row goes, and the thread says so. */
export async function disconnect(event: WebSocketEvent, deps: RouteDeps): Promise<RouteResult> {
  const connection = await deps.store.remove(event.connectionId);
  if (connection?.threadTs && connection.mirrorChannel) {
    try {
      await deps.mirror.disconnected(
        { channel: connection.mirrorChannel, ts: connection.threadTs },
        connection,
        {
          ...(event.disconnectStatusCode !== undefined ? { statusCode: event.disconnectStatusCode } : {}),
          ...(event.disconnectReason !== undefined ? { reason: event.disconnectReason } : {}),
          at: event.requestTime,
        },
      );
    } catch (error) {
      deps.logger.error('websocket_mirror_failed', { step: 'disconnect', error });
    }
  }
  deps.logger.info('websocket_disconnected', {
    known: connection !== undefined,
    statusCode: event.disconnectStatusCode,
  });
  return { statusCode: 200 };
}
