import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type LocalDynamoDb, startDynamoDb } from '@greenlight/local-stack/dynamodb';
import { type SlackApi, startSlackApi } from '@greenlight/local-stack/slack-api';
import { loadTemplate } from '@greenlight/local-stack/template';
import { ALICE, APPROVALS, TEST_WORKSPACE } from '@greenlight/local-stack/testing/slack-api-workspace';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import eventFixture from '../fixtures/slack/event-message.json';
import { buildSlackFunction, loadFresh } from '../helpers/function-bundles';
import { memoryDedup, TEST_BOT_TOKEN, testConfig } from '../helpers/slack-app';
import { jsonRequest, lambdaContext, slashCommand, TEST_SIGNING_SECRET } from '../helpers/slack-requests';

/**
 * The Slack function as it is deployed: bundled with its esbuild options into a folder (its handler's
 * file and the files around it that it requires on demand), then loaded from there.
 */
type BundledApp = typeof import('../fixtures/bundles/slack-app');
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const REPO_ROOT = join(__dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'greenlight-slack-bundle-'));

const bundle = (folder: string, entry?: string) => buildSlackFunction(join(scratch, folder), entry);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('the Slack app, bundled like the Slack function (Web API on demand)', () => {
  let api: SlackApi;
  let bundleFile: string;

  beforeAll(async () => {
    api = await startSlackApi(TEST_WORKSPACE);
    bundleFile = await bundle('app', 'tests/fixtures/bundles/slack-app.ts');
  });

  afterAll(async () => {
    await api.close();
  });

  function coldStart() {
    const bundled = loadFresh<BundledApp>(bundleFile);
    const { app, receiver } = bundled.createSlackApp({
      config: testConfig({ botToken: TEST_WORKSPACE.botToken, slackApiUrl: api.apiUrl }),
      logger: bundled.createLogger({ level: 'silent' }),
      dedup: memoryDedup(),
    });
    app.event('app_mention', async ({ event, client }) => {
      await client.chat.postMessage({ channel: event.channel, text: `Hello <@${event.user}>` });
    });
    return { handler: receiver.toHandler(), isWebApiLoaded: bundled.isWebApiLoaded };
  }

  function appMention(eventId: string) {
    return jsonRequest({
      type: 'event_callback',
      team_id: TEST_WORKSPACE.team.id,
      api_app_id: TEST_WORKSPACE.appId,
      event_id: eventId,
      event_time: 1763812400,
      event: {
        type: 'app_mention',
        user: ALICE,
        text: `<@${TEST_WORKSPACE.botUserId}> hello`,
        ts: '1763812400.000100',
        channel: APPROVALS,
        event_ts: '1763812400.000100',
      },
      authorizations: [{ team_id: TEST_WORKSPACE.team.id, user_id: TEST_WORKSPACE.botUserId, is_bot: true }],
    });
  }

  it('answers a slash command without loading the Web API', async () => {
    const { handler, isWebApiLoaded } = coldStart();
    const result = await handler(slashCommand('help'), lambdaContext());
    expect({
      statusCode: result.statusCode,
      help: result.body.includes('/greenlight request'),
      loaded: isWebApiLoaded(),
    }).toEqual({ statusCode: 200, help: true, loaded: false });
  });

  it('loads the Web API when a listener calls it, and calls it with the bot token', async () => {
    const { handler, isWebApiLoaded } = coldStart();
    const result = await handler(appMention('Ev0ONDEMAND1'), lambdaContext());
    const posted = api.messages(APPROVALS).filter((message) => message.text === `Hello <@${ALICE}>`);
    expect({ statusCode: result.statusCode, loaded: isWebApiLoaded(), posted }).toEqual({
      statusCode: 200,
      loaded: true,
      posted: [expect.objectContaining({ bot_id: TEST_WORKSPACE.botId })],
    });
  });
});

describe("the Slack function's own bundle, configured from its environment", () => {
  let dynamo: LocalDynamoDb;
  let handler: Handler;

  beforeAll(async () => {
    dynamo = await startDynamoDb({ template: loadTemplate(join(REPO_ROOT, 'template.yaml')) });
    process.env.SLACK_SIGNING_SECRET = TEST_SIGNING_SECRET;
    process.env.SLACK_BOT_TOKEN = TEST_BOT_TOKEN;
    process.env.EVENT_DEDUP_TABLE = 'EventDedupTable';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    ({ handler } = loadFresh<{ handler: Handler }>(await bundle('function')));
  });

  afterAll(async () => {
    await dynamo.close();
  });

  it('answers a signed help command', async () => {
    const result = await handler(slashCommand('help'), lambdaContext());
    expect({ statusCode: result.statusCode, help: result.body.includes('/greenlight request') }).toEqual({
      statusCode: 200,
      help: true,
    });
  });

  it('records the first delivery of an event in DynamoDB and acknowledges its retry', async () => {
    const event = { ...eventFixture, event_id: 'Ev-bundle-1' };
    const first = await handler(jsonRequest(event), lambdaContext());
    const retry = await handler(
      jsonRequest(event, { headers: { 'X-Slack-Retry-Num': '1' } }),
      lambdaContext(),
    );
    const stored = await dynamo.client.send(
      new GetItemCommand({ TableName: 'EventDedupTable', Key: { pk: { S: 'slack-event#Ev-bundle-1' } } }),
    );
    expect({ first: first.statusCode, retry: retry.statusCode, stored: stored.Item !== undefined }).toEqual({
      first: 200,
      retry: 200,
      stored: true,
    });
  });
});
