import type { ShortcutDefinition } from '../../protocol';
import { type Child, h, on } from '../block-kit/vnode';

/** Menus open now, by key: a message redrawn while its menu is open (its delivery settling, say) keeps it open. */
const openMenus = new Set<string>();

/**
 * A menu of the app's shortcuts, as Slack lists them: the Shortcuts button by the composer (global
 * ones) and each message's "More actions" (message ones). A native disclosure, so it opens and
 * closes with the keyboard; choosing an item closes it.
 */
export function shortcutMenu(
  label: string,
  shortcuts: ReadonlyArray<ShortcutDefinition>,
  choose: (shortcut: ShortcutDefinition) => void,
  options: { className: string; accessibleName: string; key: string },
): Child | null {
  if (shortcuts.length === 0) return null;
  const isOpen = openMenus.has(options.key);
  // The list is hidden while closed, so nothing in it counts as on the page (or in the tab order).
  const menu = on(
    h(
      'details',
      { class: `menu ${options.className}`, open: isOpen },
      h(
        'summary',
        { class: 'menu-button', 'aria-label': options.accessibleName, 'data-focus-key': options.className },
        label,
      ),
      h(
        'ul',
        { class: 'menu-list', 'aria-label': options.accessibleName, hidden: !isOpen },
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
        if (details.open) openMenus.add(options.key);
        else openMenus.delete(options.key);
      },
    },
  );
  return menu;
}
