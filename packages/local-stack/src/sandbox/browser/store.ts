import { compareTs } from '../../slack-api/message-ts';
import type {
  ChannelRecord,
  DeliveryView,
  EmailView,
  EphemeralRecord,
  ExecutionView,
  FunctionDefinition,
  FunctionExecution,
  LiveEvent,
  ShortcutDefinition,
  SlackMessage,
  SlackUserGroupSeed,
  SlackView,
  Snapshot,
  UserRecord,
} from '../protocol';

export type StoreChange =
  | { kind: 'reset' }
  | { kind: 'channels' }
  | { kind: 'conversation'; channel: string }
  | { kind: 'modals' }
  | { kind: 'emails'; added: EmailView | undefined }
  | { kind: 'executions' }
  | { kind: 'home' }
  | { kind: 'function_runs' };

/** A note Slack's client shows by itself (a failed command, an app error): only here, only to this person. */
export interface LocalNotice {
  user: string;
  channel: string;
  ts: string;
  text: string;
  threadTs: string | undefined;
}

/** A line of a conversation as the page shows it. */
export type Entry =
  | { kind: 'message'; ts: string; message: SlackMessage }
  | { kind: 'ephemeral'; ts: string; ephemeral: EphemeralRecord }
  | { kind: 'notice'; ts: string; notice: LocalNotice };

function isTopLevel(message: SlackMessage): boolean {
  return (
    message.thread_ts === undefined ||
    message.thread_ts === message.ts ||
    message.subtype === 'thread_broadcast'
  );
}

/** The page's copy of what its person sees, kept current by the live events. */
export class Store {
  me = '';
  team = { id: '', name: '' };
  botUserId = '';
  websocketUrl = '';
  shortcuts: ShortcutDefinition[] = [];
  /** The app's Home tab for `me`, as last published. */
  home: SlackView | undefined;
  /** The app's custom steps, and their runs (Workflow Builder). */
  functions: FunctionDefinition[] = [];
  functionRuns: FunctionExecution[] = [];
  users: UserRecord[] = [];
  userGroups: SlackUserGroupSeed[] = [];
  channels = new Map<string, ChannelRecord>();
  modals: SlackView[] = [];
  emails: EmailView[] = [];
  private readonly messages = new Map<string, Map<string, SlackMessage>>();
  private ephemerals = new Map<string, EphemeralRecord>();
  private readonly notices: LocalNotice[] = [];
  private deliveries = new Map<string, DeliveryView>();
  private executionsByArn = new Map<string, ExecutionView>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private noticeCounter = 0;

  subscribe(listener: (change: StoreChange) => void): void {
    this.listeners.add(listener);
  }

  apply(event: LiveEvent): void {
    switch (event.type) {
      case 'snapshot':
        this.load(event.snapshot);
        this.emit({ kind: 'reset' });
        return;
      case 'channel':
        this.channels.set(event.channel.id, event.channel);
        this.emit({ kind: 'channels' });
        return;
      case 'message':
        this.conversationMessages(event.channel).set(event.message.ts, event.message);
        this.emit({ kind: 'conversation', channel: event.channel });
        return;
      case 'message_deleted':
        this.conversationMessages(event.channel).delete(event.ts);
        this.emit({ kind: 'conversation', channel: event.channel });
        return;
      case 'ephemeral':
        this.ephemerals.set(event.ephemeral.ts, event.ephemeral);
        this.emit({ kind: 'conversation', channel: event.ephemeral.channel });
        return;
      case 'ephemeral_deleted': {
        const removed = this.ephemerals.get(event.ts);
        this.ephemerals.delete(event.ts);
        if (removed) this.emit({ kind: 'conversation', channel: removed.channel });
        return;
      }
      case 'modals':
        this.modals = event.modals;
        this.emit({ kind: 'modals' });
        return;
      case 'delivery':
        this.deliveries.set(`${event.delivery.channel}/${event.delivery.ts}`, event.delivery);
        this.emit({ kind: 'conversation', channel: event.delivery.channel });
        return;
      case 'email':
        this.emails = [
          ...this.emails.filter((email) => email.messageId !== event.email.messageId),
          event.email,
        ];
        this.emit({ kind: 'emails', added: event.email });
        return;
      case 'execution':
        this.executionsByArn.set(event.execution.executionArn, event.execution);
        this.emit({ kind: 'executions' });
        return;
      case 'home':
        this.home = event.view;
        this.emit({ kind: 'home' });
        return;
      case 'function_run':
        this.functionRuns = [
          ...this.functionRuns.filter((run) => run.functionExecutionId !== event.run.functionExecutionId),
          event.run,
        ];
        this.emit({ kind: 'function_runs' });
        return;
    }
  }

  /** Shows a note from Slack's client in a conversation, as an ephemeral from Slackbot. */
  addNotice(channel: string, text: string, threadTs?: string): void {
    this.noticeCounter += 1;
    const seconds = Math.floor(Date.now() / 1000);
    // Sorted after anything already there in the same second.
    const ts = `${seconds}.${String(999_000 + this.noticeCounter).slice(-6)}`;
    this.notices.push({ user: this.me, channel, ts, text, threadTs });
    this.emit({ kind: 'conversation', channel });
  }

  user(id: string): UserRecord | undefined {
    return this.users.find((user) => user.id === id);
  }

  userName(id: string): string {
    return this.user(id)?.realName ?? id;
  }

  channelName(id: string): string {
    const channel = this.channels.get(id);
    if (channel === undefined) return id;
    if (channel.kind === 'im') return this.userName(channel.dmUserId ?? id);
    return channel.name;
  }

  /** The person's DM with the app, once it exists. */
  appDm(): ChannelRecord | undefined {
    return [...this.channels.values()].find(
      (channel) => channel.kind === 'im' && channel.dmUserId === this.me,
    );
  }

  message(channel: string, ts: string): SlackMessage | undefined {
    return this.messages.get(channel)?.get(ts);
  }

  /** A conversation's top-level lines, with this person's ephemerals and notices in place. */
  timeline(channel: string): Entry[] {
    const messages = [...(this.messages.get(channel)?.values() ?? [])]
      .filter(isTopLevel)
      .map((message): Entry => ({ kind: 'message', ts: message.ts, message }));
    const ephemerals = [...this.ephemerals.values()]
      .filter((ephemeral) => ephemeral.channel === channel && ephemeral.threadTs === undefined)
      .map((ephemeral): Entry => ({ kind: 'ephemeral', ts: ephemeral.ts, ephemeral }));
    const notices = this.notices
      .filter(
        (notice) => notice.user === this.me && notice.channel === channel && notice.threadTs === undefined,
      )
      .map((notice): Entry => ({ kind: 'notice', ts: notice.ts, notice }));
    return [...messages, ...ephemerals, ...notices].sort((a, b) => compareTs(a.ts, b.ts));
  }

  /** A thread's replies (the root excluded), with ephemerals and notices posted in it. */
  replies(channel: string, threadTs: string): Entry[] {
    const messages = [...(this.messages.get(channel)?.values() ?? [])]
      .filter((message) => message.thread_ts === threadTs && message.ts !== threadTs)
      .map((message): Entry => ({ kind: 'message', ts: message.ts, message }));
    const ephemerals = [...this.ephemerals.values()]
      .filter((ephemeral) => ephemeral.channel === channel && ephemeral.threadTs === threadTs)
      .map((ephemeral): Entry => ({ kind: 'ephemeral', ts: ephemeral.ts, ephemeral }));
    const notices = this.notices
      .filter(
        (notice) => notice.user === this.me && notice.channel === channel && notice.threadTs === threadTs,
      )
      .map((notice): Entry => ({ kind: 'notice', ts: notice.ts, notice }));
    return [...messages, ...ephemerals, ...notices].sort((a, b) => compareTs(a.ts, b.ts));
  }

  /** Counted here rather than read from the root, whose summary is not re-sent when a reply arrives. */
  replySummary(channel: string, ts: string): { count: number; users: string[] } {
    const replies = [...(this.messages.get(channel)?.values() ?? [])].filter(
      (message) => message.thread_ts === ts && message.ts !== ts,
    );
    return {
      count: replies.length,
      users: [...new Set(replies.map((reply) => reply.user ?? ''))].filter(Boolean),
    };
  }

  delivery(channel: string, ts: string): DeliveryView | undefined {
    return this.deliveries.get(`${channel}/${ts}`);
  }

  executions(): ExecutionView[] {
    return [...this.executionsByArn.values()].sort((a, b) => b.startDate.localeCompare(a.startDate));
  }

  private load(snapshot: Snapshot): void {
    this.me = snapshot.me;
    this.team = snapshot.team;
    this.botUserId = snapshot.botUserId;
    this.websocketUrl = snapshot.websocketUrl;
    this.shortcuts = snapshot.shortcuts;
    this.home = snapshot.home;
    this.functions = snapshot.functions;
    this.functionRuns = snapshot.functionRuns;
    this.users = snapshot.users;
    this.userGroups = snapshot.userGroups ?? [];
    this.channels = new Map(snapshot.channels.map((channel) => [channel.id, channel]));
    this.messages.clear();
    for (const [channel, messages] of Object.entries(snapshot.messages)) {
      this.messages.set(channel, new Map(messages.map((message) => [message.ts, message])));
    }
    this.ephemerals = new Map(snapshot.ephemerals.map((ephemeral) => [ephemeral.ts, ephemeral]));
    this.modals = snapshot.modals;
    this.deliveries = new Map(
      snapshot.deliveries.map((delivery) => [`${delivery.channel}/${delivery.ts}`, delivery]),
    );
    this.emails = snapshot.emails;
    this.executionsByArn = new Map(
      snapshot.executions.map((execution) => [execution.executionArn, execution]),
    );
  }

  private conversationMessages(channel: string): Map<string, SlackMessage> {
    let messages = this.messages.get(channel);
    if (messages === undefined) {
      messages = new Map();
      this.messages.set(channel, messages);
    }
    return messages;
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
