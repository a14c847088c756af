import { describe, expect, it } from '@jest/globals';
import { fillSecret } from '../../scripts/secret-value';

// What template.yaml creates the secret with.
const CREATED = JSON.stringify({
  SLACK_SIGNING_SECRET: 'REPLACE_ME',
  SLACK_BOT_TOKEN: 'REPLACE_ME',
  WEBSOCKET_TOKEN_KEY: 'REPLACE_ME',
  LINK_SIGNING_KEY: 'REPLACE_ME',
});
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
const BOT_TOKEN = 'xoxb-1-2-abc';

function counter() {
  let count = 0;
  return () => {
    count += 1;
    return `key-${count}`;
  };
}

describe('npm run secret-value', () => {
  it('adds the later keys to a secret filled before the gates, keeping every value it had', () => {
    const before = {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      WEBSOCKET_TOKEN_KEY: 'old-websocket-key',
      LINK_SIGNING_KEY: 'old-link-key',
    };
    const result = fillSecret(JSON.stringify(before), {
      randomKey: counter(),
      newReceiptKey: () => 'receipt-key',
    });

    expect(result.value).toEqual({
      ...before,
      RECEIPT_SIGNING_KEY: 'receipt-key',
      GITHUB_WEBHOOK_SECRET: 'key-1',
      GITHUB_APP_PRIVATE_KEY: 'not-configured',
    });
    expect(result.changes).toMatchObject({
      SLACK_SIGNING_SECRET: 'kept',
      SLACK_BOT_TOKEN: 'kept',
      WEBSOCKET_TOKEN_KEY: 'kept',
      LINK_SIGNING_KEY: 'kept',
      RECEIPT_SIGNING_KEY: 'generated',
    });
  });

  it('fills a new stack’s secret: the Slack values given, both keys generated', () => {
    const result = fillSecret(CREATED, {
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      randomKey: counter(),
      newReceiptKey: () => 'receipt-key',
    });

    expect(result.value).toEqual({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      WEBSOCKET_TOKEN_KEY: 'key-1',
      LINK_SIGNING_KEY: 'key-2',
      RECEIPT_SIGNING_KEY: 'receipt-key',
      GITHUB_WEBHOOK_SECRET: 'key-3',
      GITHUB_APP_PRIVATE_KEY: 'not-configured',
    });
    expect(result.changes).toEqual({
      SLACK_SIGNING_SECRET: 'set',
      SLACK_BOT_TOKEN: 'set',
      WEBSOCKET_TOKEN_KEY: 'generated',
      LINK_SIGNING_KEY: 'generated',
      RECEIPT_SIGNING_KEY: 'generated',
      GITHUB_WEBHOOK_SECRET: 'generated',
      GITHUB_APP_PRIVATE_KEY: 'set',
    });
  });

  it('keeps the keys of a filled secret when only the bot token changes, so links stay valid', () => {
    const filled = JSON.stringify(
      fillSecret(CREATED, {
        signingSecret: SIGNING_SECRET,
        botToken: BOT_TOKEN,
        randomKey: counter(),
        newReceiptKey: () => 'receipt-key',
      }).value,
    );

    const result = fillSecret(filled, { botToken: 'xoxb-new', randomKey: () => 'unused' });

    expect(result.value).toEqual({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-new',
      WEBSOCKET_TOKEN_KEY: 'key-1',
      LINK_SIGNING_KEY: 'key-2',
      RECEIPT_SIGNING_KEY: 'receipt-key',
      GITHUB_WEBHOOK_SECRET: 'key-3',
      GITHUB_APP_PRIVATE_KEY: 'not-configured',
    });
    expect(result.changes.SLACK_SIGNING_SECRET).toBe('kept');
  });

  it('generates both keys again when asked', () => {
    const filled = JSON.stringify(
      fillSecret(CREATED, { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, randomKey: counter() }).value,
    );

    const result = fillSecret(filled, { newKeys: true, randomKey: () => 'fresh' });

    expect([result.value.WEBSOCKET_TOKEN_KEY, result.value.LINK_SIGNING_KEY]).toEqual(['fresh', 'fresh']);
    // Receipts already handed out must keep verifying: the receipt key is never replaced.
    expect(result.value.RECEIPT_SIGNING_KEY).toBe(JSON.parse(filled).RECEIPT_SIGNING_KEY);
    expect(result.changes.RECEIPT_SIGNING_KEY).toBe('kept');
  });

  it('stores the GitHub App’s private key when given, and keeps it after', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----';
    const given = fillSecret(CREATED, {
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      githubAppPrivateKey: pem,
    });
    const kept = fillSecret(JSON.stringify(given.value), {});

    expect([given.value.GITHUB_APP_PRIVATE_KEY, given.changes.GITHUB_APP_PRIVATE_KEY]).toEqual([pem, 'set']);
    expect([kept.value.GITHUB_APP_PRIVATE_KEY, kept.changes.GITHUB_APP_PRIVATE_KEY]).toEqual([pem, 'kept']);
    expect(() =>
      fillSecret(CREATED, {
        signingSecret: SIGNING_SECRET,
        botToken: BOT_TOKEN,
        githubAppPrivateKey: 'oops',
      }),
    ).toThrow(/not a PEM/);
  });

  it('generates keys of 32 random bytes by default, different each time', () => {
    const { value } = fillSecret(CREATED, { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });

    expect(value.WEBSOCKET_TOKEN_KEY).toMatch(/^[\w-]{43}$/);
    expect(value.LINK_SIGNING_KEY).toMatch(/^[\w-]{43}$/);
    expect(value.WEBSOCKET_TOKEN_KEY).not.toBe(value.LINK_SIGNING_KEY);
  });

  it.each([
    [
      { botToken: BOT_TOKEN },
      'SLACK_SIGNING_SECRET still holds the placeholder: set SLACK_SIGNING_SECRET in the environment',
    ],
    [
      { signingSecret: SIGNING_SECRET, botToken: 'xoxp-user-token' },
      /SLACK_BOT_TOKEN must be the Bot User OAuth Token/,
    ],
    [{ signingSecret: BOT_TOKEN, botToken: BOT_TOKEN }, /SLACK_SIGNING_SECRET must be the Signing Secret/],
    [{ signingSecret: 'too short', botToken: BOT_TOKEN }, /SLACK_SIGNING_SECRET must be the Signing Secret/],
  ])('refuses %j', (input, message) => {
    expect(() => fillSecret(CREATED, input)).toThrow(message);
  });

  it('refuses input that is not the secret’s JSON, as when get-secret-value failed', () => {
    expect(() => fillSecret('', { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN })).toThrow(
      /stdin is not the secret’s JSON object/,
    );
  });
});
