import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BridgeClient, type Frame, OutputCapture } from '../helpers/bridge-client';
import { TestStack } from '../helpers/local-stack';

const MIRROR = 'C0MIRROR';
const CLIENTS = 25;

const isMessage = (text: string) => (frame: Frame) => frame.type === 'message' && frame.message === text;
const isError = (code: string) => (frame: Frame) => frame.type === 'error' && frame.error === code;

describe('the WebSocket bridge on the local stack: messages and broadcast', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;
  let clients: BridgeClient[];
  const output = new OutputCapture();

  beforeAll(async () => {
    // The test reads the function's info-level broadcast summaries.
    stack = await TestStack.start({ environment: { LOG_LEVEL: 'info' } });
    db = DynamoDBDocumentClient.from(stack.stack.dynamodb.client);
    output.start();
    clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => BridgeClient.connect(stack, `user${i}`)),
    );
  });

  afterAll(async () => {
    await stack.stop();
    output.stop();
  });

  const broadcastsBy = (connectionId: string) =>
    output
      .entries()
      .filter(
        (entry) => entry.message === 'websocket_message_broadcast' && entry.connectionId === connectionId,
      );

  /** Call before sending: resolves with the summary once the function has broadcast the next message. */
  const nextBroadcastBy = (connectionId: string) => {
    const seen = broadcastsBy(connectionId).length;
    return (async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const done = broadcastsBy(connectionId);
        if (done.length > seen) return done[seen] as Frame;
        if (Date.now() > deadline) throw new Error('the broadcast never finished');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
  };

  it('broadcasts a message to every other client exactly once and never back to its sender', async () => {
    const [sender, ...others] = clients as [BridgeClient, ...BridgeClient[]];
    const text = 'release is green';

    const broadcasted = nextBroadcastBy(sender.connectionId);
    sender.sendMessage(text);
    await Promise.all(others.map((client) => client.next(isMessage(text), 'the broadcast')));
    const summary = await broadcasted;
    // Frames on a connection arrive in order: once everyone has this later message, any duplicate
    // (or echo) of the first would have arrived too.
    const [witness, ...rest] = others as [BridgeClient, ...BridgeClient[]];
    const barrierDone = nextBroadcastBy(witness.connectionId);
    witness.sendMessage('barrier');
    await Promise.all([sender, ...rest].map((client) => client.next(isMessage('barrier'), 'the barrier')));
    await barrierDone;

    expect(summary).toMatchObject({ sent: CLIENTS - 1, gone: 0, failed: 0 });
    for (const client of others) {
      expect(client.frames.filter(isMessage(text))).toEqual([
        { type: 'message', from: 'user0', message: text, at: expect.any(String) },
      ]);
    }
    expect(sender.ofType('message').map((frame) => frame.message)).toEqual(['barrier']);
  });

  it("mirrors the message into the sender's thread, escaped so it pings nobody", async () => {
    const sender = clients[1] as BridgeClient;
    const text = 'deploying now <!channel> <!here> <@U0APPROVER> & <https://evil.example|click> @channel';

    const broadcasted = nextBroadcastBy(sender.connectionId);
    sender.sendMessage(text);
    await broadcasted;

    const { Item } = await db.send(
      new GetCommand({ TableName: 'ConnectionsTable', Key: { connectionId: sender.connectionId } }),
    );
    const mirrored = stack.stack.slack.thread(MIRROR, Item?.threadTs as string).at(-1);
    expect(mirrored?.text).toBe(
      '*user1*: deploying now &lt;!channel&gt; &lt;!here&gt; &lt;@U0APPROVER&gt; &amp; ' +
        '&lt;https://evil.example|click&gt; @channel',
    );
    expect(mirrored?.text).not.toMatch(/<[!@#]/);
    expect(await clients[2]?.next(isMessage(text), 'the message, unescaped')).toMatchObject({
      message: text,
    });
  });

  it('mirrors a message with lone UTF-16 surrogates, with U+FFFD in their place', async () => {
    const sender = clients[20] as BridgeClient;
    // JSON.stringify writes a lone surrogate as a `\ud83d` escape, as a browser client would.
    const text = 'half \ud83d middle \udc00next and a pair \ud83d\ude00 at the end \ud83d';

    const broadcasted = nextBroadcastBy(sender.connectionId);
    sender.sendMessage(text);
    await broadcasted;

    const { Item } = await db.send(
      new GetCommand({ TableName: 'ConnectionsTable', Key: { connectionId: sender.connectionId } }),
    );
    const mirrored = stack.stack.slack.thread(MIRROR, Item?.threadTs as string).at(-1);
    expect(mirrored?.text).toBe('*user20*: half \uFFFD middle \uFFFDnext and a pair 😀 at the end \uFFFD');
  });

  it('removes a stale connection that answers 410 during a broadcast, and keeps one still connecting', async () => {
    const now = Date.now();
    const expiresAt = Math.floor(now / 1000) + 3600;
    const stale = {
      connectionId: 'StaleConn0000A=',
      subject: 'ghost',
      connectedAt: now - 600_000,
      expiresAt,
    };
    const connecting = { connectionId: 'NewConn00000B=', subject: 'newcomer', connectedAt: now, expiresAt };
    for (const item of [stale, connecting]) {
      await db.send(
        new PutCommand({ TableName: 'ConnectionsTable', Item: { ...item, sourceIp: '', userAgent: '' } }),
      );
    }
    const sender = clients[3] as BridgeClient;

    const broadcasted = nextBroadcastBy(sender.connectionId);
    sender.sendMessage('anyone there?');
    const summary = await broadcasted;

    const read = async (connectionId: string) =>
      (await db.send(new GetCommand({ TableName: 'ConnectionsTable', Key: { connectionId } }))).Item;
    expect(summary).toMatchObject({ sent: CLIENTS - 1, gone: 2, failed: 0 });
    expect(await read(stale.connectionId)).toBeUndefined();
    expect(await read(connecting.connectionId)).toBeDefined();
    expect(await read(sender.connectionId)).toBeDefined();
  });

  it('answers a frame that is not JSON with an error and usage help, and broadcasts nothing', async () => {
    const sender = clients[4] as BridgeClient;

    sender.send('hello there');
    const error = await sender.next(isError('invalid_json'));

    expect(error).toEqual({
      type: 'error',
      error: 'invalid_json',
      message: 'The frame is not JSON.',
      usage: expect.stringContaining('{"action":"sendmessage","message":"<text>"}'),
    });
    sender.sendMessage('valid after all');
    await clients[5]?.next(isMessage('valid after all'), 'the later, valid message');
    expect(clients[5]?.frames.filter((frame) => frame.type === 'message' && frame.from === 'user4')).toEqual([
      expect.objectContaining({ message: 'valid after all' }),
    ]);
  });

  it('answers an unknown action with an error naming it', async () => {
    const sender = clients[4] as BridgeClient;

    sender.send({ action: 'shout', message: 'hi' });
    const error = await sender.next(isError('unknown_action'));

    expect(error.message).toBe('Unknown action "shout". The only action is "sendmessage".');
  });

  it('answers a sendmessage without a usable message with an error', async () => {
    const sender = clients[4] as BridgeClient;

    sender.send({ action: 'sendmessage', message: 42 });
    const error = await sender.next(isError('invalid_message'));

    expect(error.message).toBe('"message" must be a string.');
  });

  it('refuses a message longer than 3000 characters with an error frame, broadcasting nothing', async () => {
    const sender = clients[6] as BridgeClient;
    const text = 'é'.repeat(3001);

    sender.sendMessage(text);
    const error = await sender.next(isError('message_too_long'));

    expect(error.message).toBe('"message" can be at most 3000 characters; this one has 3001.');
    sender.sendMessage('short one');
    await clients[7]?.next(isMessage('short one'), 'the later, short message');
    expect(
      clients[7]?.frames.filter((frame) => frame.from === 'user6').map((frame) => frame.message),
    ).toEqual(['short one']);
  });

  it('refuses a message over 32 KB, sent in fragments the gateway accepts, with an error frame', async () => {
    const sender = clients[8] as BridgeClient;
    const json = JSON.stringify({ action: 'sendmessage', message: 'x'.repeat(40_000) });
    const half = Math.floor(json.length / 2);

    // Each fragment is under API Gateway's 32 KB frame limit; the message as a whole is not.
    sender.socket.send(json.slice(0, half), { fin: false });
    sender.socket.send(json.slice(half), { fin: true });
    const error = await sender.next(isError('message_too_large'));

    expect(error.message).toBe(`A frame can be at most 32768 bytes; this one has ${json.length}.`);
  });

  it('refuses a binary frame with an error frame', async () => {
    const sender = clients[8] as BridgeClient;

    sender.socket.send(Buffer.from([0xff, 0x00, 0x01]), { binary: true });
    const error = await sender.next(isError('binary_not_supported'));

    expect(error.usage).toEqual(expect.any(String));
  });
});
