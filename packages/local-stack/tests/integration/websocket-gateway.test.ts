import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type ClientOptions, WebSocket } from 'ws';
import {
  DEFAULT_API_ID,
  type GatewayFrame,
  startWebSocketGateway,
  type WebSocketGateway,
  type WebSocketGatewayOptions,
  type WebSocketProxyEvent,
  type WebSocketProxyResult,
} from '../../src/websocket-gateway';

const KIB = 1024;
const USER_AGENT = 'greenlight-test/1.0';
const ALL_ROUTES = ['$connect', '$disconnect', '$default', 'sendmessage'];

// ---------------------------------------------------------------------------------------------
// Test doubles: an integration that records what the gateway hands it, and a real ws client.
// ---------------------------------------------------------------------------------------------

type RouteResponder = (event: WebSocketProxyEvent) => WebSocketProxyResult | undefined;

/** Plays the Lambda function: records every event and answers with the responder for its route. */
class RecordingIntegration {
  readonly events: WebSocketProxyEvent[] = [];
  private readonly waiters = new Set<{
    matches: (e: WebSocketProxyEvent) => boolean;
    resolve: (e: WebSocketProxyEvent) => void;
  }>();

  constructor(private readonly responders: Readonly<Record<string, RouteResponder>> = {}) {}

  readonly invoke = async (event: WebSocketProxyEvent): Promise<WebSocketProxyResult | undefined> => {
    this.events.push(event);
    for (const waiter of this.waiters) {
      if (!waiter.matches(event)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(event);
    }
    return this.responders[event.requestContext.routeKey]?.(event);
  };

  /** The first event for `routeKey` (and `connectionId`, if given), whether it came already or is still to come. */
  eventFor(routeKey: string, connectionId?: string): Promise<WebSocketProxyEvent> {
    const matches = (event: WebSocketProxyEvent) =>
      event.requestContext.routeKey === routeKey &&
      (connectionId === undefined || event.requestContext.connectionId === connectionId);
    const seen = this.events.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.add({ matches, resolve }));
  }

  messageEvents(): WebSocketProxyEvent[] {
    return this.events.filter((event) => event.requestContext.eventType === 'MESSAGE');
  }
}

/** Collects what the gateway logs, so failures that must be logged can be waited for. */
class RecordingLog {
  readonly errors: Array<{ message: string; error: unknown }> = [];
  private waiter: (() => void) | undefined;

  readonly logError = (message: string, error: unknown) => {
    this.errors.push({ message, error });
    this.waiter?.();
  };

  async firstError(): Promise<{ message: string; error: unknown }> {
    while (this.errors[0] === undefined) await new Promise<void>((resolve) => (this.waiter = resolve));
    return this.errors[0];
  }
}

interface Received {
  readonly data: string;
  readonly isBinary: boolean;
}

/** A real `ws` client that buffers what it receives, so no frame is missed between awaits. */
class TestClient {
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly received: Received[] = [];
  private waiter: (() => void) | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      this.received.push({ data: buffer.toString(isBinary ? 'base64' : 'utf8'), isBinary });
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
    });
  }

  static connect(url: string, protocols: string[] = [], options: ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, protocols, { headers: { 'User-Agent': USER_AGENT }, ...options });
    const client = new TestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  async nextMessage(): Promise<Received> {
    while (this.received.length === 0) await new Promise<void>((resolve) => (this.waiter = resolve));
    const [first] = this.received.splice(0, 1);
    if (first === undefined) throw new Error('unreachable: a message was buffered');
    return first;
  }
}

/** Attempts an upgrade that should be refused and resolves with the HTTP response instead. */
function refusedUpgrade(url: string): Promise<{ statusCode: number; body: string }> {
  const socket = new WebSocket(url, { headers: { 'User-Agent': USER_AGENT } });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () =>
        resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    socket.once('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------
// One gateway per test (they are cheap on port 0); all closed at the end.
// ---------------------------------------------------------------------------------------------

const gateways: WebSocketGateway[] = [];
const managementClients: ApiGatewayManagementApiClient[] = [];

async function startGateway(
  integration: RecordingIntegration,
  overrides: Partial<WebSocketGatewayOptions> = {},
): Promise<{ gateway: WebSocketGateway; log: RecordingLog }> {
  const log = new RecordingLog();
  const gateway = await startWebSocketGateway({
    stage: 'local',
    routes: ALL_ROUTES,
    invoke: integration.invoke,
    logError: log.logError,
    ...overrides,
  });
  gateways.push(gateway);
  return { gateway, log };
}

function managementApiOf(gateway: WebSocketGateway): ApiGatewayManagementApiClient {
  const client = new ApiGatewayManagementApiClient({
    endpoint: gateway.managementEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  managementClients.push(client);
  return client;
}

async function connectedClient(gateway: WebSocketGateway, integration: RecordingIntegration) {
  const client = await TestClient.connect(gateway.url);
  const connectEvent = await integration.eventFor('$connect');
  return { client, connectionId: connectEvent.requestContext.connectionId, connectEvent };
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

afterAll(async () => {
  for (const client of managementClients) client.destroy();
  await Promise.all(gateways.map((gateway) => gateway.close()));
});

// ---------------------------------------------------------------------------------------------

describe('WebSocket gateway $connect', () => {
  it('accepts a connection and hands $connect the query string, headers and identity', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);

    await TestClient.connect(`${gateway.url}?token=abc&tag=a&tag=b`, [], {
      headers: { 'User-Agent': USER_AGENT, 'X-Custom-Header': 'yes' },
    });
    const event = await integration.eventFor('$connect');

    expect(event.queryStringParameters).toEqual({ token: 'abc', tag: 'b' });
    expect(event.multiValueQueryStringParameters).toEqual({ token: ['abc'], tag: ['a', 'b'] });
    expect(event.headers).toMatchObject({ 'User-Agent': USER_AGENT, 'X-Custom-Header': 'yes' });
    expect(event.multiValueHeaders).toMatchObject({ 'X-Custom-Header': ['yes'] });
    expect(event.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
      stage: 'local',
      apiId: DEFAULT_API_ID,
      domainName: `127.0.0.1:${gateway.port}`,
      identity: { sourceIp: '127.0.0.1', userAgent: USER_AGENT },
    });
    expect(event.requestContext.connectionId).toMatch(/^[A-Za-z0-9]{15}=$/);
    expect(event.requestContext.requestTime).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(gateway.connections().map((c) => c.connectionId)).toEqual([event.requestContext.connectionId]);
  });

  it.each([401, 403])(
    'refuses the upgrade with the %i that $connect returns and never registers the connection',
    async (statusCode) => {
      const integration = new RecordingIntegration({ $connect: () => ({ statusCode }) });
      const { gateway } = await startGateway(integration);
      const managementApi = managementApiOf(gateway);

      const refusal = await refusedUpgrade(gateway.url);
      const { connectionId } = (await integration.eventFor('$connect')).requestContext;

      expect(refusal.statusCode).toBe(statusCode);
      expect(gateway.connections()).toEqual([]);
      await expect(
        managementApi.send(new GetConnectionCommand({ ConnectionId: connectionId })),
      ).rejects.toBeInstanceOf(GoneException);
    },
  );

  it('refuses the upgrade with 500 when $connect throws, and logs the failure', async () => {
    const integration = new RecordingIntegration({
      $connect: () => {
        throw new Error('token store unreachable');
      },
    });
    const { gateway, log } = await startGateway(integration);

    const refusal = await refusedUpgrade(gateway.url);

    expect(refusal.statusCode).toBe(500);
    expect(JSON.parse(refusal.body)).toMatchObject({ message: 'Internal server error' });
    expect(gateway.connections()).toEqual([]);
    expect(log.errors.map((entry) => (entry.error as Error).message)).toEqual(['token store unreachable']);
  });

  it('accepts every connection when there is no $connect route', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration, { routes: ['$default'] });

    await TestClient.connect(gateway.url);

    expect(gateway.connections()).toHaveLength(1);
    expect(integration.events).toEqual([]);
  });

  it('agrees on the subprotocol that $connect returns in Sec-WebSocket-Protocol', async () => {
    const integration = new RecordingIntegration({
      $connect: () => ({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'greenlight.v1' } }),
    });
    const { gateway } = await startGateway(integration);

    const client = await TestClient.connect(gateway.url, ['greenlight.v2', 'greenlight.v1']);

    expect(client.socket.protocol).toBe('greenlight.v1');
  });

  it('refuses an upgrade aimed at another stage with 403 without calling $connect', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);

    const refusal = await refusedUpgrade(`ws://127.0.0.1:${gateway.port}/prod`);

    expect(refusal.statusCode).toBe(403);
    expect(integration.events).toEqual([]);
  });
});

describe('WebSocket gateway route selection', () => {
  it('routes a message to the route its action names', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client, connectionId } = await connectedClient(gateway, integration);
    const body = JSON.stringify({ action: 'sendmessage', message: 'hello' });

    client.socket.send(body);
    const event = await integration.eventFor('sendmessage');

    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      routeKey: 'sendmessage',
      eventType: 'MESSAGE',
      messageDirection: 'IN',
      connectionId,
      messageId: expect.stringMatching(/^[A-Za-z0-9]{15}=$/),
    });
  });

  it('routes a message whose action has no route to $default', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client } = await connectedClient(gateway, integration);

    client.socket.send('{"action":"dance"}');
    const event = await integration.eventFor('$default');

    expect(event.body).toBe('{"action":"dance"}');
  });

  it('routes a message that is not JSON to $default', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client } = await connectedClient(gateway, integration);

    client.socket.send('action=sendmessage');
    const event = await integration.eventFor('$default');

    expect(event.body).toBe('action=sendmessage');
  });

  it('answers the client with Forbidden, like API Gateway, when neither the action nor $default has a route', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration, { routes: ['$connect', 'sendmessage'] });
    const { client, connectionId } = await connectedClient(gateway, integration);

    client.socket.send('{"action":"dance"}');
    const reply = await client.nextMessage();

    expect(JSON.parse(reply.data)).toEqual({
      message: 'Forbidden',
      connectionId,
      requestId: expect.any(String),
    });
    expect(integration.messageEvents()).toEqual([]);
  });

  it('hands a binary frame to the integration base64-encoded', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client } = await connectedClient(gateway, integration);
    const bytes = Buffer.from([0xff, 0x00, 0x10, 0x80]);

    client.socket.send(bytes, { binary: true });
    const event = await integration.eventFor('$default');

    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(bytes.toString('base64'));
  });

  it('selects routes with a custom route selection expression', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration, {
      routeSelectionExpression: '$request.body.meta.type',
      routes: ['$connect', '$default', 'ping'],
    });
    const { client } = await connectedClient(gateway, integration);

    client.socket.send('{"meta":{"type":"ping"}}');
    const event = await integration.eventFor('ping');

    expect(event.body).toBe('{"meta":{"type":"ping"}}');
  });

  it('selects routes with a template route selection expression', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration, {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own template syntax, not a JS template.
      routeSelectionExpression: '${request.body.action}-v${request.body.version}',
      routes: ['$connect', '$default', 'send-v2'],
    });
    const { client } = await connectedClient(gateway, integration);

    client.socket.send('{"action":"send","version":2}');
    const event = await integration.eventFor('send-v2');

    expect(event.body).toBe('{"action":"send","version":2}');
  });

  it('refuses to start with a route selection expression it cannot evaluate', async () => {
    const integration = new RecordingIntegration();

    const starting = startGateway(integration, { routeSelectionExpression: '$request.header.action' });

    await expect(starting).rejects.toThrow(/Unsupported route selection expression/);
  });

  it('does not send what a message route returns back to the client', async () => {
    const integration = new RecordingIntegration({ sendmessage: () => ({ statusCode: 200, body: 'echo' }) });
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);
    const { client, connectionId } = await connectedClient(gateway, integration);

    client.socket.send('{"action":"sendmessage"}');
    await integration.eventFor('sendmessage');
    await managementApi.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: utf8('marker') }),
    );
    const first = await client.nextMessage();

    expect(first.data).toBe('marker');
  });

  it('answers the client with Internal server error when a message route throws, and logs it', async () => {
    const integration = new RecordingIntegration({
      sendmessage: () => {
        throw new Error('slack is down');
      },
    });
    const { gateway, log } = await startGateway(integration);
    const { client, connectionId } = await connectedClient(gateway, integration);

    client.socket.send('{"action":"sendmessage"}');
    const reply = await client.nextMessage();

    expect(JSON.parse(reply.data)).toEqual({
      message: 'Internal server error',
      connectionId,
      requestId: expect.any(String),
    });
    expect((await log.firstError()).message).toMatch(/sendmessage/);
  });
});

describe('WebSocket gateway limits', () => {
  // 32 KiB + 1 has a 16-bit length field, 70 KiB a 64-bit one: both must be read right.
  it.each([32 * KIB + 1, 70 * KIB])(
    'closes with 1009 and reports 1009 to $disconnect when a frame of %i bytes exceeds maxFrameBytes',
    async (frameBytes) => {
      const integration = new RecordingIntegration();
      const { gateway } = await startGateway(integration);
      const { client, connectionId } = await connectedClient(gateway, integration);

      client.socket.send('x'.repeat(frameBytes));
      const closed = await client.closed;
      const disconnect = await integration.eventFor('$disconnect', connectionId);

      expect(closed.code).toBe(1009);
      expect(disconnect.requestContext.disconnectStatusCode).toBe(1009);
      expect(integration.messageEvents()).toEqual([]);
    },
  );

  it('accepts a message fragmented into frames that are each within maxFrameBytes', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client } = await connectedClient(gateway, integration);
    const fragment = 'y'.repeat(30 * KIB);

    client.socket.send(fragment, { fin: false });
    client.socket.send(fragment, { fin: false });
    client.socket.send(fragment, { fin: true });
    const event = await integration.eventFor('$default');

    expect(event.body).toBe(fragment.repeat(3));
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes with 1009 and reports 1009 to $disconnect when a fragmented message exceeds maxMessageBytes', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client, connectionId } = await connectedClient(gateway, integration);
    const fragment = 'z'.repeat(30 * KIB);

    for (let index = 0; index < 4; index += 1) client.socket.send(fragment, { fin: false });
    client.socket.send(fragment, { fin: true });
    const closed = await client.closed;
    const disconnect = await integration.eventFor('$disconnect', connectionId);

    expect(closed.code).toBe(1009);
    expect(disconnect.requestContext.disconnectStatusCode).toBe(1009);
    expect(integration.messageEvents()).toEqual([]);
  });

  it('closes an idle connection with 1001 Going away and reports it to $disconnect', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration, { idleTimeoutMs: 50 });
    const { client, connectionId } = await connectedClient(gateway, integration);

    const closed = await client.closed;
    const disconnect = await integration.eventFor('$disconnect', connectionId);

    expect(closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(disconnect.requestContext).toMatchObject({
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
    });
  });

  it('closes a connection that reaches maxConnectionMs with 1001 Going away', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration, { maxConnectionMs: 50 });
    const { client, connectionId } = await connectedClient(gateway, integration);

    const closed = await client.closed;
    const disconnect = await integration.eventFor('$disconnect', connectionId);

    expect(closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(disconnect.requestContext.disconnectStatusCode).toBe(1001);
  });
});

describe('WebSocket gateway @connections management API', () => {
  it('POST delivers the data to the client as a text frame', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);
    const { client, connectionId } = await connectedClient(gateway, integration);

    await managementApi.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: utf8('{"text":"héllo"}') }),
    );
    const received = await client.nextMessage();

    expect(received).toEqual({ data: '{"text":"héllo"}', isBinary: false });
  });

  it('POST delivers data that is not UTF-8 as a binary frame', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);
    const { client, connectionId } = await connectedClient(gateway, integration);
    const bytes = Uint8Array.from([0xc3, 0x28, 0xff]);

    await managementApi.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: bytes }));
    const received = await client.nextMessage();

    expect(received).toEqual({ data: Buffer.from(bytes).toString('base64'), isBinary: true });
  });

  it("GET returns when the connection opened and the client's identity", async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);
    const { connectionId, connectEvent } = await connectedClient(gateway, integration);

    const connection = await managementApi.send(new GetConnectionCommand({ ConnectionId: connectionId }));

    expect(connection.ConnectedAt).toEqual(new Date(connectEvent.requestContext.connectedAt));
    expect(connection.LastActiveAt).toBeInstanceOf(Date);
    expect(connection.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: USER_AGENT });
  });

  it('DELETE closes the connection with 1000 and fires $disconnect', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);
    const { client, connectionId } = await connectedClient(gateway, integration);

    await managementApi.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    const closed = await client.closed;
    const disconnect = await integration.eventFor('$disconnect', connectionId);

    expect(closed.code).toBe(1000);
    expect(disconnect.requestContext).toMatchObject({ eventType: 'DISCONNECT', disconnectStatusCode: 1000 });
    expect(gateway.connections()).toEqual([]);
  });

  it('answers GoneException (410) for a connection id that never connected', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);

    const error = await managementApi
      .send(new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: utf8('hi') }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GoneException);
    expect((error as GoneException).$metadata.httpStatusCode).toBe(410);
  });

  it('answers GoneException (410) for a connection that has closed', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);
    const { client, connectionId } = await connectedClient(gateway, integration);
    client.socket.close(1000);
    await integration.eventFor('$disconnect', connectionId);

    const error = await managementApi
      .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: utf8('too late') }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GoneException);
    expect((error as GoneException).$metadata.httpStatusCode).toBe(410);
  });

  it('answers PayloadTooLargeException (413) to a POST larger than maxMessageBytes', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);
    const { connectionId } = await connectedClient(gateway, integration);

    const error = await managementApi
      .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new Uint8Array(128 * KIB + 1) }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PayloadTooLargeException);
    expect((error as PayloadTooLargeException).$metadata.httpStatusCode).toBe(413);
  });

  it('answers 403 to a request without an Authorization header', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { connectionId } = await connectedClient(gateway, integration);

    const response = await fetch(
      `${gateway.managementEndpoint}/@connections/${encodeURIComponent(connectionId)}`,
    );

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-ErrorType')).toBe('MissingAuthenticationTokenException');
  });
});

describe('WebSocket gateway $disconnect', () => {
  it('carries the close code and reason the client sent', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client, connectionId } = await connectedClient(gateway, integration);

    client.socket.close(4000, 'bye');
    const event = await integration.eventFor('$disconnect', connectionId);

    expect(event.requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectStatusCode: 4000,
      disconnectReason: 'bye',
    });
    expect(event.headers).toBeUndefined();
  });

  it('reports 1005 when the client closes without a code', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client, connectionId } = await connectedClient(gateway, integration);

    client.socket.close();
    const event = await integration.eventFor('$disconnect', connectionId);

    expect(event.requestContext.disconnectStatusCode).toBe(1005);
  });

  it('reports 1006 when the client drops the connection without a close frame', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client, connectionId } = await connectedClient(gateway, integration);

    client.socket.terminate();
    const event = await integration.eventFor('$disconnect', connectionId);

    expect(event.requestContext.disconnectStatusCode).toBe(1006);
  });

  it('logs a failing $disconnect and goes on accepting connections', async () => {
    const integration = new RecordingIntegration({
      $disconnect: () => {
        throw new Error('table missing');
      },
    });
    const { gateway, log } = await startGateway(integration);
    const { client } = await connectedClient(gateway, integration);

    client.socket.close(1000);
    const logged = await log.firstError();
    const second = await TestClient.connect(gateway.url);

    expect((logged.error as Error).message).toBe('table missing');
    expect(second.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes every connection with 1001 on shutdown and delivers their $disconnect', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const { client, connectionId } = await connectedClient(gateway, integration);

    await gateway.close();
    const closed = await client.closed;

    expect(closed.code).toBe(1001);
    expect(
      (await integration.eventFor('$disconnect', connectionId)).requestContext.disconnectStatusCode,
    ).toBe(1001);
  });
});

describe('WebSocket gateway frame observers', () => {
  it('reports frames in and out to onFrame listeners', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const managementApi = managementApiOf(gateway);
    const frames: GatewayFrame[] = [];
    gateway.onFrame((frame) => frames.push(frame));
    const { client, connectionId } = await connectedClient(gateway, integration);

    client.socket.send('ping from client');
    await integration.eventFor('$default');
    await managementApi.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: utf8('pong from app') }),
    );

    expect(frames.map(({ direction, data, connectionId: id }) => ({ direction, data, id }))).toEqual([
      { direction: 'in', data: 'ping from client', id: connectionId },
      { direction: 'out', data: 'pong from app', id: connectionId },
    ]);
  });

  it('stops reporting frames to a listener once it unsubscribes', async () => {
    const integration = new RecordingIntegration();
    const { gateway } = await startGateway(integration);
    const frames: GatewayFrame[] = [];
    const unsubscribe = gateway.onFrame((frame) => frames.push(frame));
    const { client } = await connectedClient(gateway, integration);

    unsubscribe();
    client.socket.send('unseen');
    await integration.eventFor('$default');

    expect(frames).toEqual([]);
  });
});
