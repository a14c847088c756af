import type { Surface } from '../../protocol';
import { post } from '../api';
import { renderBlocks } from '../block-kit/render-blocks';
import { h } from '../block-kit/vnode';
import { byId, replaceChildren } from '../dom';
import { CollectingRegistry } from '../input-registry';
import type { PageContext } from '../page-context';
import { conversationOptions, peopleOptions } from './message-view';

const HOME_SURFACE: Surface = { kind: 'home' };

/** Opening the Home tab tells the app (`app_home_opened`), which publishes what it shows. */
export async function openHome(page: PageContext): Promise<void> {
  const result = await post('/api/home/open', { user: page.store.me });
  if (!result.ok) showHomeError(result.error);
}

function showHomeError(text: string): void {
  const line = document.getElementById('home-error');
  if (line) line.textContent = text;
}

/**
 * The app's Home tab in the conversation pane: the view the app published with views.publish,
 * rendered like any Block Kit surface; its buttons send block_actions from a view of type home.
 */
export function renderHome(page: PageContext): void {
  const { store } = page;
  byId('conversation-title').textContent = `${store.userName(store.botUserId)} Home`;
  byId('conversation-topic').textContent =
    `The app's Home tab, as ${store.userName(store.me)} sees it. Opening it sends the app app_home_opened; the app publishes it with views.publish.`;
  const inputs = new CollectingRegistry();
  const view = store.home;
  const content = view
    ? renderBlocks(view.blocks, {
        surface: 'message',
        idPrefix: `home-${view.id}`,
        userName: (id) => store.userName(id),
        channelName: (id) => store.channelName(id),
        act: (use) => page.act(HOME_SURFACE, use, inputs.collect(), { channel: store.botUserId }),
        inputs,
        errors: {},
        people: peopleOptions(store),
        conversations: conversationOptions(store),
      })
    : [h('p', { class: 'empty' }, 'Waiting for the app to publish its Home…')];
  replaceChildren(
    byId('messages'),
    h(
      'section',
      { class: 'home-tab', 'aria-label': 'Home tab', 'data-view-id': view?.id ?? '' },
      ...content,
      h('p', { class: 'composer-error', id: 'home-error', role: 'alert' }),
    ),
  );
}
