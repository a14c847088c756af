import { describe, expect, it } from '@jest/globals';
import { amzDate, signRequest } from '../../../app/shared/aws/sigv4';

// The credentials, date, region and service of AWS's published SigV4 test suite
// (aws-sig-v4-test-suite: get-vanilla, post-vanilla, get-vanilla-query-order-key-case,
// post-x-www-form-urlencoded); the expected signatures are the suite's.
const SUITE = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'service',
  now: new Date('2015-08-30T12:36:00Z'),
};

function signatureOf(headers: Record<string, string>): string | undefined {
  return /Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? '')?.[1];
}

describe('signRequest, against the AWS SigV4 test suite', () => {
  it('signs get-vanilla', () => {
    const headers = signRequest(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      SUITE,
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs post-vanilla', () => {
    const headers = signRequest(
      { method: 'POST', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      SUITE,
    );
    expect(signatureOf(headers)).toBe('5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  });

  it('sorts the query string by key (get-vanilla-query-order-key-case)', () => {
    const url = new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1');
    const headers = signRequest({ method: 'GET', url, headers: {}, body: '' }, SUITE);
    expect(signatureOf(headers)).toBe('b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('signs a body and its content type (post-x-www-form-urlencoded)', () => {
    const headers = signRequest(
      {
        method: 'POST',
        url: new URL('https://example.amazonaws.com/'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'Param1=value1',
      },
      SUITE,
    );
    expect(headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-date,');
    expect(signatureOf(headers)).toBe('ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a');
  });
});

describe('signRequest, for a Secrets Manager call with temporary credentials', () => {
  const request = {
    method: 'POST',
    url: new URL('https://secretsmanager.eu-west-1.amazonaws.com/'),
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'secretsmanager.GetSecretValue',
    },
    body: '{"SecretId":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:gl-AbCdEf"}',
  };
  const scope = {
    ...SUITE,
    credentials: { ...SUITE.credentials, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//token+with/slash=' },
    region: 'eu-west-1',
    service: 'secretsmanager',
  };

  it('signs the session token and the target, scoped to the service and region', () => {
    const headers = signRequest(request, scope);
    expect(headers['x-amz-security-token']).toBe(scope.credentials.sessionToken);
    expect(headers.authorization).toContain(
      'Credential=AKIDEXAMPLE/20150830/eu-west-1/secretsmanager/aws4_request',
    );
    expect(headers.authorization).toContain(
      'SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,',
    );
    // Cross-checked against @smithy/signature-v4 (the AWS SDK's signer) when this test was written.
    expect(signatureOf(headers)).toBe('f58eaaa761281696197fe14f3d353562c9a00699c2408d69e5d5f63fc19b5f3d');
  });

  it('changes the signature when the body changes', () => {
    const other = signRequest({ ...request, body: request.body.replace('gl-', 'xx-') }, scope);
    expect(signatureOf(other)).not.toBe(signatureOf(signRequest(request, scope)));
  });
});

describe('amzDate', () => {
  it('formats a date as ISO 8601 basic, to the second', () => {
    expect(amzDate(new Date('2024-02-29T23:59:58.999Z'))).toBe('20240229T235958Z');
  });
});
