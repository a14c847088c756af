import { randomUUID } from 'node:crypto';
import type { ChangeFeed } from './change-feed';
import { MessageTsIssuer } from './message-ts';
import { SlackApiError } from './slack-api-error';
import { typedElements } from './typed-text';
import type {
  ChannelKind,
  ChannelRecord,
  Clock,
  EphemeralRecord,
  EphemeralSource,
  SlackApiOptions,
  SlackMessage,
  SlackUserGroupSeed,
  UserRecord,
} from './types';

/** Who the app is in this workspace. */
export interface AppIdentity {
  teamId: string;
  teamName: string;
  appId: string;
  botId: string;
  botUserId: string;
  botName: string;
}

/** What a new message says, whoever posts it. */
export interface MessageContent {
  text: string;
  blocks?: unknown[] | undefined;
  attachments?: unknown[] | undefined;
  metadata?: unknown;
}

/** A change to a message: what is undefined stays as it was. */
export interface ContentPatch {
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: unknown;
}

export interface EphemeralInput {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  source: EphemeralSource;
}

const TOMBSTONE_TEXT = 'This message was deleted.';

/** What the workspace keeps across restarts in persistent mode (see slack-persistence.ts). */
export interface WorkspaceSnapshot {
  channels: ChannelRecord[];
  messages: Array<[string, SlackMessage[]]>;
  ephemerals: EphemeralRecord[];
  dmCounter: number;
  lastTs: string | undefined;
}

/**
 * The workspace's data as Slack keeps it: users, channels (DMs created on demand), messages with
 * their threads, and ephemerals. Messages are stored as Slack's wire objects; thread summaries
 * (`reply_count`, `reply_users`, `latest_reply`) are derived when read, so they never drift.
 */
export class Workspace {
  private readonly userById = new Map<string, UserRecord>();
  private readonly channelById = new Map<string, ChannelRecord>();
  private readonly messagesByChannel = new Map<string, SlackMessage[]>();
  private readonly ephemeralList: EphemeralRecord[] = [];
  private readonly tsIssuer: MessageTsIssuer;
  private dmCounter = 0;
  private readonly groupById = new Map<string, SlackUserGroupSeed>();

  constructor(
    readonly identity: AppIdentity,
    options: Pick<SlackApiOptions, 'users' | 'channels' | 'userGroups'>,
    private readonly now: Clock,
    private readonly feed: ChangeFeed,
  ) {
    this.tsIssuer = new MessageTsIssuer(now);
    for (const user of options.users) {
      this.userById.set(user.id, {
        id: user.id,
        name: user.name,
        realName: user.realName,
        email: user.email,
        isBot: user.isBot ?? false,
      });
    }
    if (!this.userById.has(identity.botUserId)) {
      this.userById.set(identity.botUserId, {
        id: identity.botUserId,
        name: identity.botName,
        realName: identity.botName,
        email: undefined,
        isBot: true,
      });
    }
    for (const group of options.userGroups ?? []) this.groupById.set(group.id, group);
    const humanIds = [...this.userById.values()].filter((user) => !user.isBot).map((user) => user.id);
    for (const channel of options.channels) {
      this.addChannel({
        id: channel.id,
        name: channel.name,
        kind: channel.isPrivate ? 'private' : 'public',
        created: this.nowSeconds(),
        dmUserId: undefined,
        memberIds: [...new Set([...(channel.memberIds ?? humanIds), identity.botUserId])],
      });
    }
  }

  snapshot(): WorkspaceSnapshot {
    return {
      channels: [...this.channelById.values()],
      messages: [...this.messagesByChannel.entries()],
      ephemerals: this.ephemeralList,
      dmCounter: this.dmCounter,
      lastTs: this.tsIssuer.last(),
    };
  }

  /**
   * Takes back what a snapshot kept. Seeded channels the snapshot does not know (added to the seed
   * since) stay; users always come from the seed.
   */
  restore(snapshot: WorkspaceSnapshot): void {
    for (const channel of snapshot.channels) this.channelById.set(channel.id, channel);
    for (const [channelId, messages] of snapshot.messages) this.messagesByChannel.set(channelId, messages);
    this.ephemeralList.splice(0, this.ephemeralList.length, ...snapshot.ephemerals);
    this.dmCounter = snapshot.dmCounter;
    // Message timestamps keep growing across the restart, so no new message can take an old ts.
    if (snapshot.lastTs !== undefined) this.tsIssuer.advancePast(snapshot.lastTs);
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  nextTs(): string {
    return this.tsIssuer.next();
  }

  /** User groups come from the seed, like users. */
  userGroups(): SlackUserGroupSeed[] {
    return [...this.groupById.values()];
  }

  userGroup(id: string): SlackUserGroupSeed | undefined {
    return this.groupById.get(id);
  }

  users(): UserRecord[] {
    return [...this.userById.values()];
  }

  user(id: string): UserRecord | undefined {
    return this.userById.get(id);
  }

  requireUser(id: string | undefined): UserRecord {
    const user = id === undefined ? undefined : this.userById.get(id);
    if (user === undefined) throw new SlackApiError('user_not_found');
    return user;
  }

  channels(): ChannelRecord[] {
    return [...this.channelById.values()];
  }

  channel(id: string): ChannelRecord | undefined {
    return this.channelById.get(id);
  }

  /** A channel named by id, by name (`general` or `#general`), or by a user id (that user's DM). */
  resolveChannel(reference: string | undefined, options: { userIdOpensDm: boolean }): ChannelRecord {
    if (reference === undefined) throw new SlackApiError('channel_not_found');
    const byId = this.channelById.get(reference);
    if (byId !== undefined) return byId;
    if (options.userIdOpensDm && this.userById.has(reference)) return this.openDm(reference).channel;
    const name = reference.replace(/^#/, '');
    const byName = [...this.channelById.values()].find(
      (channel) => channel.kind !== 'im' && channel.name === name,
    );
    if (byName === undefined) throw new SlackApiError('channel_not_found');
    return byName;
  }

  /** The bot's DM with a user, created on first use like Slack's `conversations.open`. */
  openDm(userId: string): { channel: ChannelRecord; created: boolean } {
    this.requireUser(userId);
    const existing = [...this.channelById.values()].find(
      (channel) => channel.kind === 'im' && channel.dmUserId === userId,
    );
    if (existing !== undefined) return { channel: existing, created: false };
    const channel = this.addChannel({
      id: this.conversationId('D'),
      name: userId,
      kind: 'im',
      created: this.nowSeconds(),
      dmUserId: userId,
      memberIds: [userId, this.identity.botUserId],
    });
    return { channel, created: true };
  }

  /** A group DM of the bot and several users; the same member set reuses the same conversation. */
  openGroupDm(userIds: ReadonlyArray<string>): { channel: ChannelRecord; created: boolean } {
    for (const id of userIds) this.requireUser(id);
    const memberIds = [...new Set([...userIds, this.identity.botUserId])].sort();
    const key = memberIds.join(',');
    const existing = [...this.channelById.values()].find(
      (channel) => channel.kind === 'mpim' && [...channel.memberIds].sort().join(',') === key,
    );
    if (existing !== undefined) return { channel: existing, created: false };
    const names = memberIds.map((id) => this.userById.get(id)?.name ?? id);
    const channel = this.addChannel({
      id: this.conversationId('G'),
      name: `mpdm-${names.join('--')}-1`,
      kind: 'mpim',
      created: this.nowSeconds(),
      dmUserId: undefined,
      memberIds,
    });
    return { channel, created: true };
  }

  /** Posts as the bot: the message carries `bot_id`, `app_id` and the bot's user id, as Slack's do. */
  postAsBot(
    channelId: string,
    content: MessageContent,
    threadTs: string | undefined,
    broadcast = false,
  ): SlackMessage {
    const { botId, botUserId, appId, teamId, botName } = this.identity;
    return this.store(channelId, threadTs, (ts) => ({
      type: 'message',
      ...(broadcast && threadTs !== undefined ? { subtype: 'thread_broadcast' } : {}),
      text: content.text,
      user: botUserId,
      bot_id: botId,
      app_id: appId,
      team: teamId,
      ts,
      ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
      ...(content.attachments !== undefined ? { attachments: content.attachments } : {}),
      ...(content.metadata !== undefined ? { metadata: content.metadata } : {}),
      bot_profile: { id: botId, app_id: appId, name: botName, team_id: teamId, deleted: false },
    }));
  }

  /** Posts as a person, with the rich_text block Slack's clients attach to what people type. */
  postAsPerson(channelId: string, userId: string, text: string, threadTs: string | undefined): SlackMessage {
    this.requireUser(userId);
    return this.store(channelId, threadTs, (ts) => ({
      type: 'message',
      text,
      user: userId,
      team: this.identity.teamId,
      ts,
      client_msg_id: randomUUID(),
      blocks: [
        {
          type: 'rich_text',
          block_id: randomUUID().slice(0, 5),
          elements: [{ type: 'rich_text_section', elements: typedElements(text) }],
        },
      ],
    }));
  }

  private store(
    channelId: string,
    threadTs: string | undefined,
    build: (ts: string) => SlackMessage,
  ): SlackMessage {
    const list = this.channelMessages(channelId);
    const parent = threadTs === undefined ? undefined : this.threadParent(channelId, threadTs);
    const message = build(this.nextTs());
    if (parent !== undefined) {
      message.thread_ts = parent.ts;
      if (parent.user !== undefined) message.parent_user_id = parent.user;
    }
    list.push(message);
    this.feed.emit({ type: 'message_posted', channel: channelId, message: this.present(channelId, message) });
    return this.present(channelId, message);
  }

  /**
   * The root a reply belongs to. A reply to a reply joins the root's thread, as in Slack; an unknown
   * `thread_ts` is refused rather than creating an orphan reply.
   */
  private threadParent(channelId: string, threadTs: string): SlackMessage {
    const target = this.channelMessages(channelId).find((message) => message.ts === threadTs);
    if (target === undefined) throw new SlackApiError('thread_not_found');
    if (target.thread_ts !== undefined && target.thread_ts !== target.ts) {
      const root = this.channelMessages(channelId).find((message) => message.ts === target.thread_ts);
      if (root !== undefined) return root;
    }
    return target;
  }

  message(channelId: string, ts: string): SlackMessage | undefined {
    const found = this.channelMessages(channelId).find((message) => message.ts === ts);
    return found === undefined ? undefined : this.present(channelId, found);
  }

  /** Replaces what `content` names; `blocks: []` removes the blocks, as `chat.update` does. */
  update(channelId: string, ts: string, content: ContentPatch, markEdited: boolean): SlackMessage {
    const message = this.channelMessages(channelId).find((candidate) => candidate.ts === ts);
    if (message === undefined || message.subtype === 'tombstone')
      throw new SlackApiError('message_not_found');
    if (message.user !== this.identity.botUserId) throw new SlackApiError('cant_update_message');
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) {
      if (content.blocks.length === 0) delete message.blocks;
      else message.blocks = content.blocks;
    }
    if (content.attachments !== undefined) message.attachments = content.attachments;
    if (content.metadata !== undefined) message.metadata = content.metadata;
    if (markEdited) message.edited = { user: this.identity.botUserId, ts: this.nextTs() };
    const presented = this.present(channelId, message);
    this.feed.emit({ type: 'message_updated', channel: channelId, message: presented });
    return presented;
  }

  /** Deletes a message; a thread root with replies leaves Slack's tombstone so the thread survives. */
  delete(channelId: string, ts: string, requireBotAuthor: boolean): void {
    const list = this.channelMessages(channelId);
    const index = list.findIndex((message) => message.ts === ts);
    const message = list[index];
    if (message === undefined || message.subtype === 'tombstone')
      throw new SlackApiError('message_not_found');
    if (requireBotAuthor && message.user !== this.identity.botUserId)
      throw new SlackApiError('cant_delete_message');
    const hasReplies = list.some((candidate) => candidate.thread_ts === ts && candidate.ts !== ts);
    if (hasReplies) {
      list[index] = {
        type: 'message',
        subtype: 'tombstone',
        text: TOMBSTONE_TEXT,
        user: 'USLACKBOT',
        hidden: true,
        ts,
        thread_ts: ts,
      };
      this.feed.emit({
        type: 'message_updated',
        channel: channelId,
        message: this.present(channelId, list[index]),
      });
    } else {
      list.splice(index, 1);
      this.feed.emit({ type: 'message_deleted', channel: channelId, ts });
    }
  }

  /** Top-level messages (and replies broadcast to the channel), oldest first. */
  topLevel(channelId: string): SlackMessage[] {
    return this.channelMessages(channelId)
      .filter(
        (message) =>
          message.thread_ts === undefined ||
          message.thread_ts === message.ts ||
          message.subtype === 'thread_broadcast',
      )
      .map((message) => this.present(channelId, message));
  }

  /** A thread, root first; `threadTs` may name the root or any reply in it. */
  thread(channelId: string, threadTs: string): SlackMessage[] {
    const root = this.threadParent(channelId, threadTs);
    return this.channelMessages(channelId)
      .filter((message) => message.ts === root.ts || message.thread_ts === root.ts)
      .map((message) => this.present(channelId, message));
  }

  postEphemeral(input: EphemeralInput): EphemeralRecord {
    const record: EphemeralRecord = { ...input, ts: this.nextTs(), deleted: false };
    this.ephemeralList.push(record);
    this.feed.emit({ type: 'ephemeral_posted', ephemeral: { ...record } });
    return { ...record };
  }

  ephemeral(ts: string): EphemeralRecord | undefined {
    return this.ephemeralList.find((record) => record.ts === ts && !record.deleted);
  }

  /** response_url may replace or delete an ephemeral: Slack swaps it in place on the user's screen. */
  replaceEphemeral(ts: string, content: { text: string; blocks: unknown[] | undefined }): EphemeralRecord {
    const record = this.ephemeral(ts);
    if (record === undefined) throw new SlackApiError('message_not_found');
    record.text = content.text;
    record.blocks = content.blocks;
    this.feed.emit({ type: 'ephemeral_posted', ephemeral: { ...record } });
    return { ...record };
  }

  deleteEphemeral(ts: string): void {
    const record = this.ephemeral(ts);
    if (record === undefined) throw new SlackApiError('message_not_found');
    record.deleted = true;
    this.feed.emit({ type: 'ephemeral_deleted', ephemeral: { ...record } });
  }

  ephemerals(channelId?: string): EphemeralRecord[] {
    return this.ephemeralList
      .filter((record) => !record.deleted && (channelId === undefined || record.channel === channelId))
      .map((record) => ({ ...record }));
  }

  /** A copy with the thread summary Slack adds to roots that have replies. */
  private present(channelId: string, message: SlackMessage): SlackMessage {
    const copy = structuredClone(message);
    const isRoot = message.thread_ts === undefined || message.thread_ts === message.ts;
    if (!isRoot) return copy;
    const replies = this.channelMessages(channelId).filter(
      (candidate) => candidate.thread_ts === message.ts && candidate.ts !== message.ts,
    );
    const latest = replies.at(-1);
    if (latest === undefined) return copy;
    const replyUsers = [...new Set(replies.map((reply) => reply.user).filter((id) => id !== undefined))];
    return {
      ...copy,
      thread_ts: message.ts,
      reply_count: replies.length,
      reply_users_count: replyUsers.length,
      reply_users: replyUsers,
      latest_reply: latest.ts,
      is_locked: false,
    };
  }

  private channelMessages(channelId: string): SlackMessage[] {
    let list = this.messagesByChannel.get(channelId);
    if (list === undefined) {
      list = [];
      this.messagesByChannel.set(channelId, list);
    }
    return list;
  }

  private addChannel(channel: ChannelRecord): ChannelRecord {
    this.channelById.set(channel.id, channel);
    return channel;
  }

  private conversationId(prefix: 'D' | 'G'): string {
    this.dmCounter += 1;
    return `${prefix}${String(this.dmCounter).padStart(8, '0')}${this.identity.teamId.slice(-2).toUpperCase()}`;
  }
}

/** `channel_type` as the Events API names it. */
export function channelType(kind: ChannelKind): 'channel' | 'group' | 'im' | 'mpim' {
  if (kind === 'public') return 'channel';
  if (kind === 'private') return 'group';
  return kind;
}
