import { byId, reconcile } from '../dom';
import type { PageContext } from '../page-context';
import { entryVersion, renderEntry } from './message-view';

function title(page: PageContext, channel: string): string {
  const { store } = page;
  if (channel === store.botUserId || store.channels.get(channel)?.kind === 'im')
    return `${store.userName(store.botUserId)} (app)`;
  const record = store.channels.get(channel);
  return record === undefined ? channel : `#${record.name}`;
}

/** The conversation pane: its title, its messages (kept in place as they change), the composer's prompt. */
export function renderConversation(page: PageContext, channel: string): void {
  const { store } = page;
  const heading = title(page, channel);
  byId('conversation-title').textContent = heading;
  byId('conversation-topic').textContent =
    `You are ${store.userName(store.me)}. What you type is posted as them; slash commands go to the app signed, as Slack sends them.`;
  byId<HTMLTextAreaElement>('composer-input').placeholder = `Message ${heading}, or /greenlight help`;
  const list = byId('messages');
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const entries = store.timeline(channel);
  reconcile(
    list,
    entries.map((entry) => ({
      key: `${entry.kind}-${entry.ts}`,
      version: entryVersion(entry, channel, store, false),
      render: () => renderEntry(entry, channel, page, { inThread: false }),
    })),
  );
  if (entries.length === 0 && list.childElementCount === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'No messages yet. Try /greenlight help.';
    list.append(empty);
  }
  if (nearBottom) list.scrollTop = list.scrollHeight;
}
