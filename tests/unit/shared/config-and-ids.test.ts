import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../app/shared/config';
import { newApprovalId, normalizeApprovalId } from '../../../app/shared/ids';
import { loadSlackConfig } from '../../../app/slack/config';

describe('loadSlackConfig', () => {
  it('names every missing variable in one error', () => {
    expect(() => loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-x' })).toThrow(
      new ConfigError('Invalid configuration: SLACK_SIGNING_SECRET is not set; EVENT_DEDUP_TABLE is not set'),
    );
  });

  it('treats a blank variable as missing', () => {
    expect(() =>
      loadSlackConfig({ SLACK_SIGNING_SECRET: ' ', SLACK_BOT_TOKEN: 'x', EVENT_DEDUP_TABLE: 't' }),
    ).toThrow(/SLACK_SIGNING_SECRET is not set/);
  });

  it('reads a complete environment', () => {
    const config = loadSlackConfig({
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: 'b',
      EVENT_DEDUP_TABLE: 't',
      SLACK_BOT_USER_ID: 'U1',
    });
    expect(config).toEqual({
      signingSecret: 's',
      botToken: 'b',
      eventDedupTable: 't',
      botUserId: 'U1',
      botId: undefined,
      slackApiUrl: undefined,
      commandStateMachineArn: undefined,
      commandBudgetMs: 2500,
    });
  });
});

describe('approval ids', () => {
  it('are GL- and six Crockford base32 characters', () => {
    const ids = Array.from({ length: 200 }, newApprovalId);
    for (const id of ids) expect(id).toMatch(/^GL-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(new Set(ids).size).toBeGreaterThan(190);
  });

  it('are read back whatever the case, with or without the prefix, with O and I typed for 0 and 1', () => {
    expect(['gl-7k3f9q', '7K3F9Q', 'GL7K3F9Q', 'GL-7K3FOI'].map(normalizeApprovalId)).toEqual([
      'GL-7K3F9Q',
      'GL-7K3F9Q',
      'GL-7K3F9Q',
      'GL-7K3F01',
    ]);
  });

  it('are refused when they cannot be one', () => {
    expect(['', 'GL-', 'GL-7K3F9', 'GL-7K3F9QQ', 'GL-7K3F9!'].map(normalizeApprovalId)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
