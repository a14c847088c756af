/** WebSocket close codes (RFC 6455 §7.4.1) the gateway sends or reports to `$disconnect`. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  noStatusReceived: 1005,
  abnormal: 1006,
  invalidPayload: 1007,
  messageTooBig: 1009,
} as const;

/** A close the gateway starts itself, with the code and reason the client sees. */
export interface GatewayClose {
  readonly code: number;
  readonly reason: string;
}

/** `@connections` DELETE: API Gateway reports it to `$disconnect` as a normal closure. */
export const CLOSED_BY_MANAGEMENT_API: GatewayClose = {
  code: CloseCode.normal,
  reason: 'Connection Closed Normally',
};
/** Idle timeout, maximum connection duration and gateway shutdown all look like this to the client. */
export const GOING_AWAY: GatewayClose = { code: CloseCode.goingAway, reason: 'Going away' };
export const MESSAGE_TOO_BIG: GatewayClose = { code: CloseCode.messageTooBig, reason: 'Message too big' };

/** The `disconnectReason` API Gateway puts beside a code when the client gave no reason of its own. */
export function describeCloseCode(code: number): string {
  switch (code) {
    case CloseCode.normal:
      return 'Connection Closed Normally';
    case CloseCode.goingAway:
      return 'Going away';
    case CloseCode.noStatusReceived:
      return 'Client-side close frame status not set';
    case CloseCode.abnormal:
      return 'Connection closed abnormally';
    case CloseCode.messageTooBig:
      return 'Message too big';
    default:
      return '';
  }
}
