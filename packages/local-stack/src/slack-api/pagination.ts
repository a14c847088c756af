import type { ApiArgs } from './api-args';
import { SlackApiError } from './slack-api-error';

const MAX_LIMIT = 999;

export interface Page<T> {
  items: T[];
  /** Present only when another page exists, as in Slack's `response_metadata`. */
  responseMetadata: { next_cursor: string } | undefined;
}

/**
 * Slack's cursor pagination over messages already in response order. The cursor names the first
 * message of the next page (`next_ts:<ts>`, base64), so messages posted meanwhile do not shift pages.
 */
export function paginate<T extends { ts: string }>(
  ordered: T[],
  args: ApiArgs,
  defaultLimit: number,
): Page<T> {
  const requested = args.integer('limit');
  const limit = requested === undefined || requested <= 0 ? defaultLimit : Math.min(requested, MAX_LIMIT);
  let start = 0;
  const cursor = args.string('cursor');
  if (cursor !== undefined) {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    const ts = decoded.startsWith('next_ts:') ? decoded.slice('next_ts:'.length) : undefined;
    start = ordered.findIndex((item) => item.ts === ts);
    if (start < 0) throw new SlackApiError('invalid_cursor');
  }
  const items = ordered.slice(start, start + limit);
  const next = ordered[start + limit];
  return {
    items,
    responseMetadata:
      next === undefined ? undefined : { next_cursor: Buffer.from(`next_ts:${next.ts}`).toString('base64') },
  };
}
