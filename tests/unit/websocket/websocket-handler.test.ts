import { beforeEach, describe, expect, it } from '@jest/globals';
import type { ConnectionSender } from '../../../app/websocket/connection-sender';
import { mintConnectionToken } from '../../../app/websocket/connection-token';
import type { RouteDeps } from '../../../app/websocket/routes/route-deps';
import { createWebSocketHandler } from '../../../app/websocket/websocket-handler';
import { connectionRow, FakeMirror, FakeSender, MemoryStore, recordingLogger } from './fakes';

const KEY = 'unit-websocket-key';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const CONTEXT = { awsRequestId: 'req-1' };

function event(routeKey: string, extra: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  return {
    requestContext: {
      routeKey,
      connectionId: 'CONN1=',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      stage: 'prod',
      connectedAt: NOW - 5_000,
      requestTimeEpoch: NOW,
      identity: { sourceIp: '203.0.113.7', userAgent: 'unit/1.0' },
      ...context,
    },
    isBase64Encoded: false,
    ...extra,
  };
}

const message = (body: string) => event('sendmessage', { body });

describe('the WebSocket function', () => {
  let store: MemoryStore;
  let sender: FakeSender;
  let mirror: FakeMirror;
  let log: ReturnType<typeof recordingLogger>;
  let callbackUrls: string[];
  let handler: ReturnType<typeof createWebSocketHandler>;

  beforeEach(() => {
    store = new MemoryStore();
    sender = new FakeSender();
    mirror = new FakeMirror();
    log = recordingLogger();
    callbackUrls = [];
    const deps: RouteDeps = {
      config: { tokenKey: KEY, rate: { limit: 2, windowSeconds: 10 }, broadcastConcurrency: 4 },
      store,
      mirror,
      senderFor: (url): ConnectionSender => {
        callbackUrls.push(url);
        return sender;
      },
      logger: log.logger,
      now: () => NOW,
    };
    handler = createWebSocketHandler(deps);
  });

  describe('on $connect', () => {
    it('refuses a missing token with 401 and a bad one with 403, storing and mirroring nothing', async () => {
      const missing = await handler(event('$connect'), CONTEXT);
      const bad = await handler(event('$connect', { queryStringParameters: { token: 'x.y' } }), CONTEXT);

      expect(missing).toMatchObject({ statusCode: 401, body: expect.stringContaining('missing_token') });
      expect(bad).toMatchObject({ statusCode: 403, body: expect.stringContaining('invalid_token') });
      expect([store.rows.size, mirror.posts.length]).toEqual([0, 0]);
    });

    it('says an expired token has expired', async () => {
      const token = mintConnectionToken(KEY, 'alice', NOW - 1);
      const result = await handler(event('$connect', { queryStringParameters: { token } }), CONTEXT);
      expect(result).toMatchObject({ statusCode: 403, body: expect.stringContaining('expired_token') });
    });

    it('stores an accepted connection, announces it and links the thread', async () => {
      const token = mintConnectionToken(KEY, 'alice', NOW + 60_000);

      const result = await handler(event('$connect', { queryStringParameters: { token } }), CONTEXT);

      expect(result).toEqual({ statusCode: 200 });
      expect(store.rows.get('CONN1=')).toEqual({
        connectionId: 'CONN1=',
        subject: 'alice',
        sourceIp: '203.0.113.7',
        userAgent: 'unit/1.0',
        connectedAt: NOW - 5_000,
        expiresAt: NOW / 1000 + 7800,
        mirrorChannel: 'C0MIRROR',
        threadTs: '1000.000001',
      });
    });

    it('accepts the connection when Slack is down, and logs the failed announcement', async () => {
      mirror.failing = true;
      const token = mintConnectionToken(KEY, 'alice', NOW + 60_000);

      const result = await handler(event('$connect', { queryStringParameters: { token } }), CONTEXT);

      expect(result).toEqual({ statusCode: 200 });
      expect(store.rows.get('CONN1=')?.threadTs).toBeUndefined();
      expect(log.entries()).toContainEqual(
        expect.objectContaining({ level: 'error', message: 'websocket_mirror_failed', step: 'announce' }),
      );
    });

    it('answers 500 when the connection cannot be stored, and mirrors nothing', async () => {
      store.add = async () => {
        throw new Error('DynamoDB unavailable');
      };
      const token = mintConnectionToken(KEY, 'alice', NOW + 60_000);

      const result = await handler(event('$connect', { queryStringParameters: { token } }), CONTEXT);

      expect(result).toMatchObject({ statusCode: 500, body: '{"message":"Internal server error"}' });
      expect(mirror.posts).toEqual([]);
    });
  });

  describe('on a message', () => {
    beforeEach(() => {
      store.rows.set(
        'CONN1=',
        connectionRow('CONN1=', { subject: 'alice', mirrorChannel: 'C0MIRROR', threadTs: '1.0' }),
      );
      store.rows.set('CONN2=', connectionRow('CONN2='));
      store.rows.set('CONN3=', connectionRow('CONN3='));
    });

    it('mirrors it into the thread and broadcasts it to the others, through the stage of the event', async () => {
      await handler(message('{"action":"sendmessage","message":"hello"}'), CONTEXT);

      const expected = { type: 'message', from: 'alice', message: 'hello', at: new Date(NOW).toISOString() };
      expect(sender.framesTo('CONN2=')).toEqual([expected]);
      expect(sender.framesTo('CONN3=')).toEqual([expected]);
      expect(sender.framesTo('CONN1=')).toEqual([]);
      expect(mirror.posts).toEqual([
        { kind: 'message', thread: { channel: 'C0MIRROR', ts: '1.0' }, text: 'alice: hello' },
      ]);
      expect(callbackUrls).toEqual(['https://abc123.execute-api.eu-west-1.amazonaws.com/prod']);
    });

    it('opens the thread first when $connect could not', async () => {
      store.rows.set('CONN1=', connectionRow('CONN1=', { subject: 'alice' }));

      await handler(message('{"action":"sendmessage","message":"hello"}'), CONTEXT);

      expect(mirror.posts.map((post) => post.kind)).toEqual(['announce', 'message']);
      expect(store.rows.get('CONN1=')?.threadTs).toBe('1000.000001');
    });

    it('still broadcasts when Slack is down', async () => {
      mirror.failing = true;

      await handler(message('{"action":"sendmessage","message":"hello"}'), CONTEXT);

      expect(sender.framesTo('CONN2=')).toHaveLength(1);
      expect(log.entries()).toContainEqual(
        expect.objectContaining({ message: 'websocket_mirror_failed', step: 'message' }),
      );
    });

    it('answers a malformed frame on $default with an error frame and broadcasts nothing', async () => {
      await handler(event('$default', { body: 'hello' }), CONTEXT);

      expect(sender.sent).toEqual([
        { connectionId: 'CONN1=', frame: expect.objectContaining({ type: 'error', error: 'invalid_json' }) },
      ]);
      expect(mirror.posts).toEqual([]);
    });

    it('answers past the rate with a rate-limit error frame', async () => {
      for (let i = 0; i < 3; i += 1)
        await handler(message(`{"action":"sendmessage","message":"m${i}"}`), CONTEXT);

      expect(sender.framesTo('CONN2=').map((frame) => frame.message)).toEqual(['m0', 'm1']);
      expect(sender.framesTo('CONN1=')).toEqual([
        expect.objectContaining({
          error: 'rate_limited',
          retryAfterSeconds: 7,
          message: expect.stringContaining('at most 2 per 10 seconds'),
        }),
      ]);
    });

    it('tells a connection it has no row for to reconnect', async () => {
      store.rows.delete('CONN1=');

      await handler(message('{"action":"sendmessage","message":"hello"}'), CONTEXT);

      expect(sender.sent).toEqual([
        { connectionId: 'CONN1=', frame: expect.objectContaining({ error: 'unknown_connection' }) },
      ]);
    });

    it('tells the sender when something fails on our side, without details', async () => {
      store.admit = async () => {
        throw new Error('DynamoDB unavailable at 10.0.0.1');
      };

      const result = await handler(message('{"action":"sendmessage","message":"hello"}'), CONTEXT);

      expect(result).toEqual({ statusCode: 500 });
      expect(sender.framesTo('CONN1=')).toEqual([
        {
          type: 'error',
          error: 'internal_error',
          message: 'Something went wrong on our side; your message may not have been delivered.',
        },
      ]);
    });
  });

  describe('on $disconnect', () => {
    it('deletes the row and notes it in the thread', async () => {
      store.rows.set(
        'CONN1=',
        connectionRow('CONN1=', { subject: 'alice', mirrorChannel: 'C0MIRROR', threadTs: '1.0' }),
      );

      const result = await handler(
        event('$disconnect', {}, { disconnectStatusCode: 1001, disconnectReason: 'Going away' }),
        CONTEXT,
      );

      expect(result).toEqual({ statusCode: 200 });
      expect(store.rows.has('CONN1=')).toBe(false);
      expect(mirror.posts).toEqual([
        { kind: 'disconnected', thread: { channel: 'C0MIRROR', ts: '1.0' }, text: 'alice' },
      ]);
    });

    it('does nothing more for a connection it never stored', async () => {
      const result = await handler(event('$disconnect'), CONTEXT);
      expect([result, mirror.posts]).toEqual([{ statusCode: 200 }, []]);
    });
  });

  it('answers 400 to an event that is not from a WebSocket API', async () => {
    const result = await handler({ httpMethod: 'GET' }, CONTEXT);
    expect(result).toMatchObject({ statusCode: 400 });
  });
});
