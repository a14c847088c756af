import { spawnSync } from 'node:child_process';
import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbEngineFromEnv, type LocalDynamoDb, startDynamoDb } from '@greenlight/local-stack/dynamodb';
import { loadTemplate } from '@greenlight/local-stack/template';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

/**
 * The local stack's second engine is Amazon's DynamoDB Local, not dynalite under another name: it
 * refuses what DynamoDB refuses where dynalite lets it through. It needs Java (17 or later): where
 * there is none, these tests are skipped, as jest lists.
 */
const hasJava = spawnSync('java', ['-version']).status === 0;
const javaTest = hasJava ? test : test.skip;

describe('choosing the engine', () => {
  test.each([
    [{}, 'dynalite'],
    [{ GREENLIGHT_DYNAMODB: '' }, 'dynalite'],
    [{ GREENLIGHT_DYNAMODB: 'dynalite' }, 'dynalite'],
    [{ GREENLIGHT_DYNAMODB: 'local' }, 'local'],
  ] as const)('reads %j as %s', (env, engine) => {
    expect(dynamoDbEngineFromEnv(env)).toBe(engine);
  });

  test('refuses an engine it does not know, naming the choices', () => {
    expect(() => dynamoDbEngineFromEnv({ GREENLIGHT_DYNAMODB: 'dynamodb' })).toThrow(
      "GREENLIGHT_DYNAMODB must be one of dynalite, local, got 'dynamodb'",
    );
  });
});

describe('the DynamoDB Local engine', () => {
  let dynamo: LocalDynamoDb | undefined;
  const table = 'ApprovalsTable';

  beforeAll(async () => {
    if (hasJava) dynamo = await startDynamoDb({ template: loadTemplate(), engine: 'local' });
  }, 120_000);

  afterAll(async () => {
    await dynamo?.close();
  });

  const put = (
    item: Record<string, { S: string }>,
    extra: Partial<ConstructorParameters<typeof PutItemCommand>[0]> = {},
  ) => (dynamo as LocalDynamoDb).client.send(new PutItemCommand({ TableName: table, Item: item, ...extra }));

  javaTest('serves the template’s tables', async () => {
    await put({ pk: { S: 'engine#1' }, status: { S: 'PENDING' } });
    expect(dynamo?.engine).toBe('local');
  });

  javaTest('refuses an empty string as a secondary index key, as DynamoDB does', async () => {
    await expect(
      put({ pk: { S: 'engine#2' }, openRequester: { S: '' }, createdAt: { S: '2026-01-01T00:00:00Z' } }),
    ).rejects.toThrow(/empty string/i);
  });

  javaTest('returns the item that failed a condition when asked to, as DynamoDB does', async () => {
    await put({ pk: { S: 'engine#3' }, status: { S: 'APPROVED' } });
    const failure = await put(
      { pk: { S: 'engine#3' }, status: { S: 'REJECTED' } },
      { ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failure as ConditionalCheckFailedException).Item?.status).toEqual({ S: 'APPROVED' });
  });
});
