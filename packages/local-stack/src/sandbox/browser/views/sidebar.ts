import { h, on } from '../block-kit/vnode';
import { byId, replaceChildren } from '../dom';
import type { Store } from '../store';

/** The sidebar entry of the app's Home tab; it names no conversation. */
export const HOME_ENTRY = 'app-home';

/**
 * The conversation list: channels the person is in, then direct messages, starting with their DM with
 * the app (shown before it exists: typing there opens it, as in Slack). New activity elsewhere is marked.
 */
export function renderSidebar(
  store: Store,
  current: string,
  unread: ReadonlySet<string>,
  select: (channel: string) => void,
): void {
  const item = (id: string, label: string, prefix: string) => {
    const isCurrent = id === current;
    const hasNews = unread.has(id) && !isCurrent;
    return h(
      'li',
      {},
      on(
        h(
          'button',
          {
            type: 'button',
            class: `sidebar-item${hasNews ? ' unread' : ''}`,
            'aria-current': isCurrent ? 'page' : undefined,
            'data-channel': id,
          },
          h('span', { class: 'sidebar-prefix', 'aria-hidden': 'true' }, prefix),
          label,
          hasNews ? h('span', { class: 'visually-hidden' }, ' (new messages)') : null,
        ),
        { click: () => select(id) },
      ),
    );
  };
  const channels = [...store.channels.values()].filter(
    (channel) => channel.kind === 'public' || channel.kind === 'private',
  );
  replaceChildren(
    byId('channel-list'),
    ...channels.map((channel) => item(channel.id, channel.name, channel.kind === 'private' ? '🔒' : '#')),
  );
  const appDm = store.appDm();
  const groups = [...store.channels.values()].filter((channel) => channel.kind === 'mpim');
  replaceChildren(
    byId('dm-list'),
    item(appDm?.id ?? store.botUserId, `${store.userName(store.botUserId)} (app)`, '●'),
    // The app's Home tab, under the app as in Slack's sidebar.
    item(HOME_ENTRY, `${store.userName(store.botUserId)} Home`, '⌂'),
    ...groups.map((channel) =>
      item(
        channel.id,
        channel.memberIds
          .filter((id) => id !== store.me)
          .map((id) => store.userName(id))
          .join(', '),
        '●',
      ),
    ),
  );
}
