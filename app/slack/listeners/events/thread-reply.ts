import type { AllMiddlewareArgs, Logger, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ChatPostMessageArguments } from '@slack/web-api';
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

async function displayNameOf(client: RelaySlackClient, userId: string): Promise<string> {
  const cached = displayNames.get(userId);
  if (cached !== undefined) return cached;
  const { user } = await client.users.info({ user: userId });
  const name = user?.profile?.display_name || user?.real_name || user?.name || userId;
  if (displayNames.size >= MAX_CACHED_NAMES) displayNames.clear();
  displayNames.set(userId, name);
  return name;
}

/** The Web API calls a relay makes: Bolt's client in the Slack function, a WebClient elsewhere. */
export interface RelaySlackClient {
  users: { info(args: { user: string }): Promise<{ user?: UserProfile }> };
  chat: { postMessage(args: ChatPostMessageArguments): Promise<unknown> };
}

interface UserProfile {
  name?: string;
  real_name?: string;
  profile?: { display_name?: string };
}

/**
 * A relay the Slack function could not finish, handed to an asynchronous invocation of the
 * WebSocket function: Lambda retries it twice, then parks it in the dead-letter queue, so a reply
 * is never only a log line. It carries what Slack sent, nothing secret.
 */
export interface RelayReplyTask {
  task: 'relay-reply';
  reply: ThreadReply;
  /** When the reply was first handled (epoch ms): the client sees the time Slack delivered it. */
  at: number;
}

export function isRelayReplyTask(event: unknown): event is RelayReplyTask {
  if (typeof event !== 'object' || event === null) return false;
  const { task, reply, at } = event as Record<string, unknown>;
  return task === 'relay-reply' && typeof at === 'number' && typeof reply === 'object' && reply !== null;
}

/** Where a relay that failed goes next; resolves false when it could not be handed off. */
export interface ReplyHandoff {
  handOff(reply: ThreadReply, at: number): Promise<boolean>;
}

export interface ThreadReplyOptions {
  mirrorChannelId: string;
  relay: ReplyRelay;
  /** Absent: a failure is thrown, and Slack's own retries are all there is. */
  handoff?: ReplyHandoff;
  now?: () => number;
}

/**
 * Delivers a reply typed in a connection's thread to that WebSocket client as
 * `{"type":"reply","from","message","at"}`. When the client has gone, the thread says so. A
 * failure to reach DynamoDB or API Gateway is handed off (see RelayReplyTask); when even the
 * hand-off fails it is thrown, the receiver gives the event back and Slack's retry runs it again.
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
    try {
      await relayReply(client, options.relay, reply, at, logger);
    } catch (error) {
      if (options.handoff === undefined) throw error;
      logger.warn('thread reply relay failed; handing it off', error);
      if (!(await options.handoff.handOff(reply, at))) throw error;
    }
  };
}

/** One relay of one reply: shared by the Slack function's listener and the handed-off task. */
export async function relayReply(
  client: RelaySlackClient,
  relay: ReplyRelay,
  reply: ThreadReply,
  at: number,
  logger: Pick<Logger, 'warn'>,
): Promise<void> {
  const connection = await relay.findConnection(reply.channel, reply.threadTs, at);
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
  const outcome = await relay.deliver(connection.connectionId, {
    type: 'reply',
    from,
    message: unescapeSlackText(reply.text),
    at: new Date(at).toISOString(),
  });
  if (outcome === 'gone') {
    await relay.forget(connection.connectionId, at);
    await noteNotDelivered(client, reply, connection.subject);
  }
}

async function noteNotDelivered(
  client: RelaySlackClient,
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
