import type { FunctionDefinition, OutcomeNamer, ShortcutDefinition } from '../product-hooks';
import type { Ses } from '../ses';
import type { EventDeliveryReport, SlackApi, SlackApiChange, SlackMessage } from '../slack-api';
import { compareTs } from '../slack-api/message-ts';
import type { StepFunctionsServer } from '../stepfunctions';
import { emailView } from './email-view';
import { executionView } from './execution-view';
import { ModalStacks } from './modal-stacks';
import type { DeliveryView, ExecutionView, LiveEvent, Snapshot } from './protocol';

/** Enough for a demo session; older executions stay in the Step Functions endpoint. */
const MAX_EXECUTIONS = 50;

export interface SandboxSources {
  slack: SlackApi;
  ses: Ses;
  stepFunctions: StepFunctionsServer;
  team: { id: string; name: string };
  botUserId: string;
  websocketUrl: string;
  executionOutcome?: OutcomeNamer | undefined;
  shortcuts?: ReadonlyArray<ShortcutDefinition> | undefined;
  functions?: ReadonlyArray<FunctionDefinition> | undefined;
}

type Listener = (event: LiveEvent) => void;

interface Subscriber {
  user: string;
  listener: Listener;
  /** Conversations this subscriber has been told about. */
  channels: Set<string>;
}

function deliveryView(channel: string, ts: string, report: EventDeliveryReport | undefined): DeliveryView {
  if (report === undefined) return { channel, ts, state: 'pending', attempts: [], stoppedBecause: undefined };
  return {
    channel,
    ts,
    state: report.delivered ? 'delivered' : 'failed',
    attempts: report.attempts.map((attempt) => attempt.failure ?? String(attempt.status)),
    stoppedBecause: report.stoppedBecause,
  };
}

/**
 * What the sandbox page shows, per person: the conversations they are in, their ephemerals and
 * modals, and everything shared (e-mails, executions, event deliveries). It follows the stack's
 * change feeds and tells each subscribed page only what its person may see.
 */
export class SandboxState {
  readonly modals: ModalStacks;
  private readonly subscribers = new Set<Subscriber>();
  private readonly deliveries = new Map<string, DeliveryView>();
  private readonly pendingExecutions = new Set<string>();
  private flushScheduled = false;
  private readonly unsubscribes: Array<() => void>;

  constructor(private readonly sources: SandboxSources) {
    this.modals = new ModalStacks((user, modals) => this.emit(user, { type: 'modals', modals }));
    this.unsubscribes = [
      sources.slack.onChange((change) => this.onSlackChange(change)),
      sources.ses.onMessage((message) => this.emitToAll({ type: 'email', email: emailView(message) })),
      sources.stepFunctions.onChange((arn) => this.executionChanged(arn)),
    ];
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.subscribers.clear();
  }

  isMember(user: string, channelId: string): boolean {
    return this.sources.slack
      .channels()
      .some((channel) => channel.id === channelId && channel.memberIds.includes(user));
  }

  snapshot(user: string): Snapshot {
    const { slack, stepFunctions } = this.sources;
    const channels = slack.channels().filter((channel) => channel.memberIds.includes(user));
    const messages: Record<string, SlackMessage[]> = {};
    for (const channel of channels) {
      const top = slack.messages(channel.id);
      const replies = top
        .filter((message) => (message.reply_count ?? 0) > 0)
        .flatMap((message) => slack.thread(channel.id, message.ts).slice(1));
      messages[channel.id] = [...top, ...replies].sort((a, b) => compareTs(a.ts, b.ts));
    }
    const executions = stepFunctions
      .executions()
      .slice(-MAX_EXECUTIONS)
      .reverse()
      .map((summary) =>
        executionView(summary, stepFunctions.history(summary.executionArn), this.sources.executionOutcome),
      );
    return {
      me: user,
      team: this.sources.team,
      botUserId: this.sources.botUserId,
      users: [...slack.users()],
      userGroups: [...slack.userGroups()],
      channels,
      messages,
      ephemerals: slack.ephemerals().filter((ephemeral) => ephemeral.user === user),
      modals: this.modals.stack(user),
      deliveries: [...this.deliveries.values()],
      emails: this.sources.ses.outbox().map(emailView),
      executions,
      websocketUrl: this.sources.websocketUrl,
      shortcuts: [...(this.sources.shortcuts ?? [])],
      home: slack.homeView(user),
      functions: [...(this.sources.functions ?? [])],
      functionRuns: [...slack.functionExecutions()],
    };
  }

  /** Sends `user`'s snapshot, then every change they may see, until the returned function is called. */
  subscribe(user: string, listener: Listener): () => void {
    const snapshot = this.snapshot(user);
    const subscriber: Subscriber = {
      user,
      listener,
      channels: new Set(snapshot.channels.map((channel) => channel.id)),
    };
    listener({ type: 'snapshot', snapshot });
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Follows the Events API delivery of a message the page posted, so its status shows under it. */
  trackDelivery(channel: string, ts: string, delivery: Promise<EventDeliveryReport>): void {
    this.setDelivery(deliveryView(channel, ts, undefined));
    delivery.then(
      (report) => this.setDelivery(deliveryView(channel, ts, report)),
      (error: unknown) => {
        console.error('sandbox: event delivery failed', error);
        this.setDelivery({ channel, ts, state: 'failed', attempts: [], stoppedBecause: 'closed' });
      },
    );
  }

  private setDelivery(delivery: DeliveryView): void {
    this.deliveries.set(`${delivery.channel}/${delivery.ts}`, delivery);
    this.emitToAll({ type: 'delivery', delivery });
  }

  private onSlackChange(change: SlackApiChange): void {
    switch (change.type) {
      case 'message_posted':
      case 'message_updated':
        this.emitToChannel(change.channel, {
          type: 'message',
          channel: change.channel,
          message: change.message,
        });
        return;
      case 'message_deleted':
        this.emitToChannel(change.channel, {
          type: 'message_deleted',
          channel: change.channel,
          ts: change.ts,
        });
        return;
      case 'ephemeral_posted':
        this.emitToChannel(
          change.ephemeral.channel,
          { type: 'ephemeral', ephemeral: change.ephemeral },
          change.ephemeral.user,
        );
        return;
      case 'ephemeral_deleted':
        this.emit(change.ephemeral.user, { type: 'ephemeral_deleted', ts: change.ephemeral.ts });
        return;
      case 'view_opened':
        this.modals.opened(change.view);
        return;
      case 'view_updated':
        this.modals.updated(change.view);
        return;
      case 'home_published':
        this.emit(change.userId, { type: 'home', view: change.view });
        return;
      case 'function_execution':
        this.emitToAll({ type: 'function_run', run: change.execution });
        return;
      default:
        // response_url records and raw delivery reports are shown through their effects.
        return;
    }
  }

  private executionChanged(arn: string): void {
    if (this.subscribers.size === 0) return;
    this.pendingExecutions.add(arn);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // An execution changes several times in one tick (state exited, next entered): send it once.
    setImmediate(() => {
      this.flushScheduled = false;
      const arns = [...this.pendingExecutions];
      this.pendingExecutions.clear();
      for (const execution of this.executionViews(arns)) this.emitToAll({ type: 'execution', execution });
    });
  }

  private executionViews(arns: string[]): ExecutionView[] {
    const { stepFunctions } = this.sources;
    const wanted = new Set(arns);
    return stepFunctions
      .executions()
      .filter((summary) => wanted.has(summary.executionArn))
      .map((summary) =>
        executionView(summary, stepFunctions.history(summary.executionArn), this.sources.executionOutcome),
      );
  }

  /** To the conversation's members (or only `onlyUser`, for an ephemeral). */
  private emitToChannel(channelId: string, event: LiveEvent, onlyUser?: string): void {
    const channel = this.sources.slack.channels().find((candidate) => candidate.id === channelId);
    if (channel === undefined) return;
    for (const subscriber of this.subscribers) {
      if (!channel.memberIds.includes(subscriber.user)) continue;
      if (onlyUser !== undefined && subscriber.user !== onlyUser) continue;
      if (!subscriber.channels.has(channelId)) {
        // A DM opened since the page connected: introduce it before its first message.
        subscriber.channels.add(channelId);
        this.deliver(subscriber, { type: 'channel', channel });
      }
      this.deliver(subscriber, event);
    }
  }

  private emit(user: string, event: LiveEvent): void {
    for (const subscriber of this.subscribers) if (subscriber.user === user) this.deliver(subscriber, event);
  }

  private emitToAll(event: LiveEvent): void {
    for (const subscriber of this.subscribers) this.deliver(subscriber, event);
  }

  private deliver(subscriber: Subscriber, event: LiveEvent): void {
    try {
      subscriber.listener(event);
    } catch (error) {
      // One page's broken stream must not stop the others' updates.
      console.error('sandbox: live update failed', error);
    }
  }
}
