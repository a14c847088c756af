import { describe, expect, it } from '@jest/globals';
import { type SecretsManager, SecretsManagerError } from '../../../app/shared/aws/secrets-manager';
import { ConfigError } from '../../../app/shared/config';
import { oncePerContainer } from '../../../app/shared/once-per-container';
import { secretsFor } from '../../../app/shared/secrets';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:greenlight-AppSecret-AbCdEf';
const STORED = {
  SLACK_SIGNING_SECRET: 'signing-secret',
  SLACK_BOT_TOKEN: 'xoxb-bot-token',
  WEBSOCKET_TOKEN_KEY: 'websocket-key',
  LINK_SIGNING_KEY: 'link-key',
};

/** A Secrets Manager that answers from a list, one answer per call, and counts its loads and calls. */
function fakeSecretsManager(answers: Array<string | Error>) {
  const calls: string[] = [];
  let loads = 0;
  const client: SecretsManager = {
    async getSecretString(arn) {
      calls.push(arn);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no answer left');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return {
    calls,
    loads: () => loads,
    load: async () => {
      loads += 1;
      return client;
    },
  };
}

describe('secretsFor, with GREENLIGHT_SECRET_ARN', () => {
  it('leaves out an optional key the secret lacks or still holds the placeholder for', async () => {
    for (const stored of [STORED, { ...STORED, GITHUB_APP_PRIVATE_KEY: 'REPLACE_ME' }]) {
      const secrets = secretsFor(['SLACK_BOT_TOKEN'], {
        env: { GREENLIGHT_SECRET_ARN: ARN },
        secretsManager: fakeSecretsManager([JSON.stringify(stored)]).load,
        optional: ['GITHUB_APP_PRIVATE_KEY'],
      });
      expect(await secrets()).toEqual({ SLACK_BOT_TOKEN: 'xoxb-bot-token' });
    }
  });

  it('hands over an optional key that is set, and still refuses a missing required one', async () => {
    const withKey = { ...STORED, GITHUB_APP_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----' };
    const secrets = secretsFor(['SLACK_BOT_TOKEN'], {
      env: { GREENLIGHT_SECRET_ARN: ARN },
      secretsManager: fakeSecretsManager([JSON.stringify(withKey)]).load,
      optional: ['GITHUB_APP_PRIVATE_KEY'],
    });
    expect(await secrets()).toEqual({
      SLACK_BOT_TOKEN: 'xoxb-bot-token',
      GITHUB_APP_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----',
    });

    const receipts = secretsFor(['RECEIPT_SIGNING_KEY'], {
      env: { GREENLIGHT_SECRET_ARN: ARN },
      secretsManager: fakeSecretsManager([JSON.stringify(STORED)]).load,
    });
    await expect(receipts()).rejects.toThrow(`Secret ${ARN} has no RECEIPT_SIGNING_KEY`);
  });

  it('reads the secret once and hands every caller the keys asked for', async () => {
    const fake = fakeSecretsManager([JSON.stringify(STORED)]);
    const secrets = secretsFor(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'], {
      env: { GREENLIGHT_SECRET_ARN: ARN },
      secretsManager: fake.load,
    });

    const [first, second] = await Promise.all([secrets(), secrets()]);
    const third = await secrets();

    expect(first).toEqual({ SLACK_SIGNING_SECRET: 'signing-secret', SLACK_BOT_TOKEN: 'xoxb-bot-token' });
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(fake.calls).toEqual([ARN]);
  });

  it('names every key that still holds the placeholder, and reads again on the next call', async () => {
    const placeholders = { ...STORED, SLACK_SIGNING_SECRET: 'REPLACE_ME', SLACK_BOT_TOKEN: 'REPLACE_ME' };
    const fake = fakeSecretsManager([JSON.stringify(placeholders), JSON.stringify(STORED)]);
    const secrets = secretsFor(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'], {
      env: { GREENLIGHT_SECRET_ARN: ARN },
      secretsManager: fake.load,
    });

    await expect(secrets()).rejects.toThrow(
      new ConfigError(
        `Secret ${ARN} still has the placeholder for SLACK_SIGNING_SECRET, still has the placeholder for ` +
          'SLACK_BOT_TOKEN: put the real values in the secret (README: "Deploy to AWS and install in Slack")',
      ),
    );
    await expect(secrets()).resolves.toEqual({
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_BOT_TOKEN: 'xoxb-bot-token',
    });
    expect(fake.calls).toHaveLength(2);
  });

  it('names a key the secret lacks or leaves empty', async () => {
    const { LINK_SIGNING_KEY: _link, ...withoutLink } = STORED;
    const fake = fakeSecretsManager([JSON.stringify({ ...withoutLink, SLACK_BOT_TOKEN: ' ' })]);
    const secrets = secretsFor(['SLACK_BOT_TOKEN', 'LINK_SIGNING_KEY'], {
      env: { GREENLIGHT_SECRET_ARN: ARN },
      secretsManager: fake.load,
    });

    await expect(secrets()).rejects.toThrow(/has no SLACK_BOT_TOKEN, has no LINK_SIGNING_KEY/);
  });

  it('refuses a secret that is not a JSON object, without quoting it', async () => {
    const fake = fakeSecretsManager(['xoxb-a-bare-token']);
    const secrets = secretsFor(['SLACK_BOT_TOKEN'], {
      env: { GREENLIGHT_SECRET_ARN: ARN },
      secretsManager: fake.load,
    });

    const error = (await secrets().catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`Secret ${ARN} is not a JSON object with SLACK_BOT_TOKEN`);
  });

  it('turns a refusal into a ConfigError that says what the role needs', async () => {
    const denied = new SecretsManagerError('AccessDeniedException', 'User is not authorized');
    const secrets = secretsFor(['SLACK_BOT_TOKEN'], {
      env: { GREENLIGHT_SECRET_ARN: ARN },
      secretsManager: fakeSecretsManager([denied]).load,
    });

    const error = (await secrets().catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `Secret ${ARN} cannot be read: AccessDeniedException: User is not authorized ` +
        "(the function's role needs secretsmanager:GetSecretValue on it)",
    );
    expect(error.cause).toBe(denied);
  });

  it('passes a throttled call through as it is, and tries again on the next call', async () => {
    const throttled = new SecretsManagerError('ThrottlingException', 'Rate exceeded', true);
    const fake = fakeSecretsManager([throttled, JSON.stringify(STORED)]);
    const secrets = secretsFor(['SLACK_BOT_TOKEN'], {
      env: { GREENLIGHT_SECRET_ARN: ARN },
      secretsManager: fake.load,
    });

    await expect(secrets()).rejects.toBe(throttled);
    await expect(secrets()).resolves.toEqual({ SLACK_BOT_TOKEN: 'xoxb-bot-token' });
  });

  it('refuses a secret variable set beside the ARN, naming it, before reading anything', async () => {
    const fake = fakeSecretsManager([JSON.stringify(STORED)]);
    const secrets = secretsFor(['SLACK_BOT_TOKEN'], {
      env: { GREENLIGHT_SECRET_ARN: ARN, SLACK_SIGNING_SECRET: 'from-the-console' },
      secretsManager: fake.load,
    });

    await expect(secrets()).rejects.toThrow(
      /SLACK_SIGNING_SECRET set in the environment as well as GREENLIGHT_SECRET_ARN/,
    );
    expect(fake.loads()).toBe(0);
  });
});

describe('secretsFor, without GREENLIGHT_SECRET_ARN', () => {
  it('reads the variables themselves and never loads the Secrets Manager client', async () => {
    const fake = fakeSecretsManager([]);
    const secrets = secretsFor(['WEBSOCKET_TOKEN_KEY', 'SLACK_BOT_TOKEN'], {
      env: { WEBSOCKET_TOKEN_KEY: ' websocket-key ', SLACK_BOT_TOKEN: 'xoxb-bot-token' },
      secretsManager: fake.load,
    });

    await expect(secrets()).resolves.toEqual({
      WEBSOCKET_TOKEN_KEY: 'websocket-key',
      SLACK_BOT_TOKEN: 'xoxb-bot-token',
    });
    expect(fake.loads()).toBe(0);
  });

  it('names every missing variable and both ways to provide it', async () => {
    const secrets = secretsFor(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'], { env: { SLACK_BOT_TOKEN: '' } });

    await expect(secrets()).rejects.toThrow(
      new ConfigError(
        'Invalid configuration: SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN are not set; ' +
          "set GREENLIGHT_SECRET_ARN to the app's secret, or the variables themselves",
      ),
    );
  });
});

describe('oncePerContainer', () => {
  it('keeps a success and forgets a failure, synchronous throws included', async () => {
    let attempts = 0;
    const value = oncePerContainer(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('first attempt fails');
      return attempts;
    });

    await expect(value()).rejects.toThrow('first attempt fails');
    await expect(value()).resolves.toBe(2);
    await expect(value()).resolves.toBe(2);
    expect(attempts).toBe(2);
  });
});
