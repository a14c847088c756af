import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keyItem } from '../app/gates/adapters/dynamo-gate-store';
import { KEY_NAME, mintApiKey } from '../app/gates/api-keys';

const USAGE = `Usage: npm run -s api-key -- --name NAME     make a key; prints it once, on stdout
       npm run -s api-key -- --revoke NAME   revoke every active key of that name
       npm run -s api-key -- --list          names, created and last-used times (never a key)
  --table TABLE   the stack's GatesTable (output GatesTableName), with your AWS credentials;
                  without it, the local stack of .local/endpoints.json (npm start)

Only the SHA-256 of a key's secret is stored: a lost key cannot be shown again; revoke it and make another.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface KeyRow {
  name: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

async function keysNamed(client: DynamoDBDocumentClient, table: string, name?: string) {
  const rows: Array<KeyRow & { pk: string }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    // An admin's occasional look at a table of a few keys: a Scan is the honest tool.
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression:
          name === undefined ? 'begins_with(pk, :key)' : 'begins_with(pk, :key) AND #name = :name',
        ExpressionAttributeValues: { ':key': 'key#', ...(name === undefined ? {} : { ':name': name }) },
        ...(name === undefined ? {} : { ExpressionAttributeNames: { '#name': 'name' } }),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) rows.push(item as KeyRow & { pk: string });
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

export async function createKey(
  client: DynamoDBDocumentClient,
  table: string,
  name: string,
  now = new Date(),
) {
  if (!KEY_NAME.test(name))
    throw new UsageError('--name must be 1 to 64 letters, digits, . _ or -, starting with a letter or digit');
  const active = (await keysNamed(client, table, name)).filter((row) => !row.revokedAt);
  if (active.length > 0)
    throw new UsageError(`A key named "${name}" is active; revoke it first (--revoke ${name})`);
  const minted = mintApiKey();
  await client.send(
    new PutCommand({
      TableName: table,
      Item: { pk: keyItem(minted.keyId), name, keyHash: minted.hash, createdAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return minted.key;
}

export async function revokeKeys(
  client: DynamoDBDocumentClient,
  table: string,
  name: string,
  now = new Date(),
) {
  const active = (await keysNamed(client, table, name)).filter((row) => !row.revokedAt);
  for (const row of active) {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: row.pk },
        UpdateExpression: 'SET revokedAt = :at',
        ConditionExpression: 'attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': now.toISOString() },
      }),
    );
  }
  return active.length;
}

export async function listKeys(client: DynamoDBDocumentClient, table: string): Promise<KeyRow[]> {
  return (await keysNamed(client, table)).map(({ name, createdAt, lastUsedAt, revokedAt }) => ({
    name,
    createdAt,
    ...(lastUsedAt ? { lastUsedAt } : {}),
    ...(revokedAt ? { revokedAt } : {}),
  }));
}

function target(table: string | undefined): { client: DynamoDBDocumentClient; table: string } {
  if (table !== undefined) return { client: DynamoDBDocumentClient.from(new DynamoDBClient({})), table };
  const file = '.local/endpoints.json';
  if (!existsSync(file))
    throw new UsageError(`No --table and no local stack (${file}); run npm start, or pass --table`);
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as { dynamodb: string; region: string };
  const client = new DynamoDBClient({
    endpoint: endpoints.dynamodb,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // The local stack names each table after its logical id.
  return { client: DynamoDBDocumentClient.from(client), table: 'GatesTable' };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      revoke: { type: 'string' },
      list: { type: 'boolean' },
      table: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const chosen = [values.name, values.revoke, values.list].filter((value) => value !== undefined);
  if (chosen.length !== 1) throw new UsageError('Give exactly one of --name, --revoke, --list');
  const { client, table } = target(values.table);
  if (values.name !== undefined) {
    console.log(await createKey(client, table, values.name));
    console.error(
      `Key "${values.name}" made: it is shown only this once. Send it as "Authorization: Bearer <key>".`,
    );
  } else if (values.revoke !== undefined) {
    const count = await revokeKeys(client, table, values.revoke);
    if (count === 0) throw new UsageError(`No active key named "${values.revoke}"`);
    console.error(`Revoked ${count} key(s) named "${values.revoke}".`);
  } else {
    for (const row of await listKeys(client, table))
      console.log(
        `${row.name}\tcreated ${row.createdAt}\tlast used ${row.lastUsedAt ?? 'never'}${row.revokedAt ? `\trevoked ${row.revokedAt}` : ''}`,
      );
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exitCode = 2;
  });
