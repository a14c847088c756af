import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type StepFunctionsServer, startStepFunctionsServer } from '../../src/stepfunctions';
import { localStepFunctionsClient } from '../helpers/aws-clients';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../fixtures/asl', `${name}.asl.json`), 'utf8');
// dynalite ships no types; it is an http.Server factory.
const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;

const TABLE = 'approvals';

describe('DynamoDB integrations on the local Step Functions endpoint', () => {
  let dynamoServer: Server;
  let dynamodb: DynamoDBClient;
  let server: StepFunctionsServer;
  let sfn: SFNClient;

  beforeAll(async () => {
    dynamoServer = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => dynamoServer.listen(0, '127.0.0.1', resolve));
    const { port } = dynamoServer.address() as AddressInfo;
    dynamodb = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    server = await startStepFunctionsServer({
      stateMachines: [
        { name: 'record-approval', type: 'EXPRESS', definition: fixture('record-approval') },
        { name: 'sdk-put-item', type: 'EXPRESS', definition: fixture('sdk-put-item') },
      ],
      invokeLambda: () => Promise.reject(new Error('no Lambda in this suite')),
      dynamodb,
    });
    sfn = localStepFunctionsClient(server.url);
  });

  afterAll(async () => {
    sfn.destroy();
    dynamodb.destroy();
    await server.close();
    await new Promise((resolve) => dynamoServer.close(resolve));
  });

  const runSync = (machine: string, input: unknown) =>
    sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: server.stateMachineArn(machine),
        input: JSON.stringify(input),
      }),
    );

  it('writes the item with putItem and reads it back with an aws-sdk scan', async () => {
    const result = await runSync('record-approval', {
      table: TABLE,
      approvalId: 'GL-0001',
      requester: 'U-ADA',
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? 'null').found).toEqual({ count: 1 });
    const stored = await dynamodb.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'GL-0001' } } }),
    );
    expect(stored.Item).toEqual({
      pk: { S: 'GL-0001' },
      requester: { S: 'U-ADA' },
      status: { S: 'PENDING' },
    });
  });

  it('lets Catch route a failed putItem condition as DynamoDB.ConditionalCheckFailedException', async () => {
    await runSync('record-approval', { table: TABLE, approvalId: 'GL-0002', requester: 'U-BOB' });

    const second = await runSync('record-approval', {
      table: TABLE,
      approvalId: 'GL-0002',
      requester: 'U-BOB',
    });

    expect(second.status).toBe('SUCCEEDED');
    expect(JSON.parse(second.output ?? 'null')).toEqual({
      duplicate: true,
      error: 'DynamoDB.ConditionalCheckFailedException',
    });
  });

  it('names the same failure DynamoDb.ConditionalCheckFailedException in the aws-sdk integration', async () => {
    await runSync('sdk-put-item', { table: TABLE, approvalId: 'GL-0003' });

    const second = await runSync('sdk-put-item', { table: TABLE, approvalId: 'GL-0003' });

    expect(second.status).toBe('FAILED');
    expect(second.error).toBe('DynamoDb.ConditionalCheckFailedException');
    expect(second.cause).toMatch(/conditional request failed/i);
  });
});
