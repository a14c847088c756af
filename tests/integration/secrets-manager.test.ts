import { type LocalSecretsManager, startSecretsManager } from '@greenlight/local-stack/secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSecretsManager, SecretsManagerError } from '../../app/shared/aws/secrets-manager';
import { TestStack } from '../helpers/local-stack';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:greenlight-AppSecret-AbCdEf';
const VALUE = JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-from-the-secret' });
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'session' };

describe('the Secrets Manager client against the local Secrets Manager', () => {
  let local: LocalSecretsManager;
  let client: ReturnType<typeof createSecretsManager>;

  beforeAll(async () => {
    local = await startSecretsManager({
      port: 0,
      host: '127.0.0.1',
      secrets: [{ arn: ARN, secretString: VALUE }],
    });
    client = createSecretsManager({ endpoint: local.url, region: 'eu-west-1', credentials: CREDENTIALS });
  });

  afterAll(() => local.close());

  it('reads the current value of a secret by its ARN', async () => {
    await expect(client.getSecretString(ARN)).resolves.toBe(VALUE);
  });

  it('reads the value put since, as put-secret-value would change it', async () => {
    const other = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-Zz9Zz9';
    local.put(other, '{"LINK_SIGNING_KEY":"new"}');
    await expect(client.getSecretString(other)).resolves.toBe('{"LINK_SIGNING_KEY":"new"}');
  });

  it('reports a secret that does not exist with Secrets Manager’s error code', async () => {
    const missing = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:missing-AbCdEf';
    const error = await client.getSecretString(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretsManagerError);
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', retryable: false });
  });

  it('reports an endpoint that does not answer as worth another try', async () => {
    const nowhere = createSecretsManager({
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    await expect(nowhere.getSecretString(ARN)).rejects.toMatchObject({
      code: 'NetworkError',
      retryable: true,
    });
  });
});

describe('the local stack’s functions and their secret', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start();
  });

  afterAll(() => stack.stop());

  it('gives the functions the secret’s ARN and none of its values', () => {
    expect(process.env.GREENLIGHT_SECRET_ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:AppSecret-/,
    );
    for (const name of [
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
      'WEBSOCKET_TOKEN_KEY',
      'LINK_SIGNING_KEY',
    ]) {
      expect(process.env[name]).toBeUndefined();
    }
  });

  it('answers 500 while the secret holds placeholders, and serves the first request after it is filled', async () => {
    const arn = process.env.GREENLIGHT_SECRET_ARN ?? '';
    const secrets = stack.stack.secrets;
    const filled = JSON.stringify({
      SLACK_SIGNING_SECRET: secrets.signingSecret,
      SLACK_BOT_TOKEN: secrets.botToken,
      WEBSOCKET_TOKEN_KEY: secrets.websocketTokenKey,
      LINK_SIGNING_KEY: secrets.linkSigningKey,
    });
    stack.stack.secretsManager.put(arn, filled.replace(secrets.signingSecret, 'REPLACE_ME'));

    const before = await stack.slashCommand('help');
    stack.stack.secretsManager.put(arn, filled);
    const after = await stack.slashCommand('help');

    expect(before.status).toBe(500);
    expect(before.json()).toEqual({
      error: 'internal_error',
      message: 'Something went wrong on our side. Please try again.',
    });
    expect(after.status).toBe(200);
  });
});
