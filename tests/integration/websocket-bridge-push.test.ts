import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApprovalChange, pushApprovalChange } from '../../app/websocket/client-push';
import { BridgeClient, type Frame } from '../helpers/bridge-client';
import { TestStack } from '../helpers/local-stack';

const CLIENTS = 20;

describe('pushApprovalChange on the local stack, as another Lambda function calls it', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;
  let clients: BridgeClient[];
  let sdkEndpoint: string | undefined;

  beforeAll(async () => {
    stack = await TestStack.start({ environment: { LOG_LEVEL: 'warn' } });
    db = DynamoDBDocumentClient.from(stack.stack.dynamodb.client);
    clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => BridgeClient.connect(stack, `viewer${i}`)),
    );
    // Only WEBSOCKET_CALLBACK_URL from here on: the configured path must reach the gateway by itself.
    sdkEndpoint = process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI;
    delete process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI;
  });

  afterAll(async () => {
    if (sdkEndpoint !== undefined) process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI = sdkEndpoint;
    await stack.stop();
  });

  it('is configured by the stack with the local gateway as WEBSOCKET_CALLBACK_URL', () => {
    expect(process.env.WEBSOCKET_CALLBACK_URL).toBe(stack.stack.websocket.managementEndpoint);
    expect(process.env.CONNECTIONS_TABLE).toBe('ConnectionsTable');
  });

  it('sends every connected client the change exactly once, removes a stale connection, and counts both', async () => {
    const stale = {
      connectionId: 'StalePush0001A=',
      subject: 'ghost',
      sourceIp: '',
      userAgent: '',
      connectedAt: Date.now() - 600_000,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
    await db.send(new PutCommand({ TableName: 'ConnectionsTable', Item: stale }));
    const change: ApprovalChange = {
      id: 'GL-7K3F9Q',
      status: 'APPROVED',
      title: 'Deploy v2 to prod',
      requester: 'rita',
      decider: 'ana',
      comment: 'Ship it <3',
      at: '2026-11-22T10:00:00.000Z',
    };
    // A caller may hand over its whole record; only the change's own fields may reach clients.
    const record = { ...change, taskToken: 'AAAA-secret-task-token' };

    const result = await pushApprovalChange(record);
    const later: ApprovalChange = {
      ...change,
      id: 'GL-8M4G0R',
      status: 'PENDING',
      at: '2026-11-22T10:01:00.000Z',
    };
    await pushApprovalChange(later);
    // Frames arrive in order: once the later change is in, a duplicate of the first would be too.
    await Promise.all(
      clients.map((client) => client.next((frame: Frame) => frame.id === later.id, 'the later change')),
    );

    expect(result).toEqual({ sent: CLIENTS, gone: 1, failed: 0 });
    for (const client of clients) {
      expect(client.ofType('approval').filter((frame) => frame.id === change.id)).toEqual([
        { type: 'approval', ...change },
      ]);
    }
    const { Item } = await db.send(
      new GetCommand({ TableName: 'ConnectionsTable', Key: { connectionId: stale.connectionId } }),
    );
    expect(Item).toBeUndefined();
  });
});
