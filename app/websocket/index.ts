/**
 * The WebSocket bridge as other features see it: the Slack function relays thread replies through a
 * ReplyRelay and words its answers like the mirror does. It holds no client: app/functions builds
 * the `@connections` client, and loads it in the Slack function only on the first reply.
 */
export { type ConnectionSender, managementApiSender } from './connection-sender';
export { type ConnectionsStore, dynamoThreadStore } from './connections-store';
export { notDeliveredText, SAFE_POST_OPTIONS } from './mirror-text';
export { connectionsReplyRelay, type ReplyRelay } from './reply-relay';
