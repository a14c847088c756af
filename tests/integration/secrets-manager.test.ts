import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SecretsManagerError, secretsManagerFromEnvironment } from '../../app/shared/aws/secrets-manager';
import { signRequest } from '../../app/shared/aws/sigv4';
import { type LocalSecretsManager, startSecretsManager } from '../../local/secrets-manager';
import { TestStack } from '../helpers/local-stack';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:greenlight-AppSecret-AbCdEf';
const VALUE = JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-from-the-secret' });
const ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_SESSION_TOKEN: 'session' };

describe('the Secrets Manager client against the local Secrets Manager', () => {
  let local: LocalSecretsManager;
  let client: ReturnType<typeof secretsManagerFromEnvironment>;

  beforeAll(async () => {
    local = await startSecretsManager({
      port: 0,
      host: '127.0.0.1',
      secrets: [{ arn: ARN, secretString: VALUE }],
    });
    client = secretsManagerFromEnvironment({ ...ENV, AWS_ENDPOINT_URL_SECRETS_MANAGER: local.url });
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

  it('says which credentials are missing before sending anything', async () => {
    const unsigned = secretsManagerFromEnvironment({ AWS_ENDPOINT_URL_SECRETS_MANAGER: local.url });
    await expect(unsigned.getSecretString(ARN)).rejects.toMatchObject({ code: 'MissingCredentials' });
  });

  it('reports an endpoint that does not answer as worth another try', async () => {
    const nowhere = secretsManagerFromEnvironment({
      ...ENV,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
    });
    await expect(nowhere.getSecretString(ARN)).rejects.toMatchObject({
      code: 'NetworkError',
      retryable: true,
    });
  });
});

describe('the local Secrets Manager', () => {
  let local: LocalSecretsManager;

  beforeAll(async () => {
    local = await startSecretsManager({
      port: 0,
      host: '127.0.0.1',
      secrets: [{ arn: ARN, secretString: VALUE }],
    });
  });

  afterAll(() => local.close());

  async function call(headers: Record<string, string>, body = JSON.stringify({ SecretId: ARN })) {
    const response = await fetch(local.url, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  function signed(service: string, body = JSON.stringify({ SecretId: ARN }), operation = 'GetSecretValue') {
    return signRequest(
      {
        method: 'POST',
        url: new URL(local.url),
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `secretsmanager.${operation}`,
        },
        body,
      },
      {
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        region: 'eu-west-1',
        service,
        now: new Date(),
      },
    );
  }

  it('refuses a request that is not signed', async () => {
    const answer = await call({ 'x-amz-target': 'secretsmanager.GetSecretValue' });
    expect(answer).toEqual({
      status: 400,
      body: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    });
  });

  it('refuses a signature scoped to another service', async () => {
    const answer = await call(signed('sts'));
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('InvalidSignatureException');
  });

  it('answers GetSecretValue with the fields Secrets Manager returns', async () => {
    const answer = await call(signed('secretsmanager'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ARN,
      Name: 'greenlight-AppSecret',
      SecretString: VALUE,
      VersionStages: ['AWSCURRENT'],
    });
  });

  it('stores a value put with PutSecretValue, as the README’s command does', async () => {
    const body = JSON.stringify({ SecretId: ARN, SecretString: '{"SLACK_BOT_TOKEN":"xoxb-put"}' });
    const put = await call(signed('secretsmanager', body, 'PutSecretValue'), body);
    const read = await call(signed('secretsmanager'));
    local.put(ARN, VALUE);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ARN, VersionStages: ['AWSCURRENT'] });
    expect(read.body.SecretString).toBe('{"SLACK_BOT_TOKEN":"xoxb-put"}');
  });

  it('refuses an empty value, as Secrets Manager does', async () => {
    const body = JSON.stringify({ SecretId: ARN, SecretString: '' });
    const put = await call(signed('secretsmanager', body, 'PutSecretValue'), body);
    expect(put).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException' } });
  });

  it('finds a secret by its name too', async () => {
    const body = JSON.stringify({ SecretId: 'greenlight-AppSecret' });
    const answer = await call(signed('secretsmanager', body), body);
    expect(answer.body.ARN).toBe(ARN);
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
