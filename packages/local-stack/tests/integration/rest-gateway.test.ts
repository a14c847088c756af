import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalStack } from '../../src/stack';
import { postToRest, startFixtureStack } from '../helpers/fixture-stack';

type Echo = {
  event: {
    path: string;
    resource: string;
    httpMethod: string;
    body: string | null;
    isBase64Encoded: boolean;
    headers: Record<string, string>;
    multiValueHeaders: Record<string, string[]>;
    queryStringParameters: Record<string, string> | null;
    multiValueQueryStringParameters: Record<string, string[]> | null;
    pathParameters: Record<string, string> | null;
    requestContext: {
      requestTimeEpoch: number;
      stage: string;
      path: string;
      requestId: string;
      identity: { sourceIp: string };
    };
  };
  remainingBefore: number;
  remainingAfter: number;
  table: string;
};

describe('the REST emulation, on a template of its own', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startFixtureStack();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('passes a binary body base64-encoded, byte for byte', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0xc3, 0x28, 0x0a]);
    const answer = await postToRest(stack, '/echo/1', bytes, { 'Content-Type': 'application/octet-stream' });
    const { event } = answer.json() as unknown as Echo;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').equals(bytes)).toBe(true);
  });

  it('passes a form body as UTF-8 text, non-ASCII included', async () => {
    const body = 'text=caf%C3%A9&title=Déploiement ✅';
    const answer = await postToRest(stack, '/echo/1', body, {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    });
    const { event } = answer.json() as unknown as Echo;
    expect(event).toMatchObject({ isBase64Encoded: false, body });
  });

  it('builds a v1 proxy event: path parameters, repeated query values and headers, stage and receipt time', async () => {
    const before = Date.now();
    const response = await fetch(`${stack.rest.url}/echo/GL-7K3F9Q?x=1&x=2&y=3`, {
      headers: { 'X-Thing': 'a' },
    });
    const { event } = (await response.json()) as Echo;
    expect(event).toMatchObject({
      resource: '/echo/{id}',
      path: '/echo/GL-7K3F9Q',
      httpMethod: 'GET',
      body: null,
      pathParameters: { id: 'GL-7K3F9Q' },
      queryStringParameters: { x: '2', y: '3' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['3'] },
      requestContext: { stage: 'local', path: '/local/echo/GL-7K3F9Q' },
    });
    expect(event.headers['X-Thing'] ?? event.headers['x-thing']).toBe('a');
    expect(event.requestContext.requestTimeEpoch).toBeGreaterThanOrEqual(before);
  });

  it("returns the handler's headers, repeated headers included", async () => {
    const response = await fetch(`${stack.rest.url}/echo/1`);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('gives the handler a Lambda context whose remaining time counts down from the timeout', async () => {
    const answer = await postToRest(stack, '/echo/1', '{}', { 'Content-Type': 'application/json' });
    const { remainingBefore, remainingAfter } = answer.json() as unknown as Echo;
    expect(remainingBefore).toBeLessThanOrEqual(5000);
    expect(remainingAfter).toBeLessThan(remainingBefore);
  });

  it('resolves !Ref in the function environment to the local table', async () => {
    const answer = await postToRest(stack, '/echo/1', '{}', { 'Content-Type': 'application/json' });
    const { table } = answer.json() as unknown as Echo;
    const { Table } = await stack.dynamodb.client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byOwner']);
  });

  it('answers an unknown route or method with 403 Missing Authentication Token, as API Gateway does', async () => {
    const unknownPath = await postToRest(stack, '/nowhere', '');
    const wrongMethod = await fetch(`${stack.rest.url}/echo/1`, { method: 'DELETE' });
    expect([unknownPath.status, wrongMethod.status]).toEqual([403, 403]);
    expect(unknownPath.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('answers 502 when the handler throws or returns something that is not a proxy result', async () => {
    const thrown = await postToRest(stack, '/echo/throw', '');
    const malformed = await postToRest(stack, '/echo/malformed', '');
    expect([thrown.status, malformed.status]).toEqual([502, 502]);
    expect(thrown.json()).toEqual({ message: 'Internal server error' });
  });
});
