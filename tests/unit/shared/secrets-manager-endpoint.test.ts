import { describe, expect, it } from '@jest/globals';
import { endpointFor, parseSecretArn } from '../../../app/shared/aws/secrets-manager';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:greenlight-AppSecret-AbCdEf';

describe('endpointFor', () => {
  it('uses the regional endpoint of the secret’s ARN', () => {
    expect(endpointFor(ARN, {}).href).toBe('https://secretsmanager.eu-west-1.amazonaws.com/');
  });

  it('follows the partition of the ARN', () => {
    const china = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:gl-AbCdEf';
    expect(endpointFor(china, {}).href).toBe('https://secretsmanager.cn-north-1.amazonaws.com.cn/');
  });

  it('uses the FIPS endpoint when the SDK setting asks for it', () => {
    expect(endpointFor(ARN, { AWS_USE_FIPS_ENDPOINT: 'true' }).host).toBe(
      'secretsmanager-fips.eu-west-1.amazonaws.com',
    );
  });

  it('prefers the service’s own endpoint setting, then the global one', () => {
    const both = {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:3007',
      AWS_ENDPOINT_URL: 'http://x:1',
    };
    expect(endpointFor(ARN, both).href).toBe('http://127.0.0.1:3007/');
    expect(endpointFor(ARN, { AWS_ENDPOINT_URL: 'http://x:1' }).href).toBe('http://x:1/');
  });

  it('refuses an ARN it cannot place, naming the setting that would', () => {
    expect(() => endpointFor('greenlight-secret', {})).toThrow(/set AWS_ENDPOINT_URL_SECRETS_MANAGER/);
  });
});

describe('parseSecretArn', () => {
  it('reads the partition and region of a secret ARN and nothing else', () => {
    expect(parseSecretArn(ARN)).toEqual({ partition: 'aws', region: 'eu-west-1' });
    expect(parseSecretArn('arn:aws:ssm:eu-west-1:123456789012:parameter/x')).toBeUndefined();
  });
});
