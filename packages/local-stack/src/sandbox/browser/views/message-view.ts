import type { Surface } from '../../protocol';
import { renderMessageContent } from '../block-kit/render-blocks';
import type { RenderContext } from '../block-kit/render-context';
import { type Child, h, on } from '../block-kit/vnode';
import { formatTime, tsDate } from '../dom';
import { CollectingRegistry } from '../input-registry';
import type { PageContext } from '../page-context';
import type { Entry, Store } from '../store';
import { shortcutMenu } from './shortcut-menu';

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .map((part) => part[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase() || '?'
  );
}

export function blockContext(
  page: PageContext,
  surface: Surface,
  where: { channel: string; threadTs?: string },
  idPrefix: string,
): RenderContext {
  const { store } = page;
  const inputs = new CollectingRegistry();
  return {
    surface: 'message',
    idPrefix,
    userName: (id) => store.userName(id),
    channelName: (id) => store.channelName(id),
    act: (use) => page.act(surface, use, inputs.collect(), where),
    inputs,
    errors: {},
    people: peopleOptions(store),
    conversations: conversationOptions(store),
  };
}

export function peopleOptions(store: Store) {
  return store.users.filter((user) => !user.isBot).map((user) => ({ value: user.id, label: user.realName }));
}

export function conversationOptions(store: Store) {
  return [...store.channels.values()]
    .filter((channel) => channel.kind === 'public' || channel.kind === 'private')
    .map((channel) => ({ value: channel.id, label: `#${channel.name}` }));
}

function header(author: string, isApp: boolean, ts: string, extra: Array<Child | null> = []): Child {
  const date = tsDate(ts);
  return h(
    'div',
    { class: 'message-meta' },
    h('span', { class: 'message-author' }, author),
    isApp ? h('span', { class: 'app-badge' }, 'APP') : null,
    h('time', { datetime: date.toISOString() }, formatTime(date)),
    ...extra,
  );
}

function avatar(name: string, isApp: boolean): Child {
  return h('div', { class: `avatar${isApp ? ' avatar-app' : ''}`, 'aria-hidden': 'true' }, initials(name));
}

/** Who a message is from, as Slack names it: the app's name for bot messages, the person's otherwise. */
function authorOf(store: Store, message: { user?: string; bot_id?: string; bot_profile?: { name: string } }) {
  if (message.bot_id !== undefined) {
    // Slack shows the app's display name; the bot user's real name is that name here.
    const botUser = message.user === undefined ? undefined : store.user(message.user);
    return { name: botUser?.realName ?? message.bot_profile?.name ?? 'App', isApp: true };
  }
  const user = message.user === undefined ? undefined : store.user(message.user);
  return { name: user?.realName ?? message.user ?? 'Someone', isApp: user?.isBot ?? false };
}

function deliveryNote(page: PageContext, channel: string, ts: string): Child | null {
  const delivery = page.store.delivery(channel, ts);
  if (delivery === undefined) return null;
  const attempts = delivery.attempts.join(', ');
  const text =
    delivery.state === 'pending'
      ? 'Delivering to the app as an Events API message event…'
      : delivery.state === 'delivered'
        ? `Delivered to the app as an Events API message event (HTTP ${attempts}).`
        : `The app did not accept the event: ${delivery.stoppedBecause ?? 'failed'}${attempts ? ` (${attempts})` : ''}.`;
  return h('p', { class: `delivery delivery-${delivery.state}` }, text);
}

/** One line of a conversation or thread: a message, an ephemeral, or a note from Slack's client. */
export function renderEntry(
  entry: Entry,
  channel: string,
  page: PageContext,
  options: { inThread: boolean },
): Child {
  const { store } = page;
  const key = `${channel}-${entry.ts.replace('.', '_')}`;
  if (entry.kind === 'notice') {
    return h(
      'article',
      {
        class: 'message message-ephemeral',
        tabindex: '-1',
        'aria-label': 'Message from Slackbot, only visible to you',
      },
      avatar('Slackbot', true),
      h(
        'div',
        { class: 'message-body' },
        header('Slackbot', false, entry.ts, [h('span', { class: 'ephemeral-label' }, 'Only visible to you')]),
        h('p', { class: 'bk-text notice-text' }, entry.notice.text),
      ),
    );
  }
  if (entry.kind === 'ephemeral') {
    const { ephemeral } = entry;
    const surface: Surface = { kind: 'ephemeral', ts: ephemeral.ts };
    const ctx = blockContext(
      page,
      surface,
      { channel, ...(ephemeral.threadTs ? { threadTs: ephemeral.threadTs } : {}) },
      `e-${key}`,
    );
    const app = store.userName(store.botUserId);
    return h(
      'article',
      {
        class: 'message message-ephemeral',
        tabindex: '-1',
        'aria-label': `Message from ${app}, only visible to you`,
      },
      avatar(app, true),
      h(
        'div',
        { class: 'message-body' },
        header(app, true, ephemeral.ts, [h('span', { class: 'ephemeral-label' }, 'Only visible to you')]),
        h(
          'div',
          { class: 'message-content' },
          ...renderMessageContent(
            ephemeral.blocks ? { text: ephemeral.text, blocks: ephemeral.blocks } : { text: ephemeral.text },
            ctx,
          ),
        ),
      ),
    );
  }
  const { message } = entry;
  const author = authorOf(store, message);
  if (message.subtype === 'tombstone') {
    return h(
      'article',
      { class: 'message message-tombstone', tabindex: '-1' },
      h('p', { class: 'bk-text' }, message.text),
    );
  }
  const threadTs =
    message.thread_ts !== undefined && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  const surface: Surface = { kind: 'message', channel, ts: message.ts, ...(threadTs ? { threadTs } : {}) };
  const ctx = blockContext(page, surface, { channel, ...(threadTs ? { threadTs } : {}) }, `m-${key}`);
  const summary = options.inThread ? { count: 0, users: [] } : store.replySummary(channel, message.ts);
  const openThread = () => page.openThread(channel, message.ts);
  const replyLabel = summary.count === 1 ? '1 reply' : `${summary.count} replies`;
  return h(
    'article',
    { class: 'message', tabindex: '-1', 'aria-label': `Message from ${author.name}` },
    avatar(author.name, author.isApp),
    h(
      'div',
      { class: 'message-body' },
      header(author.name, author.isApp, message.ts, [
        message.edited ? h('span', { class: 'edited' }, '(edited)') : null,
        shortcutMenu(
          'More actions',
          store.shortcuts.filter((shortcut) => shortcut.type === 'message'),
          (shortcut) =>
            page.runShortcut(shortcut.callbackId, {
              channel,
              ts: message.ts,
              ...(threadTs ? { threadTs } : {}),
            }),
          {
            className: 'more-actions',
            accessibleName: `More actions for the message from ${author.name}`,
            key: `message-${channel}-${message.ts}`,
          },
        ),
      ]),
      h('div', { class: 'message-content' }, ...renderMessageContent(message, ctx)),
      deliveryNote(page, channel, message.ts),
      options.inThread
        ? null
        : h(
            'div',
            { class: 'message-footer' },
            summary.count > 0
              ? on(
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-button thread-summary',
                      'data-focus-key': 'thread-summary',
                    },
                    `${replyLabel} from ${summary.users.map((id) => store.userName(id)).join(', ')}`,
                  ),
                  { click: openThread },
                )
              : on(
                  h(
                    'button',
                    { type: 'button', class: 'link-button reply-button', 'data-focus-key': 'reply' },
                    'Reply in thread',
                  ),
                  {
                    click: openThread,
                  },
                ),
          ),
    ),
  );
}

/** Changes whenever anything the entry shows changes, so unchanged messages keep their DOM (and focus). */
export function entryVersion(entry: Entry, channel: string, store: Store, inThread: boolean): string {
  if (entry.kind === 'message') {
    const summary = inThread ? '' : JSON.stringify(store.replySummary(channel, entry.ts));
    return `${JSON.stringify(entry.message)}|${summary}|${JSON.stringify(store.delivery(channel, entry.ts) ?? null)}`;
  }
  return JSON.stringify(entry.kind === 'ephemeral' ? entry.ephemeral : entry.notice);
}
