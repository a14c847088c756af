import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { build } from 'esbuild';
import { type SlackApi, startSlackApi } from '../../local/slack-api';
import { bundleOptions, lambdaFunction } from '../../scripts/lambda-functions';
import { ALICE, APPROVALS, TEST_WORKSPACE } from '../helpers/slack-api-workspace';
import { memoryDedup, testConfig } from '../helpers/slack-app';
import { jsonRequest, lambdaContext, slashCommand } from '../helpers/slack-requests';

type BundledApp = typeof import('../fixtures/bundles/slack-app');

const REPO_ROOT = join(__dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'greenlight-slack-bundle-'));
const bundleFile = join(scratch, 'index.js');
let api: SlackApi;

beforeAll(async () => {
  api = await startSlackApi(TEST_WORKSPACE);
  await build({
    ...bundleOptions(lambdaFunction('slack'), 'tests/fixtures/bundles/slack-app.ts'),
    absWorkingDir: REPO_ROOT,
    outdir: scratch,
    logLevel: 'error',
  });
});

afterAll(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh copy of the bundle (index.js, and web-api-chunk.js beside it), as a new container loads it. */
function coldStart() {
  let bundled: BundledApp | undefined;
  jest.isolateModules(() => {
    bundled = require(bundleFile) as BundledApp;
  });
  if (bundled === undefined) throw new Error('the bundle did not load');
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

describe('the Slack app bundled like the Slack function (Web API on demand)', () => {
  it('answers a slash command without loading the Web API', async () => {
    const { handler, isWebApiLoaded } = coldStart();
    const result = await handler(slashCommand('help'), lambdaContext());
    expect({
      statusCode: result.statusCode,
      help: result.body.includes('/greenlight request'),
      loaded: isWebApiLoaded(),
    }).toEqual({
      statusCode: 200,
      help: true,
      loaded: false,
    });
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
