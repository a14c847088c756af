import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamoDb, startDynamoDb } from '@greenlight/local-stack/dynamodb';
import { loadTemplate } from '@greenlight/local-stack/template';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { dynamoEventDedup } from '../../app/slack/receiver/dynamo-event-dedup';
import eventFixture from '../fixtures/slack/event-message.json';
import { TEST_BOT_TOKEN } from '../helpers/slack-app';
import { jsonRequest, lambdaContext, slashCommand, TEST_SIGNING_SECRET } from '../helpers/slack-requests';

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDb({ template: loadTemplate() });
});

afterAll(async () => {
  await dynamo.close();
});

describe('event claims in DynamoDB', () => {
  it('lets exactly one delivery claim an event id, and a released id be claimed again', async () => {
    const dedup = dynamoEventDedup(DynamoDBDocumentClient.from(dynamo.client), 'EventDedupTable');
    const first = await dedup.claim('Ev-claim-1');
    const second = await dedup.claim('Ev-claim-1');
    await dedup.release('Ev-claim-1');
    const afterRelease = await dedup.claim('Ev-claim-1');
    expect([first, second, afterRelease]).toEqual([true, false, true]);
  });

  it('stores each claim with an expiry for the table TTL', async () => {
    const dedup = dynamoEventDedup(DynamoDBDocumentClient.from(dynamo.client), 'EventDedupTable');
    await dedup.claim('Ev-claim-2');
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: 'EventDedupTable', Key: { pk: { S: 'slack-event#Ev-claim-2' } } }),
    );
    expect(Number(Item?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('the Slack function handler, configured from its environment', () => {
  type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  let handler: Handler;

  beforeAll(async () => {
    process.env.SLACK_SIGNING_SECRET = TEST_SIGNING_SECRET;
    process.env.SLACK_BOT_TOKEN = TEST_BOT_TOKEN;
    process.env.EVENT_DEDUP_TABLE = 'EventDedupTable';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    ({ handler } = (await import('../../app/functions/slack')) as { handler: Handler });
  });

  it('exports a handler that takes two arguments', () => {
    expect(handler).toHaveLength(2);
  });

  it('answers a signed help command', async () => {
    const result = await handler(slashCommand('help'), lambdaContext());
    expect(result.statusCode).toBe(200);
  });

  it('records the first delivery of an event in the table and acknowledges its retry', async () => {
    const event = { ...eventFixture, event_id: 'Ev-handler-1' };
    const first = await handler(jsonRequest(event), lambdaContext());
    const stored = await dynamo.client.send(
      new GetItemCommand({ TableName: 'EventDedupTable', Key: { pk: { S: 'slack-event#Ev-handler-1' } } }),
    );
    const retry = await handler(
      jsonRequest(event, { headers: { 'X-Slack-Retry-Num': '1' } }),
      lambdaContext(),
    );
    expect(first.statusCode).toBe(200);
    expect(stored.Item).toBeDefined();
    expect(retry.statusCode).toBe(200);
  });
});
