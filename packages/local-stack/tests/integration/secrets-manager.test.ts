import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LocalSecretsManager, startSecretsManager } from '../../src/secrets-manager';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:greenlight-AppSecret-AbCdEf';
const VALUE = JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-from-the-secret' });
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'session' };

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

  /** The real SDK client, signing as AWS expects. */
  const sdk = () =>
    new SecretsManagerClient({ endpoint: local.url, region: 'eu-west-1', credentials: CREDENTIALS });

  it('refuses a request that is not signed', async () => {
    const answer = await call({ 'x-amz-target': 'secretsmanager.GetSecretValue' });
    expect(answer).toEqual({
      status: 400,
      body: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    });
  });

  it('refuses a signature scoped to another service', async () => {
    const answer = await call({
      'x-amz-target': 'secretsmanager.GetSecretValue',
      authorization:
        'AWS4-HMAC-SHA256 Credential=a/20261122/eu-west-1/sts/aws4_request, SignedHeaders=host, Signature=00',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('InvalidSignatureException');
  });

  it('answers GetSecretValue with the fields Secrets Manager returns', async () => {
    const answer = await sdk().send(new GetSecretValueCommand({ SecretId: ARN }));
    expect(answer).toMatchObject({
      ARN,
      Name: 'greenlight-AppSecret',
      SecretString: VALUE,
      VersionStages: ['AWSCURRENT'],
    });
  });

  it('stores a value put with PutSecretValue, as the README’s command does', async () => {
    const put = await sdk().send(
      new PutSecretValueCommand({ SecretId: ARN, SecretString: '{"SLACK_BOT_TOKEN":"xoxb-put"}' }),
    );
    const read = await sdk().send(new GetSecretValueCommand({ SecretId: ARN }));
    local.put(ARN, VALUE);
    expect(put).toMatchObject({ ARN, VersionStages: ['AWSCURRENT'] });
    expect(read.SecretString).toBe('{"SLACK_BOT_TOKEN":"xoxb-put"}');
  });

  it('refuses an empty value, as Secrets Manager does', async () => {
    await expect(
      sdk().send(new PutSecretValueCommand({ SecretId: ARN, SecretString: '' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('finds a secret by its name too', async () => {
    const answer = await sdk().send(new GetSecretValueCommand({ SecretId: 'greenlight-AppSecret' }));
    expect(answer.ARN).toBe(ARN);
  });
});
