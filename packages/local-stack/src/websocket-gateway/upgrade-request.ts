import type { IncomingMessage } from 'node:http';
import { newTraceId } from './aws-ids';

const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * True when the request is a well-formed RFC 6455 opening handshake. Checked before `$connect`
 * runs, so a malformed upgrade never reaches the integration (and `ws` cannot reject it later).
 */
export function isWebSocketHandshake(request: IncomingMessage): boolean {
  const key = request.headers['sec-websocket-key'];
  const version = request.headers['sec-websocket-version'];
  return (
    request.method === 'GET' &&
    request.headers.upgrade?.toLowerCase() === 'websocket' &&
    key !== undefined &&
    WEBSOCKET_KEY.test(key) &&
    (version === '13' || version === '8')
  );
}

/** The query of an upgrade aimed at `/{stage}` (trailing slash allowed), or undefined for any other path. */
export function stageQuery(url: string | undefined, stage: string): URLSearchParams | undefined {
  const parsed = new URL(url ?? '/', 'http://gateway.invalid');
  const path = parsed.pathname.endsWith('/') ? parsed.pathname.slice(0, -1) : parsed.pathname;
  return path === `/${stage}` ? parsed.searchParams : undefined;
}

/** The client's address without the IPv4-mapped IPv6 prefix Node adds on dual-stack sockets. */
export function sourceIpOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

export interface ConnectHeaders {
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
}

/**
 * The headers `$connect` sees: the client's, with their original spelling, plus the forwarding
 * and trace headers API Gateway's front end adds.
 */
export function connectHeaders(request: IncomingMessage, sourceIp: string, nowMs: number): ConnectHeaders {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const spelling = new Map<string, string>();
  const add = (name: string, value: string) => {
    // Repeats of a header under another spelling join the first one, as HTTP names are case-insensitive.
    const key = spelling.get(name.toLowerCase()) ?? name;
    spelling.set(name.toLowerCase(), key);
    headers[key] = value;
    multiValueHeaders[key] = [...(multiValueHeaders[key] ?? []), value];
  };
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    add(raw[index] ?? '', raw[index + 1] ?? '');
  }
  const port = String(request.socket.localPort ?? '');
  if (!spelling.has('x-forwarded-for')) add('X-Forwarded-For', sourceIp);
  if (!spelling.has('x-forwarded-port')) add('X-Forwarded-Port', port);
  if (!spelling.has('x-forwarded-proto')) add('X-Forwarded-Proto', 'http');
  if (!spelling.has('x-amzn-trace-id')) add('X-Amzn-Trace-Id', newTraceId(nowMs));
  return { headers, multiValueHeaders };
}

/** The value of a header in a Lambda result's headers, whatever the spelling of its name. */
export function resultHeader(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
