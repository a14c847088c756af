import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * Lower-cased header lookup. API Gateway fills `headers` (last value of each) and
 * `multiValueHeaders`; some integrations fill only the latter, so it is the fallback. Slack's header
 * names arrive in whatever case the client used.
 */
export function readHeaders(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
): Map<string, string> {
  const headers = new Map<string, string>();
  const single = event.headers ?? {};
  for (const name in single) {
    const value = single[name];
    if (value !== undefined) headers.set(name.toLowerCase(), value);
  }
  if (headers.size > 0) return headers;
  const multi = event.multiValueHeaders ?? {};
  for (const name in multi) {
    const first = multi[name]?.[0];
    if (first !== undefined) headers.set(name.toLowerCase(), first);
  }
  return headers;
}

/** The bytes Slack signed: a base64 body is decoded to bytes, never re-encoded through a string. */
export function readRawBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Buffer {
  if (event.body === null || event.body === undefined) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** Size of the decoded body without decoding it, so an oversized request costs nothing. */
export function rawBodyLength(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): number {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, 'utf8');
}

export type BodyKind = 'form' | 'json';

/** `application/x-www-form-urlencoded; charset=utf-8` → 'form'; anything Slack never sends → undefined. */
export function bodyKind(contentType: string | undefined): BodyKind | undefined {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}
