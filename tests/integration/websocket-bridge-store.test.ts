import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { managementApi } from '../../app/shared/aws/api-gateway-management';
import { createLogger } from '../../app/shared/log';
import { broadcast } from '../../app/websocket/broadcast';
import { encodeFrame, managementApiSender } from '../../app/websocket/connection-sender';
import { type ConnectionsStore, dynamoConnectionsStore } from '../../app/websocket/connections-store';
import { BridgeClient, type Frame } from '../helpers/bridge-client';
import { TestStack } from '../helpers/local-stack';

const TABLE = 'ConnectionsTable';

describe('the connections table and the broadcast against the local DynamoDB and gateway', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;
  let store: ConnectionsStore;

  beforeAll(async () => {
    stack = await TestStack.start({ environment: { LOG_LEVEL: 'warn' } });
    db = DynamoDBDocumentClient.from(stack.stack.dynamodb.client);
    store = dynamoConnectionsStore(db, TABLE);
  });

  afterAll(async () => {
    await stack.stop();
  });

  const put = (connectionId: string, fields: Record<string, unknown> = {}) =>
    db.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          connectionId,
          subject: connectionId.toLowerCase(),
          sourceIp: '',
          userAgent: '',
          connectedAt: Date.now() - 600_000,
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
          ...fields,
        },
      }),
    );

  it('reads every page of live connections and skips rows past their expiry', async () => {
    for (let i = 0; i < 10; i += 1) await put(`Page${i}`);
    await put('Expired', { expiresAt: Math.floor(Date.now() / 1000) - 1 });

    const pages: string[][] = [];
    for await (const page of store.livePages(Date.now(), 3)) pages.push(page.map((ref) => ref.connectionId));

    expect(pages.length).toBeGreaterThan(3);
    expect(pages.flat().sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Page${i}`).sort());
  });

  it('finds a thread’s live connection in the mirror channel only', async () => {
    await put('Threaded', { mirrorChannel: 'C0MIRROR', threadTs: '1700000000.000100' });
    await put('OldThread', {
      mirrorChannel: 'C0MIRROR',
      threadTs: '1700000000.000200',
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });

    const found = await store.findByThread('C0MIRROR', '1700000000.000100', Date.now());
    const elsewhere = await store.findByThread('C0GENERAL', '1700000000.000100', Date.now());
    const expired = await store.findByThread('C0MIRROR', '1700000000.000200', Date.now());

    expect(found).toMatchObject({ connectionId: 'Threaded', subject: 'threaded', mirrorChannel: 'C0MIRROR' });
    expect([elsewhere, expired]).toEqual([undefined, undefined]);
  });

  it('broadcasts page by page to real clients, each getting exactly one copy', async () => {
    const clients = await Promise.all(
      Array.from({ length: 12 }, (_, i) => BridgeClient.connect(stack, `paged${i}`)),
    );
    const sender = managementApiSender(managementApi(stack.stack.websocket.managementEndpoint, {}));
    // Pages of 4 rows, so the broadcast must follow LastEvaluatedKey several times.
    const paged = { ...store, livePages: (now: number) => store.livePages(now, 4) };
    const isPaged = (frame: Frame) => frame.type === 'message' && frame.message === 'paged';

    const result = await broadcast({
      store: paged,
      sender,
      data: encodeFrame({ type: 'message', from: 'bench', message: 'paged', at: new Date().toISOString() }),
      concurrency: 3,
      logger: createLogger({ level: 'silent' }),
    });
    // Frames on a connection arrive in order: once this later one is in, any duplicate would be too.
    const marker = encodeFrame({
      type: 'message',
      from: 'bench',
      message: 'marker',
      at: new Date().toISOString(),
    });
    await Promise.all(clients.map((client) => sender.send(client.connectionId, marker)));
    await Promise.all(
      clients.map((client) => client.next((frame) => frame.message === 'marker', 'the marker')),
    );

    // The 11 live rows the other tests wrote have no open connection behind them: 410, and deleted.
    expect(result).toEqual({ sent: 12, gone: 11, failed: 0 });
    for (const client of clients) expect(client.frames.filter(isPaged)).toHaveLength(1);
    await Promise.all(clients.map((client) => client.close()));
  });
});
