import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
