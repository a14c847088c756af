import type { IncomingMessage } from 'node:http';
import { readBody as readLimited } from '../http';

/** Slack refuses request bodies past a few megabytes; the stand-in draws the line at 4 MB. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The whole body as UTF-8, refusing to buffer more than the limit. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const body = await readLimited(request, MAX_BODY_BYTES);
  if (body === 'too_large') throw new BodyTooLargeError();
  return body.toString('utf8');
}
