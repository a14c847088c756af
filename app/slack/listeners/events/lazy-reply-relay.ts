import type { ReplyRelay } from '../../../websocket/reply-relay';
import type { WebSocketRepliesConfig } from '../../config';

/**
 * The bridge's DynamoDB and `@connections` clients load with the first thread reply: slash commands
 * and button clicks never need them, so the Slack function's cold start does not pay for them.
 */
export function lazyReplyRelay(config: WebSocketRepliesConfig): ReplyRelay {
  let relay: Promise<ReplyRelay> | undefined;
  const load = () => {
    relay ??= Promise.all([
      import('../../../shared/aws/dynamodb'),
      import('../../../shared/aws/api-gateway-management'),
      import('../../../websocket/connections-store'),
      import('../../../websocket/connection-sender'),
      import('../../../websocket/reply-relay'),
    ]).then(
      ([{ dynamodb }, { managementApi }, { dynamoConnectionsStore }, { managementApiSender }, relays]) =>
        relays.connectionsReplyRelay(
          dynamoConnectionsStore(dynamodb, config.connectionsTable),
          managementApiSender(managementApi(config.callbackUrl)),
        ),
    );
    return relay;
  };
  return {
    findConnection: async (...args) => (await load()).findConnection(...args),
    deliver: async (...args) => (await load()).deliver(...args),
    forget: async (...args) => (await load()).forget(...args),
  };
}
