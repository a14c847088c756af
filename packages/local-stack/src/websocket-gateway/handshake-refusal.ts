import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

// Headers the refusal sets itself, and any a handler could use to break the response framing.
const RESERVED = new Set(['connection', 'content-length', 'transfer-encoding', 'upgrade']);

/**
 * Answers an upgrade request with a plain HTTP response instead of `101 Switching Protocols`,
 * which is what a client sees when `$connect` refuses it, then closes the socket.
 */
export function refuseUpgrade(
  socket: Duplex,
  statusCode: number,
  body = '',
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'Unknown'}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) {
    if (RESERVED.has(name.toLowerCase()) || /[\r\n]/.test(name + value)) continue;
    lines.push(`${name}: ${value}`);
  }
  const payload = Buffer.from(body, 'utf8');
  lines.push(`Content-Length: ${payload.length}`);
  socket.once('finish', () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]));
}

/** The JSON API Gateway sends for its own errors, e.g. `{"message": "Forbidden", ...}`. */
export function gatewayErrorBody(message: string, connectionId: string, requestId: string): string {
  // Spaced exactly like API Gateway's, for clients that compare strings rather than parse JSON.
  return `{"message": "${message}", "connectionId":"${connectionId}", "requestId":"${requestId}"}`;
}
