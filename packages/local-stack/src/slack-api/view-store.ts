import { randomBytes } from 'node:crypto';
import type { ChangeFeed } from './change-feed';
import { SlackApiError } from './slack-api-error';
import type { Clock, SlackView, ViewRecord } from './types';
import { type ViewPayload, validateView } from './view-validator';
import type { AppIdentity } from './workspace';

/** Slack keeps at most three modals on a user's stack. */
const MAX_STACK = 3;

function optionalString(view: ViewPayload, key: string): string {
  const value = view[key];
  return typeof value === 'string' ? value : '';
}

export interface ViewStoreSnapshot {
  records: ViewRecord[];
  counter: number;
}

/** The modals opened through `views.*`, with their ids, hashes and stacks. */
export class ViewStore {
  private readonly records: ViewRecord[] = [];
  private counter = 0;

  constructor(
    private readonly identity: AppIdentity,
    private readonly now: Clock,
    private readonly feed: ChangeFeed,
  ) {}

  snapshot(): ViewStoreSnapshot {
    return { records: this.records, counter: this.counter };
  }

  restore(snapshot: ViewStoreSnapshot): void {
    this.records.splice(0, this.records.length, ...snapshot.records);
    this.counter = snapshot.counter;
  }

  open(payload: unknown, userId: string | undefined): SlackView {
    const view = this.build(validateView(payload), undefined, null);
    this.add(view, userId);
    return structuredClone(view);
  }

  /** Pushes onto the stack of the user's newest open modal. */
  push(payload: unknown, userId: string | undefined): SlackView {
    const checked = validateView(payload);
    const top = [...this.records].reverse().find((record) => record.userId === userId);
    if (top === undefined) return this.open(checked, userId);
    const depth = this.records.filter((record) => record.view.root_view_id === top.view.root_view_id).length;
    if (depth >= MAX_STACK) throw new SlackApiError('push_limit_reached');
    const view = this.build(checked, top.view.root_view_id, top.view.id);
    this.add(view, userId);
    return structuredClone(view);
  }

  update(
    target: { viewId?: string; externalId?: string },
    payload: unknown,
    hash: string | undefined,
  ): SlackView {
    const record = this.records.find(
      (candidate) =>
        (target.viewId !== undefined && candidate.view.id === target.viewId) ||
        (target.externalId !== undefined && candidate.view.external_id === target.externalId),
    );
    if (record === undefined) throw new SlackApiError('not_found');
    // The hash guards against two updates racing: only the holder of the latest one may write.
    if (hash !== undefined && hash !== record.view.hash) throw new SlackApiError('hash_conflict');
    record.view = this.build(
      validateView(payload),
      record.view.root_view_id,
      record.view.previous_view_id,
      record.view.id,
    );
    this.feed.emit({ type: 'view_updated', view: structuredClone(record) });
    return structuredClone(record.view);
  }

  list(): ViewRecord[] {
    return this.records.map((record) => structuredClone(record));
  }

  private add(view: SlackView, userId: string | undefined): void {
    const externalId = view.external_id;
    if (externalId !== '' && this.records.some((record) => record.view.external_id === externalId)) {
      throw new SlackApiError('duplicate_external_id');
    }
    const record: ViewRecord = { view, userId, openedAt: new Date(this.now()).toISOString() };
    this.records.push(record);
    this.feed.emit({ type: 'view_opened', view: structuredClone(record) });
  }

  private build(
    view: ViewPayload,
    rootViewId: string | undefined,
    previousViewId: string | null,
    id?: string,
  ): SlackView {
    const viewId = id ?? this.nextId();
    return {
      id: viewId,
      team_id: this.identity.teamId,
      type: 'modal',
      title: view.title,
      blocks: Array.isArray(view.blocks) ? view.blocks : [],
      close: view.close ?? null,
      submit: view.submit ?? null,
      private_metadata: optionalString(view, 'private_metadata'),
      callback_id: optionalString(view, 'callback_id'),
      external_id: optionalString(view, 'external_id'),
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      root_view_id: rootViewId ?? viewId,
      previous_view_id: previousViewId,
      app_id: this.identity.appId,
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
  }

  private nextId(): string {
    this.counter += 1;
    return `V${String(this.counter).padStart(10, '0')}`;
  }
}
