import { callbackUrlOf } from '../../shared/aws/api-gateway-management';
import { broadcast } from '../broadcast';
import { readClientFrame, usageHelp } from '../client-frame';
import { type ConnectionSender, encodeFrame } from '../connection-sender';
import type { ConnectionRecord } from '../connections-store';
import { type ErrorFrame, errorFrame, type MessageFrame } from '../server-frames';
import type { MirrorThread } from '../slack-mirror';
import type { WebSocketEvent } from '../websocket-event';
import type { RouteDeps, RouteResult } from './route-deps';

/** Sends a frame back to the client that sent the message; a client that has left needs none. */
export async function answer(
  sender: ConnectionSender,
  connectionId: string,
  frame: ErrorFrame,
): Promise<void> {
  await sender.send(connectionId, encodeFrame(frame));
}

/**
 * `sendmessage` and `$default`: every frame counts against the connection's rate; a valid message is
 * mirrored into the connection's Slack thread and broadcast to every other connection, never back
 * to its sender. Anything else gets an error frame with usage help, and nothing is broadcast.
 */
export async function receiveMessage(event: WebSocketEvent, deps: RouteDeps): Promise<RouteResult> {
  const { logger, config } = deps;
  const sender = deps.senderFor(callbackUrlOf(event));
  const now = deps.now();

  const admission = await deps.store.admit(event.connectionId, now, config.rate);
  if (admission.kind === 'unknown') {
    logger.warn('websocket_message_from_unknown_connection');
    await answer(
      sender,
      event.connectionId,
      errorFrame('unknown_connection', 'This connection is not registered any more; reconnect with a token.'),
    );
    return { statusCode: 200 };
  }
  if (admission.kind === 'rate-limited') {
    logger.info('websocket_rate_limited', { retryAfterSeconds: admission.retryAfterSeconds });
    await answer(
      sender,
      event.connectionId,
      errorFrame(
        'rate_limited',
        `Too many messages: at most ${config.rate.limit} per ${config.rate.windowSeconds} seconds. This one was not delivered.`,
        { retryAfterSeconds: admission.retryAfterSeconds, usage: usageHelp(config.rate) },
      ),
    );
    return { statusCode: 200 };
  }

  const frame = readClientFrame(event.body, event.isBase64Encoded, config.rate);
  if (!frame.ok) {
    logger.info('websocket_frame_refused', { error: frame.error.error, route: event.routeKey });
    await answer(sender, event.connectionId, frame.error);
    return { statusCode: 200 };
  }

  const connection = admission.connection;
  const outgoing: MessageFrame = {
    type: 'message',
    from: connection.subject,
    message: frame.message,
    at: new Date(now).toISOString(),
  };
  const [mirrored, delivered] = await Promise.allSettled([
    mirrorMessage(connection, frame.message, deps),
    broadcast({
      store: deps.store,
      sender,
      data: encodeFrame(outgoing),
      except: event.connectionId,
      concurrency: config.broadcastConcurrency,
      logger,
      now: deps.now,
    }),
  ]);
  if (mirrored.status === 'rejected') {
    logger.error('websocket_mirror_failed', { step: 'message', error: mirrored.reason });
  }
  if (delivered.status === 'rejected') throw delivered.reason;
  logger.info('websocket_message_broadcast', { chars: frame.message.length, ...delivered.value });
  return { statusCode: 200 };
}

/** Mirrors into the connection's thread, first opening the thread if `$connect` could not. */
async function mirrorMessage(connection: ConnectionRecord, message: string, deps: RouteDeps): Promise<void> {
  let thread: MirrorThread;
  if (connection.threadTs && connection.mirrorChannel) {
    thread = { channel: connection.mirrorChannel, ts: connection.threadTs };
  } else {
    thread = await deps.mirror.announce(connection);
    // If a concurrent message linked its own root first, this one stays an extra announcement.
    await deps.store.attachThread(connection.connectionId, thread, { onlyIfNone: true });
  }
  await deps.mirror.message(thread, connection.subject, message);
}
