import { newAwsStyleId } from './aws-ids';

/** Who is connected, as API Gateway reports it in `requestContext.identity`. */
export interface WebSocketIdentity {
  readonly sourceIp: string;
  readonly userAgent: string;
}

/** The `requestContext` of a Lambda proxy integration event of an API Gateway WebSocket API. */
export interface WebSocketRequestContext {
  routeKey: string;
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  messageDirection: 'IN';
  connectionId: string;
  connectedAt: number;
  domainName: string;
  stage: string;
  apiId: string;
  requestId: string;
  extendedRequestId: string;
  requestTime: string;
  requestTimeEpoch: number;
  identity: WebSocketIdentity;
  /** Messages only. */
  messageId?: string;
  /** `$disconnect` only. */
  disconnectStatusCode?: number;
  /** `$disconnect` only. */
  disconnectReason?: string;
}

/** The event a WebSocket route's Lambda receives (proxy integration). */
export interface WebSocketProxyEvent {
  requestContext: WebSocketRequestContext;
  /** `$connect` only. */
  headers?: Record<string, string>;
  /** `$connect` only. */
  multiValueHeaders?: Record<string, string[]>;
  /** `$connect` only, and only when the upgrade URL had a query string. */
  queryStringParameters?: Record<string, string>;
  /** `$connect` only, and only when the upgrade URL had a query string. */
  multiValueQueryStringParameters?: Record<string, string[]>;
  /** Messages only: the text, or base64 of a binary frame. */
  body?: string;
  isBase64Encoded: boolean;
}

/** What a route's Lambda may return; only `$connect` looks at it. */
export type WebSocketProxyResult = {
  statusCode?: number;
  body?: string;
  headers?: Record<string, string>;
};

/** The fixed facts every event of one connection repeats. */
export interface ConnectionContext {
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly identity: WebSocketIdentity;
  readonly domainName: string;
  readonly stage: string;
  readonly apiId: string;
}

export interface ConnectRequest {
  readonly requestId: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly query: URLSearchParams;
}

export function connectEvent(connection: ConnectionContext, request: ConnectRequest): WebSocketProxyEvent {
  const event: WebSocketProxyEvent = {
    requestContext: requestContext(
      connection,
      '$connect',
      'CONNECT',
      request.requestId,
      connection.connectedAt,
    ),
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    isBase64Encoded: false,
  };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of request.query) {
    // Like API Gateway, the single-value map keeps the last occurrence.
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  if (Object.keys(single).length > 0) {
    event.queryStringParameters = single;
    event.multiValueQueryStringParameters = multi;
  }
  return event;
}

export interface IncomingMessage {
  readonly routeKey: string;
  readonly requestId: string;
  readonly receivedAt: number;
  readonly data: Buffer;
  readonly isBinary: boolean;
}

export function messageEvent(connection: ConnectionContext, message: IncomingMessage): WebSocketProxyEvent {
  const context = requestContext(
    connection,
    message.routeKey,
    'MESSAGE',
    message.requestId,
    message.receivedAt,
  );
  context.messageId = newAwsStyleId();
  return {
    requestContext: context,
    body: message.isBinary ? message.data.toString('base64') : message.data.toString('utf8'),
    isBase64Encoded: message.isBinary,
  };
}

export interface Disconnection {
  readonly statusCode: number;
  readonly reason: string;
  readonly at: number;
}

export function disconnectEvent(
  connection: ConnectionContext,
  disconnection: Disconnection,
): WebSocketProxyEvent {
  const context = requestContext(connection, '$disconnect', 'DISCONNECT', newAwsStyleId(), disconnection.at);
  context.disconnectStatusCode = disconnection.statusCode;
  context.disconnectReason = disconnection.reason;
  return { requestContext: context, isBase64Encoded: false };
}

function requestContext(
  connection: ConnectionContext,
  routeKey: string,
  eventType: WebSocketRequestContext['eventType'],
  requestId: string,
  at: number,
): WebSocketRequestContext {
  return {
    routeKey,
    eventType,
    messageDirection: 'IN',
    connectionId: connection.connectionId,
    connectedAt: connection.connectedAt,
    domainName: connection.domainName,
    stage: connection.stage,
    apiId: connection.apiId,
    requestId,
    extendedRequestId: requestId,
    requestTime: formatRequestTime(at),
    requestTimeEpoch: at,
    identity: { sourceIp: connection.identity.sourceIp, userAgent: connection.identity.userAgent },
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's CLF-style `requestTime`, e.g. `09/Feb/2024:18:11:43 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = two(date.getUTCDate());
  const month = MONTHS[date.getUTCMonth()] ?? '';
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${day}/${month}/${date.getUTCFullYear()}:${time} +0000`;
}
