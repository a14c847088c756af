import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { Level } from 'level';
import { listen } from './http';
import { dataDirInUse } from './start-errors';
import type { Template } from './template';
import { tableDefinitions } from './template';

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}

/**
 * LevelDB lets one process open a directory; dynalite finds out only on its first request, and
 * throws that from a stream where nothing can catch it. Opening it first turns that into a sentence.
 */
async function assertUnlocked(dataDir: string): Promise<void> {
  const probe = new Level(dataDir);
  try {
    await probe.open();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED')
      throw dataDirInUse(dirname(dataDir));
    throw error;
  }
  await probe.close();
}

export interface LocalDynamoDb {
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  /** Deletes rows whose TTL attribute has passed, as DynamoDB's TTL would (dynalite has none). */
  sweepExpired(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Embedded DynamoDB (dynalite) with the template's tables. Persisted under `dataDir` when given,
 * in memory otherwise. Tables keep their logical ids as names: locally there is one stack.
 */
export async function startDynamoDb(options: {
  template: Template;
  port?: number;
  host?: string;
  dataDir?: string | undefined;
  ttlSweepMs?: number;
}): Promise<LocalDynamoDb> {
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    await assertUnlocked(options.dataDir);
  }
  const server = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const host = options.host ?? '127.0.0.1';
  const { port } = await listen(server, options.port ?? 0, host);
  const endpoint = `http://${host}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  const definitions = tableDefinitions(options.template);
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const { logicalId: _logicalId, ttlAttribute: _ttl, ...input } of definitions) {
    if (!existing.has(input.TableName ?? '')) await client.send(new CreateTableCommand(input));
  }
  // dynalite flips a new table to ACTIVE asynchronously (later still with a disk store), and
  // writes to a CREATING table fail with ResourceNotFoundException: wait, as CloudFormation would.
  for (const table of definitions) await waitUntilActive(client, table.TableName ?? '');

  const sweepExpired = async (): Promise<number> => {
    let deleted = 0;
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const table of definitions) {
      if (!table.ttlAttribute) continue;
      const keyNames = (table.KeySchema ?? []).map((key) => key.AttributeName ?? '');
      let startKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: table.TableName,
            FilterExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': table.ttlAttribute },
            ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const key = Object.fromEntries(keyNames.map((name) => [name, item[name] ?? { S: '' }]));
          await client.send(new DeleteItemCommand({ TableName: table.TableName, Key: key }));
          deleted += 1;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return deleted;
  };

  const sweeper = setInterval(() => {
    sweepExpired().catch((error: unknown) => console.warn('[dynamodb] TTL sweep failed', error));
  }, options.ttlSweepMs ?? 60_000);
  sweeper.unref();

  return {
    endpoint,
    port,
    client,
    sweepExpired,
    async close() {
      clearInterval(sweeper);
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
