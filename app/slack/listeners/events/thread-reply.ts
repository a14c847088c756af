import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { unescapeSlackText } from '../../../shared/slack-text';
import { notDeliveredText, type ReplyRelay, SAFE_POST_OPTIONS } from '../../../websocket';

export type MessageEventArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/** A person's reply in a thread of the mirror channel, read from a `message` event. */
export interface ThreadReply {
  channel: string;
  threadTs: string;
  user: string;
  text: string;
  /** The thread's root was posted by the bot, so it is (or was) a connection's thread. */
  rootIsBots: boolean;
}

// Subtypes that are still a person's message: a reply also sent to the channel, and one with a file.
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/**
 * The reply to relay, or undefined for everything else: other channels, top-level messages, edits,
 * deletions, joins, and every message from a bot, ours included (Bolt's self-filter is off).
 */
export function readThreadReply(
  event: Record<string, unknown>,
  mirrorChannelId: string,
  botUserId: string | undefined,
): ThreadReply | undefined {
  const { channel, thread_ts: threadTs, ts, user, text, subtype, bot_id: botId } = event;
  if (channel !== mirrorChannelId) return undefined;
  if (!PERSON_SUBTYPES.has(subtype as string | undefined) || botId !== undefined) return undefined;
  if (typeof user !== 'string' || user === '' || user === botUserId) return undefined;
  if (typeof threadTs !== 'string' || threadTs === ts) return undefined;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const parent = event.parent_user_id;
  // Without parent_user_id the root's author is unknown; it is only used to decide on the "not delivered" note.
  return { channel, threadTs, user, text, rootIsBots: parent !== undefined && parent === botUserId };
}

// Names seen by this container; people rarely rename, and a stale name only labels a reply.
const displayNames = new Map<string, string>();
const MAX_CACHED_NAMES = 1000;

async function displayNameOf(client: MessageEventArgs['client'], userId: string): Promise<string> {
  const cached = displayNames.get(userId);
  if (cached !== undefined) return cached;
  const { user } = await client.users.info({ user: userId });
  const name = user?.profile?.display_name || user?.real_name || user?.name || userId;
  if (displayNames.size >= MAX_CACHED_NAMES) displayNames.clear();
  displayNames.set(userId, name);
  return name;
}

export interface ThreadReplyOptions {
  mirrorChannelId: string;
  relay: ReplyRelay;
  now?: () => number;
}

/**
 * Delivers a reply typed in a connection's thread to that WebSocket client as
 * `{"type":"reply","from","message","at"}`. When the client has gone, the thread says so. A
 * failure to reach DynamoDB or API Gateway is thrown: the receiver then gives the event back and
 * Slack's retry runs it again.
 */
export function relayThreadReply(options: ThreadReplyOptions) {
  const now = options.now ?? Date.now;
  return async function relayThreadReplyToClient(args: MessageEventArgs): Promise<void> {
    const { client, context, logger } = args;
    const reply = readThreadReply(
      args.event as unknown as Record<string, unknown>,
      options.mirrorChannelId,
      context.botUserId,
    );
    if (reply === undefined) return;

    const at = now();
    const connection = await options.relay.findConnection(reply.channel, reply.threadTs, at);
    if (connection === undefined) {
      if (reply.rootIsBots) await noteNotDelivered(client, reply, undefined);
      return;
    }
    let from: string;
    try {
      from = await displayNameOf(client, reply.user);
    } catch (error) {
      logger.warn('users.info failed; the reply is labelled with the user id', error);
      from = reply.user;
    }
    const outcome = await options.relay.deliver(connection.connectionId, {
      type: 'reply',
      from,
      message: unescapeSlackText(reply.text),
      at: new Date(at).toISOString(),
    });
    if (outcome === 'gone') {
      await options.relay.forget(connection.connectionId, at);
      await noteNotDelivered(client, reply, connection.subject);
    }
  };
}

async function noteNotDelivered(
  client: MessageEventArgs['client'],
  reply: ThreadReply,
  subject: string | undefined,
): Promise<void> {
  await client.chat.postMessage({
    channel: reply.channel,
    thread_ts: reply.threadTs,
    text: notDeliveredText(subject),
    ...SAFE_POST_OPTIONS,
  });
}
