import { randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  DescribeTableCommand,
  type DescribeTableCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  TransactGetItemsCommand,
  type TransactGetItemsCommandInput,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { TaskFailure } from '../task-failure';
import type { DynamoDbAction } from '../task-resource';
import { asRecord, type IntegrationCall, sdkMetadata, toJsonValue } from './integration';

// Parameters are the API's own request shape (checked by DynamoDB itself), hence the casts.
const ACTIONS: Record<
  DynamoDbAction,
  (client: DynamoDBClient, input: Record<string, unknown>) => Promise<object>
> = {
  getItem: (client, input) => client.send(new GetItemCommand(input as unknown as GetItemCommandInput)),
  putItem: (client, input) => client.send(new PutItemCommand(input as unknown as PutItemCommandInput)),
  updateItem: (client, input) =>
    client.send(new UpdateItemCommand(input as unknown as UpdateItemCommandInput)),
  deleteItem: (client, input) =>
    client.send(new DeleteItemCommand(input as unknown as DeleteItemCommandInput)),
  query: (client, input) => client.send(new QueryCommand(input as unknown as QueryCommandInput)),
  scan: (client, input) => client.send(new ScanCommand(input as unknown as ScanCommandInput)),
  batchGetItem: (client, input) =>
    client.send(new BatchGetItemCommand(input as unknown as BatchGetItemCommandInput)),
  batchWriteItem: (client, input) =>
    client.send(new BatchWriteItemCommand(input as unknown as BatchWriteItemCommandInput)),
  transactGetItems: (client, input) =>
    client.send(new TransactGetItemsCommand(input as unknown as TransactGetItemsCommandInput)),
  transactWriteItems: (client, input) =>
    client.send(new TransactWriteItemsCommand(input as unknown as TransactWriteItemsCommandInput)),
  describeTable: (client, input) =>
    client.send(new DescribeTableCommand(input as unknown as DescribeTableCommandInput)),
};

/**
 * `arn:aws:states:::dynamodb:<action>` (optimized) and `arn:aws:states:::aws-sdk:dynamodb:<action>`.
 * They differ as on AWS: the optimized one adds SDK metadata to its output and names its errors
 * `DynamoDB.<Exception>`; the SDK one returns the bare response and names them `DynamoDb.<Exception>`.
 */
export async function callDynamoDb(
  call: IntegrationCall,
  flavor: 'optimized' | 'aws-sdk',
  action: DynamoDbAction,
): Promise<unknown> {
  const requestId = randomUUID();
  let response: object;
  try {
    response = await ACTIONS[action](call.services.dynamodb, asRecord(call.parameters));
  } catch (thrown) {
    throw dynamoDbFailure(thrown, flavor, requestId);
  }
  const { $metadata: _metadata, ...body } = response as Record<string, unknown>;
  const output = asRecord(toJsonValue(body));
  return flavor === 'optimized' ? { ...output, ...sdkMetadata(requestId) } : output;
}

function dynamoDbFailure(thrown: unknown, flavor: 'optimized' | 'aws-sdk', requestId: string): TaskFailure {
  const name = thrown instanceof Error ? thrown.name : 'InternalServerError';
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const status = (thrown as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 400;
  return flavor === 'optimized'
    ? new TaskFailure(
        `DynamoDB.${name}`,
        `${message} (Service: AmazonDynamoDBv2; Status Code: ${status}; Error Code: ${name}; Request ID: ${requestId}; Proxy: null)`,
      )
    : new TaskFailure(
        `DynamoDb.${name}`,
        `${message} (Service: DynamoDb, Status Code: ${status}, Request ID: ${requestId})`,
      );
}
