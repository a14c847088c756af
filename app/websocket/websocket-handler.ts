import type { Context } from 'aws-lambda';
import { callbackUrlOf } from '../shared/aws/api-gateway-management';
import { connect } from './routes/connect';
import { disconnect } from './routes/disconnect';
import { answer, receiveMessage } from './routes/message';
import type { RouteDeps, RouteResult } from './routes/route-deps';
import { errorFrame } from './server-frames';
import { EventShapeError, parseWebSocketEvent, type WebSocketEvent } from './websocket-event';

export type WebSocketHandler = (
  event: unknown,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<RouteResult>;

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * The WebSocket function: one handler routing on `requestContext.routeKey`. Every failure is mapped
 * here, once: nothing is thrown to API Gateway, a refused `$connect` gets its status, and a client
 * whose message failed on our side is told so in an error frame.
 */
export function createWebSocketHandler(deps: RouteDeps): WebSocketHandler {
  return async function handleWebSocketEvent(rawEvent, context) {
    let event: WebSocketEvent;
    try {
      event = parseWebSocketEvent(rawEvent, deps.now());
    } catch (error) {
      deps.logger.error('websocket_event_invalid', {
        requestId: context.awsRequestId,
        message: error instanceof EventShapeError ? error.message : 'The event could not be read',
      });
      return { statusCode: 400, headers: JSON_HEADERS, body: JSON.stringify({ message: 'Bad request' }) };
    }
    const logger = deps.logger.child({
      requestId: context.awsRequestId,
      route: event.routeKey,
      connectionId: event.connectionId,
    });
    const routeDeps = { ...deps, logger };
    try {
      switch (event.routeKey) {
        case '$connect':
          return await connect(event, routeDeps);
        case '$disconnect':
          return await disconnect(event, routeDeps);
        default:
          return await receiveMessage(event, routeDeps);
      }
    } catch (error) {
      logger.error('websocket_request_failed', { error });
      if (event.routeKey === '$connect') {
        return {
          statusCode: 500,
          headers: JSON_HEADERS,
          body: JSON.stringify({ message: 'Internal server error' }),
        };
      }
      if (event.routeKey !== '$disconnect') await tellSender(event, routeDeps);
      return { statusCode: 500 };
    }
  };
}

async function tellSender(event: WebSocketEvent, deps: RouteDeps): Promise<void> {
  try {
    await answer(
      deps.senderFor(callbackUrlOf(event)),
      event.connectionId,
      errorFrame(
        'internal_error',
        'Something went wrong on our side; your message may not have been delivered.',
      ),
    );
  } catch (error) {
    deps.logger.warn('websocket_error_frame_failed', { error });
  }
}
