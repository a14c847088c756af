import { describe, expect, it } from '@jest/globals';
import { loadSlackConfig } from '../../../app/slack/config';
import { loadWebSocketConfig } from '../../../app/websocket/config';

const SLACK = { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-t', EVENT_DEDUP_TABLE: 'dedup' };

describe('the WebSocket function’s configuration', () => {
  it('reads its variables, with the documented defaults for the limits', () => {
    const config = loadWebSocketConfig({
      WEBSOCKET_TOKEN_KEY: 'k',
      CONNECTIONS_TABLE: 'conns',
      MIRROR_CHANNEL_ID: 'C0MIRROR',
      SLACK_BOT_TOKEN: 'xoxb-t',
    });
    expect(config).toEqual({
      tokenKey: 'k',
      connectionsTable: 'conns',
      mirrorChannelId: 'C0MIRROR',
      botToken: 'xoxb-t',
      slackApiUrl: undefined,
      rate: { limit: 10, windowSeconds: 10 },
      broadcastConcurrency: 48,
    });
  });

  it('names every missing or malformed variable at once', () => {
    expect(() => loadWebSocketConfig({ WEBSOCKET_RATE_LIMIT: 'lots' })).toThrow(
      'Invalid configuration: WEBSOCKET_TOKEN_KEY is not set; CONNECTIONS_TABLE is not set; ' +
        'MIRROR_CHANNEL_ID is not set; SLACK_BOT_TOKEN is not set; ' +
        'WEBSOCKET_RATE_LIMIT must be an integer from 1 to 1000, got "lots"',
    );
  });
});

describe('the Slack function’s configuration for thread replies', () => {
  it('is absent when none of its variables is set, and the function still starts', () => {
    expect(loadSlackConfig(SLACK).websocketReplies).toBeUndefined();
  });

  it('is read when all three are set', () => {
    const config = loadSlackConfig({
      ...SLACK,
      MIRROR_CHANNEL_ID: 'C0MIRROR',
      CONNECTIONS_TABLE: 'conns',
      WEBSOCKET_CALLBACK_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
    });
    expect(config.websocketReplies).toEqual({
      mirrorChannelId: 'C0MIRROR',
      connectionsTable: 'conns',
      callbackUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
    });
  });

  it('names the missing ones when only some are set', () => {
    expect(() => loadSlackConfig({ ...SLACK, MIRROR_CHANNEL_ID: 'C0MIRROR' })).toThrow(
      'Invalid configuration: CONNECTIONS_TABLE is not set; WEBSOCKET_CALLBACK_URL is not set',
    );
  });
});
