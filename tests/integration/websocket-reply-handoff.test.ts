import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BridgeClient, type Frame } from '../helpers/bridge-client';
import { TestStack } from '../helpers/local-stack';

const MIRROR = 'C0MIRROR';
const ANA = 'U0APPROVER';

/**
 * The `@connections` API seen through a gate the test controls: while `failures` is above zero,
 * each POST (a frame sent to a client) is answered 500 and counted down; everything else goes
 * through to the local gateway. Every function of the stack reaches the API through it.
 */
class FlakyConnectionsApi {
  failures = 0;
  failed = 0;
  target = '';
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FlakyConnectionsApi> {
    const server = createServer();
    const api = new FlakyConnectionsApi(server);
    server.on('request', async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (request.method === 'POST' && api.failures > 0) {
        api.failures -= 1;
        api.failed += 1;
        response
          .writeHead(500, { 'content-type': 'application/json' })
          .end('{"message":"Internal server error"}');
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
          headers.set(name, value);
      }
      const answer = await fetch(`${api.target}${request.url}`, {
        method: request.method ?? 'GET',
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      response
        .writeHead(answer.status, Object.fromEntries(answer.headers))
        .end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const isReply = (text: string) => (frame: Frame) => frame.type === 'reply' && frame.message === text;

describe('a thread reply the Slack function cannot relay is handed off, never only logged', () => {
  let stack: TestStack;
  let api: FlakyConnectionsApi;
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    api = await FlakyConnectionsApi.start();
    stack = await TestStack.start({
      // One attempt per SDK call, so each failure the gate serves is one call failing, not a retry.
      environment: { AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: api.url, AWS_MAX_ATTEMPTS: '1' },
      asyncRetryDelaysMs: [50, 50],
    });
    api.target = stack.endpoints.websocketManagement;
    db = DynamoDBDocumentClient.from(stack.stack.dynamodb.client);
  });

  afterAll(async () => {
    await stack.stop();
    await api.close();
  });

  const threadOf = async (client: BridgeClient) =>
    (
      await db.send(
        new GetCommand({ TableName: 'ConnectionsTable', Key: { connectionId: client.connectionId } }),
      )
    ).Item?.threadTs as string;

  const reply = async (threadTs: string, text: string) => {
    const { delivery } = stack.stack.slack.postAsUser({ userId: ANA, channel: MIRROR, text, threadTs });
    return delivery;
  };

  it('reaches the client through the WebSocket function when the Slack function’s send fails once', async () => {
    const erin = await BridgeClient.connect(stack, 'erin');
    const threadTs = await threadOf(erin);
    api.failures = 1;
    const failedBefore = api.failed;

    const report = await reply(threadTs, 'second time lucky');
    const received = await erin.next(isReply('second time lucky'), 'the handed-off reply');

    // Slack heard success at once: the hand-off, not Slack's retry, delivered it.
    expect({ delivered: report.delivered, attempts: report.attempts.length }).toEqual({
      delivered: true,
      attempts: 1,
    });
    expect(api.failed - failedBefore).toBe(1);
    expect(received).toEqual({
      type: 'reply',
      from: 'ana',
      message: 'second time lucky',
      at: expect.any(String),
    });
    expect(erin.ofType('reply')).toHaveLength(1);
    await erin.close();
  });

  it('is retried by Lambda and parked as a dead letter with the reply when every send fails', async () => {
    const fred = await BridgeClient.connect(stack, 'fred');
    const threadTs = await threadOf(fred);
    // The Slack function's send, then the WebSocket function's first try and Lambda's two retries.
    api.failures = 4;
    const failedBefore = api.failed;

    const report = await reply(threadTs, 'nobody home');
    const dead = await eventually(
      () =>
        stack.stack.lambda
          .deadLetters()
          .find((letter) => (letter.event as { reply?: { text?: string } }).reply?.text === 'nobody home'),
      { what: 'the dead letter' },
    );

    expect(report.delivered).toBe(true);
    expect(api.failed - failedBefore).toBe(4);
    expect(dead).toMatchObject({
      functionName: 'WebSocketFunction',
      attempts: 3,
      event: { task: 'relay-reply', reply: { channel: MIRROR, threadTs, user: ANA, text: 'nobody home' } },
    });
    expect(String(dead?.destination)).toMatch(/DeadLetterQueue/);
    expect(fred.ofType('reply')).toEqual([]);
    await fred.close();
  });
});
