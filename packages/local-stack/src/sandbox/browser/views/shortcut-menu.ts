import type { ShortcutDefinition } from '../../protocol';
import { type Child, h, on } from '../block-kit/vnode';

/**
 * A menu of the app's shortcuts, as Slack lists them: the Shortcuts button by the composer (global
 * ones) and each message's "More actions" (message ones). A native disclosure, so it opens and
 * closes with the keyboard; choosing an item closes it.
 */
export function shortcutMenu(
  label: string,
  shortcuts: ReadonlyArray<ShortcutDefinition>,
  choose: (shortcut: ShortcutDefinition) => void,
  options: { className: string; accessibleName: string },
): Child | null {
  if (shortcuts.length === 0) return null;
  // The list is hidden while closed, so nothing in it counts as on the page (or in the tab order).
  const menu = on(
    h(
      'details',
      { class: `menu ${options.className}` },
      h(
        'summary',
        { class: 'menu-button', 'aria-label': options.accessibleName, 'data-focus-key': options.className },
        label,
      ),
      h(
        'ul',
        { class: 'menu-list', 'aria-label': options.accessibleName, hidden: true },
        shortcuts.map((shortcut) =>
          h(
            'li',
            {},
            on(
              h(
                'button',
                { type: 'button', class: 'menu-item', 'data-callback-id': shortcut.callbackId },
                h('span', { class: 'menu-item-name' }, shortcut.name),
                h('span', { class: 'menu-item-description' }, shortcut.description),
              ),
              {
                click: (event) => {
                  (event.currentTarget as HTMLElement).closest('details')?.removeAttribute('open');
                  choose(shortcut);
                },
              },
            ),
          ),
        ),
      ),
    ),
    {
      toggle: (event) => {
        const details = event.currentTarget as HTMLDetailsElement;
        const list = details.querySelector('.menu-list');
        if (list instanceof HTMLElement) list.hidden = !details.open;
      },
    },
  );
  return menu;
}
