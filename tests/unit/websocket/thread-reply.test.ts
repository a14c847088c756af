import { describe, expect, it } from '@jest/globals';
import {
  isRelayReplyTask,
  type MessageEventArgs,
  type ReplyHandoff,
  readThreadReply,
  relayThreadReply,
  type ThreadReply,
} from '../../../app/slack/listeners/events/thread-reply';
import type { ReplyRelay, ThreadConnection } from '../../../app/websocket/reply-relay';
import type { ReplyFrame } from '../../../app/websocket/server-frames';
import eventMessageFixture from '../../fixtures/slack/event-message.json';

const MIRROR = 'C0MIRROR';
const BOT = 'U0GLBOT';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const reply = eventMessageFixture.event;

class FakeRelay implements ReplyRelay {
  readonly delivered: Array<{ connectionId: string; frame: ReplyFrame }> = [];
  readonly forgotten: string[] = [];
  constructor(
    private readonly connection: ThreadConnection | undefined,
    private readonly outcome: 'sent' | 'gone' = 'sent',
  ) {}
  async findConnection() {
    return this.connection;
  }
  async deliver(connectionId: string, frame: ReplyFrame) {
    this.delivered.push({ connectionId, frame });
    return this.outcome;
  }
  async forget(connectionId: string) {
    this.forgotten.push(connectionId);
  }
}

function slackClient({ usersInfoFails = false } = {}) {
  const posted: Array<Record<string, unknown>> = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        if (usersInfoFails) throw new Error('ratelimited');
        return {
          user: { id: user, name: 'ana', real_name: 'Ana Approver', profile: { display_name: 'Ana' } },
        };
      },
    },
    chat: {
      postMessage: async (args: Record<string, unknown>) => {
        posted.push(args);
        return { ok: true, ts: '2.0' };
      },
    },
  };
  return { client, posted };
}

function run(relay: ReplyRelay, event: Record<string, unknown>, client = slackClient().client) {
  const warnings: unknown[] = [];
  const args = {
    event,
    context: { botUserId: BOT },
    client,
    logger: { warn: (...parts: unknown[]) => warnings.push(parts) },
  } as unknown as MessageEventArgs;
  return relayThreadReply({ mirrorChannelId: MIRROR, relay, now: () => NOW })(args).then(() => warnings);
}

describe('reading a thread reply from a message event', () => {
  it('takes a person’s reply in a thread of the mirror channel', () => {
    expect(readThreadReply(reply, MIRROR, BOT)).toEqual({
      channel: MIRROR,
      threadTs: reply.thread_ts,
      user: 'U0APPROVER',
      text: reply.text,
      rootIsBots: true,
    });
  });

  it.each([
    ['another channel', { channel: 'C0GENERAL' }],
    ['a top-level message', { thread_ts: undefined }],
    ['a thread root', { thread_ts: reply.ts }],
    ['a bot message', { bot_id: 'B0OTHER' }],
    ['our bot user', { user: BOT }],
    ['an edit', { subtype: 'message_changed' }],
    ['a deletion', { subtype: 'message_deleted' }],
    ['a join', { subtype: 'channel_join' }],
    ['an empty text', { text: '  ' }],
  ])('ignores %s', (_name, change) => {
    expect(readThreadReply({ ...reply, ...change }, MIRROR, BOT)).toBeUndefined();
  });

  it('takes a reply also sent to the channel', () => {
    expect(readThreadReply({ ...reply, subtype: 'thread_broadcast' }, MIRROR, BOT)).toBeDefined();
  });
});

describe('relaying a thread reply', () => {
  it('delivers it to the thread’s connection with the person’s display name, unescaped', async () => {
    const relay = new FakeRelay({ connectionId: 'CONN1=', subject: 'alice' });

    await run(relay, { ...reply, text: 'ok &lt;3 &amp; thanks' });

    expect(relay.delivered).toEqual([
      {
        connectionId: 'CONN1=',
        frame: { type: 'reply', from: 'Ana', message: 'ok <3 & thanks', at: new Date(NOW).toISOString() },
      },
    ]);
  });

  it('forgets a connection that is gone and says so in the thread', async () => {
    const relay = new FakeRelay({ connectionId: 'CONN1=', subject: 'alice' }, 'gone');
    const { client, posted } = slackClient();

    await run(relay, reply, client);

    expect(relay.forgotten).toEqual(['CONN1=']);
    expect(posted).toEqual([
      expect.objectContaining({
        channel: MIRROR,
        thread_ts: reply.thread_ts,
        text: ':warning: Not delivered: *alice* is no longer connected.',
        link_names: false,
      }),
    ]);
  });

  it('says so in a bot thread with no live connection, and stays quiet in other threads', async () => {
    const relay = new FakeRelay(undefined);
    const bots = slackClient();
    const someones = slackClient();

    await run(relay, reply, bots.client);
    await run(relay, { ...reply, parent_user_id: 'U0BYSTANDR' }, someones.client);

    expect(bots.posted).toHaveLength(1);
    expect(someones.posted).toEqual([]);
  });

  it('labels the reply with the user id when the name cannot be read', async () => {
    const relay = new FakeRelay({ connectionId: 'CONN1=', subject: 'alice' });

    // A user this container has not named yet (names are cached per container).
    const warnings = await run(
      relay,
      { ...reply, user: 'U0NEWCOMER' },
      slackClient({ usersInfoFails: true }).client,
    );

    expect(relay.delivered[0]?.frame.from).toBe('U0NEWCOMER');
    expect(warnings).toHaveLength(1);
  });
});

describe('a relay that fails', () => {
  class BrokenRelay extends FakeRelay {
    override async deliver(): Promise<'sent' | 'gone'> {
      throw new Error('API Gateway answered 500');
    }
  }

  function runWith(handoff: ReplyHandoff | undefined) {
    const args = {
      event: reply,
      context: { botUserId: BOT },
      client: slackClient().client,
      logger: { warn: () => {} },
    } as unknown as MessageEventArgs;
    const relay = new BrokenRelay({ connectionId: 'conn-1', subject: 'alice' });
    return relayThreadReply({
      mirrorChannelId: MIRROR,
      relay,
      now: () => NOW,
      ...(handoff ? { handoff } : {}),
    })(args);
  }

  it('is handed off with the reply and the time Slack delivered it, and Slack hears success', async () => {
    const handedOff: Array<{ reply: ThreadReply; at: number }> = [];
    await expect(
      runWith({
        handOff: async (threadReply, at) => {
          handedOff.push({ reply: threadReply, at });
          return true;
        },
      }),
    ).resolves.toBeUndefined();
    expect(handedOff).toEqual([{ reply: readThreadReply(reply, MIRROR, BOT), at: NOW }]);
  });

  it('is thrown, so Slack retries the event, when it cannot be handed off', async () => {
    await expect(runWith({ handOff: async () => false })).rejects.toThrow('API Gateway answered 500');
  });

  it('is thrown when no hand-off is configured', async () => {
    await expect(runWith(undefined)).rejects.toThrow('API Gateway answered 500');
  });
});

describe('recognising a handed-off reply', () => {
  const task = { task: 'relay-reply', reply: readThreadReply(reply, MIRROR, BOT), at: NOW };

  it('takes the task the hand-off sends', () => {
    expect(isRelayReplyTask(JSON.parse(JSON.stringify(task)))).toBe(true);
  });

  it.each([
    ['an API Gateway event', { requestContext: { routeKey: '$connect' } }],
    ['another task', { ...task, task: 'close-out' }],
    ['no time', { ...task, at: 'now' }],
    ['no reply', { ...task, reply: null }],
    ['nothing', null],
  ])('refuses %s', (_name, event) => {
    expect(isRelayReplyTask(event)).toBe(false);
  });
});
