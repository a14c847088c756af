import { h, on } from '../block-kit/vnode';
import { reconcile, replaceChildren } from '../dom';
import type { PageContext } from '../page-context';
import { attachComposer } from './composer';
import { entryVersion, renderEntry } from './message-view';

/**
 * The thread pane: the root message, its replies and a reply composer. What a person types here is
 * posted in the thread and delivered to the app as an Events API `message` event, whose delivery
 * status shows under the reply.
 */
export class ThreadPanel {
  private thread: { channel: string; ts: string } | undefined;

  constructor(
    private readonly page: PageContext,
    private readonly panel: HTMLElement,
    private readonly onClose: () => void,
  ) {
    this.renderEmpty();
  }

  get current(): { channel: string; ts: string } | undefined {
    return this.thread;
  }

  open(channel: string, ts: string): void {
    this.thread = { channel, ts };
    const { store } = this.page;
    replaceChildren(
      this.panel,
      h(
        'div',
        { class: 'panel-header' },
        h(
          'h2',
          { id: 'thread-title' },
          `Thread in ${store.channels.get(channel)?.kind === 'im' ? 'your DM with the app' : `#${store.channelName(channel)}`}`,
        ),
        on(
          h(
            'button',
            { type: 'button', class: 'bk-button', 'data-focus-key': 'close-thread' },
            'Close thread',
          ),
          {
            click: () => this.close(),
          },
        ),
      ),
      h('div', { class: 'thread-root', id: 'thread-root' }),
      h('h3', { class: 'replies-heading', id: 'replies-heading' }, 'Replies'),
      h('div', {
        class: 'messages thread-replies',
        id: 'thread-replies',
        role: 'log',
        'aria-labelledby': 'replies-heading',
      }),
      h(
        'form',
        { class: 'composer thread-composer', id: 'thread-composer', novalidate: true },
        h('label', { class: 'visually-hidden', for: 'thread-input' }, 'Reply in thread'),
        h('textarea', {
          id: 'thread-input',
          rows: 2,
          placeholder: 'Reply…',
          'aria-describedby': 'thread-hint thread-error',
        }),
        h('button', { type: 'submit', class: 'send' }, 'Reply'),
        h('p', { class: 'hint', id: 'thread-hint' }, 'Replies reach the app as Events API message events.'),
        h('p', { class: 'composer-error', id: 'thread-error', role: 'alert' }),
      ),
    );
    attachComposer(
      this.panel.querySelector('#thread-composer') as HTMLFormElement,
      this.panel.querySelector('#thread-input') as HTMLTextAreaElement,
      this.panel.querySelector('#thread-error') as HTMLElement,
      store,
      { channel: () => channel, threadTs: () => ts },
    );
    this.render();
  }

  close(): void {
    this.thread = undefined;
    this.renderEmpty();
    this.onClose();
  }

  render(): void {
    const thread = this.thread;
    if (thread === undefined) return;
    const { store } = this.page;
    const root = store.message(thread.channel, thread.ts);
    const rootContainer = this.panel.querySelector('#thread-root');
    const replies = this.panel.querySelector('#thread-replies');
    if (rootContainer === null || replies === null) return;
    const rootEntries = root ? [{ kind: 'message' as const, ts: root.ts, message: root }] : [];
    reconcile(
      rootContainer,
      rootEntries.map((entry) => ({
        key: `root-${entry.ts}`,
        version: entryVersion(entry, thread.channel, store, true),
        render: () => renderEntry(entry, thread.channel, this.page, { inThread: true }),
      })),
    );
    reconcile(
      replies,
      store.replies(thread.channel, thread.ts).map((entry) => ({
        key: `${entry.kind}-${entry.ts}`,
        version: entryVersion(entry, thread.channel, store, true),
        render: () => renderEntry(entry, thread.channel, this.page, { inThread: true }),
      })),
    );
  }

  private renderEmpty(): void {
    replaceChildren(
      this.panel,
      h('h2', {}, 'Thread'),
      h('p', { class: 'empty' }, 'Choose "Reply in thread" under a message to open its thread here.'),
    );
  }
}
