export type { ConnectionInfo } from './gateway-connection';
export type { WebSocketGatewayOptions, WebSocketIntegration } from './options';
export { DEFAULT_API_ID } from './options';
export type { GatewayFrame, WebSocketGateway } from './websocket-gateway';
export { startWebSocketGateway } from './websocket-gateway';
export type {
  WebSocketIdentity,
  WebSocketProxyEvent,
  WebSocketProxyResult,
  WebSocketRequestContext,
} from './websocket-proxy-event';
