import { SfnApiError } from './sfn-error';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** One page of items, with the opaque nextToken the AWS list APIs hand out. */
export function paginate<T>(
  items: ReadonlyArray<T>,
  maxResults: unknown,
  nextToken: unknown,
): { page: T[]; nextToken?: string } {
  const size =
    typeof maxResults === 'number' && maxResults > 0
      ? Math.min(maxResults, MAX_PAGE_SIZE)
      : DEFAULT_PAGE_SIZE;
  const start = nextToken === undefined || nextToken === null ? 0 : decodeToken(nextToken);
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return end < items.length
    ? { page, nextToken: Buffer.from(`page:${end}`).toString('base64url') }
    : { page };
}

function decodeToken(token: unknown): number {
  const match =
    typeof token === 'string' ? /^page:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8')) : null;
  if (match?.[1] === undefined) throw new SfnApiError('InvalidToken', `Invalid Token: '${String(token)}'`);
  return Number(match[1]);
}
