import { createHash, createHmac } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { createKey } from '../../scripts/api-key';
import type { TestStack } from './local-stack';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** The local stack's DynamoDB, as `npm run api-key` reaches it. */
export function gatesTableClient(stack: TestStack) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.endpoints.dynamodb,
      region: stack.endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

/** A fresh API key, made as `npm run api-key -- --name NAME` makes it. */
export function makeApiKey(stack: TestStack, name: string): Promise<string> {
  return createKey(gatesTableClient(stack), 'GatesTable', name);
}

/** A call to the approvals API over HTTP, through the REST emulation, as a pipeline makes it. */
export async function callApi(
  stack: TestStack,
  method: 'GET' | 'POST',
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${stack.endpoints.rest}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** Node's SHA-256 in the shape the AWS signer takes. */
class NodeSha256 {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: unknown) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret as Buffer);
  }
  update(data: Uint8Array | string): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

/**
 * A call signed with Signature Version 4 by the AWS SDK's own signer (service execute-api), as an
 * IAM caller (a CodeBuild role, a Lambda) makes it; `credentials` default to the local stack's.
 */
export async function callApiSigned(
  stack: TestStack,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): Promise<ApiAnswer & { sent: { headers: Record<string, string>; body: string | undefined } }> {
  const url = new URL(`${stack.endpoints.rest}${path}`);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const signer = new SignatureV4({
    service: 'execute-api',
    region: stack.endpoints.region,
    credentials: options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: {
      host: url.host,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body }),
  });
  const headers = signed.headers as Record<string, string>;
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : {},
    sent: { headers, body },
  };
}
