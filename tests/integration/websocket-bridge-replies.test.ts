import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import eventMessageFixture from '../fixtures/slack/event-message.json';
import { BridgeClient, type Frame } from '../helpers/bridge-client';
import { TestStack } from '../helpers/local-stack';

const MIRROR = 'C0MIRROR';
const ANA = 'U0APPROVER';

const isReply = (text: string) => (frame: Frame) => frame.type === 'reply' && frame.message === text;

describe('the WebSocket bridge on the local stack: replies typed in Slack', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await TestStack.start({ environment: { LOG_LEVEL: 'warn' } });
    db = DynamoDBDocumentClient.from(stack.stack.dynamodb.client);
  });

  afterAll(async () => {
    await stack.stop();
  });

  const threadOf = async (client: BridgeClient) =>
    (
      await db.send(
        new GetCommand({ TableName: 'ConnectionsTable', Key: { connectionId: client.connectionId } }),
      )
    ).Item?.threadTs as string;

  /** A person types in a thread of the mirror channel; resolves once Slack's delivery is answered. */
  const reply = async (threadTs: string, text: string, channel = MIRROR) => {
    const { delivery } = stack.stack.slack.postAsUser({ userId: ANA, channel, text, threadTs });
    const report = await delivery;
    expect(report.delivered).toBe(true);
  };

  /** An Events API delivery built and signed here, for shapes the stand-in's people never send. */
  const deliverEvent = (
    event: Record<string, unknown>,
    eventId: string,
    headers: Record<string, string> = {},
  ) =>
    stack.signedSlackPost(
      JSON.stringify({
        ...eventMessageFixture,
        event_id: eventId,
        event: { ...eventMessageFixture.event, ...event },
      }),
      'application/json',
      headers,
    );

  it('delivers a reply typed in a connection’s thread to that client only, as plain text', async () => {
    const [alice, bob] = await Promise.all([
      BridgeClient.connect(stack, 'alice'),
      BridgeClient.connect(stack, 'bob'),
    ]);

    // Slack escapes what people type: the client gets it back as typed.
    await reply(await threadOf(alice), 'Looks good &lt;3 &amp; ship it');

    const received = await alice.next(isReply('Looks good <3 & ship it'), 'the reply');
    // Frames on one connection arrive in order: once bob has his own reply, he has all he was sent.
    await reply(await threadOf(bob), 'and you?');
    await bob.next(isReply('and you?'), 'his own reply');

    expect(received).toEqual({
      type: 'reply',
      from: 'ana',
      message: 'Looks good <3 & ship it',
      at: expect.any(String),
    });
    expect(bob.ofType('reply').map((frame) => frame.message)).toEqual(['and you?']);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('delivers an event Slack retries only once', async () => {
    const carol = await BridgeClient.connect(stack, 'carol');
    const threadTs = await threadOf(carol);
    const event = {
      thread_ts: threadTs,
      ts: `${Math.floor(Number(threadTs)) + 1}.000100`,
      text: 'once only',
    };

    const first = await deliverEvent(event, 'EvRETRYONCE1');
    const retry = await deliverEvent(event, 'EvRETRYONCE1', {
      'X-Slack-Retry-Num': '1',
      'X-Slack-Retry-Reason': 'http_timeout',
    });
    // Frames arrive in order: once this later reply is in, a duplicate would have been too.
    await reply(threadTs, 'afterwards');
    await carol.next(isReply('afterwards'), 'the later reply');

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(carol.ofType('reply').map((frame) => frame.message)).toEqual(['once only', 'afterwards']);
    await carol.close();
  });

  it("ignores the bot's own messages, edits and other channels' threads", async () => {
    const dave = await BridgeClient.connect(stack, 'dave');
    const threadTs = await threadOf(dave);
    const ts = `${Math.floor(Number(threadTs)) + 2}.000200`;

    const answers = [
      await deliverEvent(
        { thread_ts: threadTs, ts, text: 'from the bot', user: 'U0GLBOT', bot_id: 'B0GLBOT' },
        'EvBOTSOWN001',
      ),
      await deliverEvent(
        { thread_ts: threadTs, ts, text: 'as the bot user', user: 'U0GLBOT' },
        'EvBOTSOWN002',
      ),
      await deliverEvent(
        { thread_ts: threadTs, ts, text: 'an edit', subtype: 'message_changed' },
        'EvBOTSOWN003',
      ),
      await deliverEvent(
        { thread_ts: threadTs, ts, text: 'elsewhere', channel: 'C0GENERAL' },
        'EvBOTSOWN004',
      ),
    ];
    await reply(threadTs, 'the real one');
    await dave.next(isReply('the real one'), 'the real reply');

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(dave.ofType('reply').map((frame) => frame.message)).toEqual(['the real one']);
    await dave.close();
  });

  it('says in the thread when the client has disconnected', async () => {
    const erin = await BridgeClient.connect(stack, 'erin');
    const threadTs = await threadOf(erin);
    await erin.close();
    // The disconnect note is the sign that $disconnect has run.
    await waitFor(() =>
      stack.stack.slack.thread(MIRROR, threadTs).some((m) => m.text.includes('disconnected')),
    );

    await reply(threadTs, 'are you there?');

    expect(stack.stack.slack.thread(MIRROR, threadTs).at(-1)).toMatchObject({
      text: ':warning: Not delivered: this client is no longer connected.',
      bot_id: 'B0GLBOT',
    });
  });

  it('removes a connection that left without $disconnect when a reply finds it gone, and says so', async () => {
    const root = await fetch(`${stack.stack.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${stack.stack.secrets.botToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ channel: MIRROR, text: ':electric_plug: *ghost* connected over WebSocket.' }),
    }).then((response) => response.json() as Promise<{ ts: string }>);
    const ghost = {
      connectionId: 'GhostConn0001A=',
      subject: 'ghost',
      sourceIp: '',
      userAgent: '',
      connectedAt: Date.now() - 600_000,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      mirrorChannel: MIRROR,
      threadTs: root.ts,
    };
    await db.send(new PutCommand({ TableName: 'ConnectionsTable', Item: ghost }));

    await reply(root.ts, 'hello?');

    const { Item } = await db.send(
      new GetCommand({ TableName: 'ConnectionsTable', Key: { connectionId: ghost.connectionId } }),
    );
    expect(Item).toBeUndefined();
    expect(stack.stack.slack.thread(MIRROR, root.ts).at(-1)?.text).toBe(
      ':warning: Not delivered: *ghost* is no longer connected.',
    );
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
