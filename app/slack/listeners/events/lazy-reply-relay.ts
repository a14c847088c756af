import { dynamodb } from '../../../shared/aws/dynamodb';
import { managementApiSender } from '../../../websocket/connection-sender';
import { dynamoConnectionsStore } from '../../../websocket/connections-store';
import { connectionsReplyRelay, type ReplyRelay } from '../../../websocket/reply-relay';
import type { WebSocketRepliesConfig } from '../../config';

/**
 * The relay is built with the first thread reply. The `@connections` client's module is loaded
 * then too: slash commands and button clicks never need it. The DynamoDB client is imported like
 * any other (it is built on first use, and an `import()` would stop esbuild tree-shaking the SDK).
 */
export function lazyReplyRelay(config: WebSocketRepliesConfig): ReplyRelay {
  let relay: Promise<ReplyRelay> | undefined;
  const load = () => {
    relay ??= import('../../../shared/aws/api-gateway-management').then(({ managementApi }) =>
      connectionsReplyRelay(
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
