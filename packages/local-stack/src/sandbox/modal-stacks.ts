import { randomBytes } from 'node:crypto';
import type { SlackView, ViewRecord } from '../slack-api';
import { validateView } from '../slack-api/view-validator';

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * A view that a `view_submission` answer asked for (`response_action: update` or `push`). Slack
 * builds it from the answer, not through `views.*`, so the Web API stand-in never sees it; it is
 * checked like a `views.update` payload and given the ids Slack would give it.
 */
export function respondedView(current: SlackView, payload: unknown, mode: 'update' | 'push'): SlackView {
  const view = validateView(payload);
  const id = mode === 'update' ? current.id : `V${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    ...current,
    id,
    title: view.title,
    blocks: Array.isArray(view.blocks) ? view.blocks : [],
    close: view.close ?? null,
    submit: view.submit ?? null,
    private_metadata: text(view.private_metadata),
    callback_id: text(view.callback_id),
    external_id: text(view.external_id),
    state: { values: {} },
    hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    clear_on_close: view.clear_on_close === true,
    notify_on_close: view.notify_on_close === true,
    previous_view_id: mode === 'push' ? current.id : current.previous_view_id,
  };
}

export type ModalOutcome =
  | { kind: 'close' }
  | { kind: 'clear' }
  | { kind: 'update'; view: SlackView }
  | { kind: 'push'; view: SlackView };

/**
 * The modals each person has open, as Slack's client keeps them: `views.open` starts a stack,
 * `views.push` adds to it, `views.update` changes a view in place, and a submission's answer
 * closes, clears, updates or pushes. Every change is reported with the person's whole stack.
 */
export class ModalStacks {
  private readonly stacks = new Map<string, SlackView[]>();

  constructor(private readonly changed: (user: string, modals: SlackView[]) => void) {}

  stack(user: string): SlackView[] {
    return [...(this.stacks.get(user) ?? [])];
  }

  find(user: string, viewId: string): SlackView | undefined {
    return this.stacks.get(user)?.find((view) => view.id === viewId);
  }

  opened(record: ViewRecord): void {
    // A view opened with a trigger id that named nobody is on no one's screen.
    if (record.userId === undefined) return;
    const { view } = record;
    const current = this.stacks.get(record.userId) ?? [];
    const pushed =
      view.previous_view_id !== null && current.some((open) => open.id === view.previous_view_id);
    this.set(record.userId, pushed ? [...current, view] : [view]);
  }

  updated(record: ViewRecord): void {
    for (const [user, views] of this.stacks) {
      if (!views.some((view) => view.id === record.view.id)) continue;
      this.set(
        user,
        views.map((view) => (view.id === record.view.id ? record.view : view)),
      );
    }
  }

  /** What a submission (or a close) did to the view `viewId` on `user`'s screen. */
  apply(user: string, viewId: string, outcome: ModalOutcome): void {
    const views = this.stacks.get(user) ?? [];
    const index = views.findIndex((view) => view.id === viewId);
    if (index < 0) return;
    switch (outcome.kind) {
      case 'clear':
        this.set(user, []);
        return;
      case 'close':
        this.set(user, views.slice(0, index));
        return;
      case 'update':
        this.set(
          user,
          views.map((view, position) => (position === index ? outcome.view : view)),
        );
        return;
      case 'push':
        this.set(user, [...views.slice(0, index + 1), outcome.view]);
        return;
    }
  }

  private set(user: string, views: SlackView[]): void {
    if (views.length === 0) this.stacks.delete(user);
    else this.stacks.set(user, views);
    this.changed(user, [...views]);
  }
}
