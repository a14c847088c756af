import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SCAN_PAGE_SIZE } from './limits';

/** One open WebSocket connection, as stored in the connections table. */
export interface ConnectionRecord {
  connectionId: string;
  /** Who the token was minted for. */
  subject: string;
  sourceIp: string;
  userAgent: string;
  /** Epoch milliseconds. */
  connectedAt: number;
  /** Epoch seconds: DynamoDB's TTL attribute, and the instant readers stop trusting the row. */
  expiresAt: number;
  /** The Slack thread that mirrors this connection, once its root message is posted. */
  mirrorChannel?: string;
  threadTs?: string;
}

/** What a broadcast needs to know about each recipient. */
export interface ConnectionRef {
  connectionId: string;
  connectedAt: number;
}

/** What the thread index holds of a row (its projection in template.yaml). */
export type ThreadRow = Pick<
  ConnectionRecord,
  'connectionId' | 'subject' | 'connectedAt' | 'expiresAt' | 'mirrorChannel'
>;

export interface RateLimit {
  /** Messages allowed per window. */
  limit: number;
  windowSeconds: number;
}

export type Admission =
  | { kind: 'admitted'; connection: ConnectionRecord }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'unknown' };

export interface ConnectionsStore {
  add(record: ConnectionRecord): Promise<void>;
  /** Links the connection to its Slack thread; false when the row is gone or (with `onlyIfNone`) already linked. */
  attachThread(
    connectionId: string,
    thread: { channel: string; ts: string },
    options?: { onlyIfNone?: boolean },
  ): Promise<boolean>;
  /** Deletes the row and returns what it held, if anything. */
  remove(connectionId: string): Promise<ConnectionRecord | undefined>;
  /**
   * Deletes the row of a connection `@connections` called gone, unless it connected after
   * `connectedBefore` (it may still be inside its `$connect`). True when a row was deleted.
   */
  removeGone(connectionId: string, connectedBefore: number): Promise<boolean>;
  /** Counts one message against the connection's rate limit and returns its row when allowed. */
  admit(connectionId: string, now: number, rate: RateLimit): Promise<Admission>;
  /** The live connection mirrored by this Slack thread, if any. */
  findByThread(channel: string, threadTs: string, now: number): Promise<ThreadRow | undefined>;
  /** Every live connection, a page at a time (every page, never only the first). */
  livePages(now: number, pageSize?: number): AsyncIterable<ConnectionRef[]>;
}

/** The table's index from a mirror thread to its connection (sparse: rows get `threadTs` once mirrored). */
export const THREAD_INDEX = 'byThread';

const nowSeconds = (now: number) => Math.floor(now / 1000);

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The row after a conditional update, or undefined when the condition refused it. */
async function updateIfAllowed(
  client: DynamoDBDocumentClient,
  command: UpdateCommand,
): Promise<ConnectionRecord | undefined> {
  try {
    const { Attributes } = await client.send(command);
    return Attributes as ConnectionRecord;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Deletes a gone connection's row (see ConnectionsStore.removeGone); every function that posts uses it. */
function removeGoneFrom(client: DynamoDBDocumentClient, tableName: string): ConnectionsStore['removeGone'] {
  return async function removeGone(connectionId, connectedBefore) {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { connectionId },
          ConditionExpression: 'connectedAt < :before',
          ExpressionAttributeValues: { ':before': connectedBefore },
        }),
      );
      return true;
    } catch (error) {
      // Already deleted ($disconnect won the race) or still connecting: nothing to remove now.
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
}

function livePagesFrom(client: DynamoDBDocumentClient, tableName: string): ConnectionsStore['livePages'] {
  return async function* livePages(now, pageSize = SCAN_PAGE_SIZE) {
    const scan = (startKey: Record<string, unknown> | undefined) =>
      client.send(
        new ScanCommand({
          TableName: tableName,
          ProjectionExpression: 'connectionId, connectedAt',
          // Rows past their TTL can linger until DynamoDB deletes them; they are not connections.
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':now': nowSeconds(now) },
          Limit: pageSize,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
    // The next page is read while this one is posted, so the posts never wait on a Scan.
    let next: ReturnType<typeof scan> | undefined = scan(undefined);
    try {
      while (next !== undefined) {
        const page: Awaited<ReturnType<typeof scan>> = await next;
        next = page.LastEvaluatedKey ? scan(page.LastEvaluatedKey) : undefined;
        const refs = (page.Items ?? []) as ConnectionRef[];
        if (refs.length > 0) yield refs;
      }
    } finally {
      // A reader that stops early leaves a read in flight; its outcome no longer matters.
      next?.catch(() => {});
    }
  };
}

function findByThreadFrom(
  client: DynamoDBDocumentClient,
  tableName: string,
): ConnectionsStore['findByThread'] {
  return async function findByThread(channel, threadTs, now) {
    const { Items } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: THREAD_INDEX,
        KeyConditionExpression: 'threadTs = :ts',
        ExpressionAttributeValues: { ':ts': threadTs },
      }),
    );
    const rows = (Items ?? []) as ThreadRow[];
    return rows.find((row) => row.mirrorChannel === channel && row.expiresAt > nowSeconds(now));
  };
}

/**
 * What a broadcast needs of the table: every live page, and removing the gone. The stores are
 * split by who uses them: a store's methods all come along into every bundle that builds it.
 */
export function dynamoBroadcastStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): Pick<ConnectionsStore, 'livePages' | 'removeGone'> {
  return { livePages: livePagesFrom(client, tableName), removeGone: removeGoneFrom(client, tableName) };
}

/** What relaying a Slack thread reply needs of the table (the Slack function): its connection, and removing it when gone. */
export function dynamoThreadStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): Pick<ConnectionsStore, 'findByThread' | 'removeGone'> {
  return { findByThread: findByThreadFrom(client, tableName), removeGone: removeGoneFrom(client, tableName) };
}

/** The connections table in DynamoDB; `client` is the shared document client (a seam for tests). */
export function dynamoConnectionsStore(client: DynamoDBDocumentClient, tableName: string): ConnectionsStore {
  return {
    removeGone: removeGoneFrom(client, tableName),
    findByThread: findByThreadFrom(client, tableName),
    livePages: livePagesFrom(client, tableName),
    async add(record) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: record,
          // A connection id is never reused, so an existing row means this $connect already ran.
          ConditionExpression: 'attribute_not_exists(connectionId)',
        }),
      );
    },

    async attachThread(connectionId, thread, options = {}) {
      const condition = options.onlyIfNone
        ? 'attribute_exists(connectionId) AND attribute_not_exists(threadTs)'
        : 'attribute_exists(connectionId)';
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { connectionId },
            UpdateExpression: 'SET threadTs = :ts, mirrorChannel = :channel',
            ConditionExpression: condition,
            ExpressionAttributeValues: { ':ts': thread.ts, ':channel': thread.channel },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async remove(connectionId) {
      const { Attributes } = await client.send(
        new DeleteCommand({ TableName: tableName, Key: { connectionId }, ReturnValues: 'ALL_OLD' }),
      );
      return Attributes as ConnectionRecord | undefined;
    },

    async admit(connectionId, now, rate) {
      const windowFloor = now - rate.windowSeconds * 1000;
      const live = { ':now': nowSeconds(now) };
      const countInWindow = () =>
        updateIfAllowed(
          client,
          new UpdateCommand({
            TableName: tableName,
            Key: { connectionId },
            UpdateExpression: 'SET msgCount = msgCount + :one',
            ConditionExpression:
              'attribute_exists(connectionId) AND expiresAt > :now AND windowStart > :floor AND msgCount < :limit',
            ExpressionAttributeValues: { ...live, ':one': 1, ':floor': windowFloor, ':limit': rate.limit },
            ReturnValues: 'ALL_NEW',
          }),
        );
      const openWindow = () =>
        updateIfAllowed(
          client,
          new UpdateCommand({
            TableName: tableName,
            Key: { connectionId },
            UpdateExpression: 'SET windowStart = :start, msgCount = :one',
            ConditionExpression:
              'attribute_exists(connectionId) AND expiresAt > :now AND (attribute_not_exists(windowStart) OR windowStart <= :floor)',
            ExpressionAttributeValues: { ...live, ':start': now, ':one': 1, ':floor': windowFloor },
            ReturnValues: 'ALL_NEW',
          }),
        );
      // The usual case first: one more message in the current window. Then: no window yet, or the
      // last one ended. Last: a concurrent message may have opened the window just now.
      const row = (await countInWindow()) ?? (await openWindow()) ?? (await countInWindow());
      if (row !== undefined) return { kind: 'admitted', connection: row };

      // Refused every way: the window is full, or there is no live row. Only this path pays for a read.
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { connectionId }, ConsistentRead: true }),
      );
      const current = Item as (ConnectionRecord & { windowStart?: number }) | undefined;
      if (current === undefined || current.expiresAt <= nowSeconds(now)) return { kind: 'unknown' };
      const windowEnd = (current.windowStart ?? now) + rate.windowSeconds * 1000;
      return { kind: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
    },
  };
}
