/**
 * The parts of an API Gateway WebSocket proxy event the bridge uses, read once at the boundary.
 * `@types/aws-lambda` leaves out `identity` and `$connect`'s query, so the shape is checked here.
 */
export interface WebSocketEvent {
  routeKey: string;
  connectionId: string;
  domainName: string;
  stage: string;
  /** Epoch milliseconds. */
  connectedAt: number;
  /** Epoch milliseconds: when API Gateway received this request. */
  requestTime: number;
  sourceIp: string;
  userAgent: string;
  /** `$connect` only; redacted by the logger by its name, and never logged on purpose. */
  token: string | undefined;
  body: string | undefined;
  isBase64Encoded: boolean;
  disconnectStatusCode: number | undefined;
  disconnectReason: string | undefined;
}

export class EventShapeError extends Error {
  override readonly name = 'EventShapeError';
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function parseWebSocketEvent(event: unknown, now: number): WebSocketEvent {
  const root = asObject(event);
  const context = asObject(root.requestContext);
  const identity = asObject(context.identity);
  const routeKey = asString(context.routeKey);
  const connectionId = asString(context.connectionId);
  const domainName = asString(context.domainName);
  const stage = asString(context.stage);
  if (!routeKey || !connectionId || !domainName || !stage) {
    throw new EventShapeError(
      'Not an API Gateway WebSocket event: requestContext needs routeKey, connectionId, domainName and stage',
    );
  }
  return {
    routeKey,
    connectionId,
    domainName,
    stage,
    connectedAt: asNumber(context.connectedAt) ?? now,
    requestTime: asNumber(context.requestTimeEpoch) ?? now,
    sourceIp: asString(identity.sourceIp) ?? '',
    userAgent: asString(identity.userAgent) ?? '',
    token: asString(asObject(root.queryStringParameters).token),
    body: asString(root.body),
    isBase64Encoded: root.isBase64Encoded === true,
    disconnectStatusCode: asNumber(context.disconnectStatusCode),
    disconnectReason: asString(context.disconnectReason),
  };
}
