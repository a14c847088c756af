import { isRecord, type Json } from '../block-kit/render-context';
import { plainText, textObject } from '../block-kit/text-object';
import { h, on } from '../block-kit/vnode';
import { byId, replaceChildren } from '../dom';
import type { Store } from '../store';

/**
 * A button's `confirm` object as Slack shows it: a dialog with its title, text and two buttons. Resolves
 * true only for the confirm button; Escape or the deny button cancel, and nothing is sent.
 */
export function confirmWith(confirm: Json, store: Store): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm');
  return new Promise((resolve) => {
    const finish = (confirmed: boolean) => {
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      resolve(confirmed);
    };
    const onClose = () => finish(false);
    const style = confirm.style === 'danger' ? ' bk-button-danger' : ' bk-button-primary';
    replaceChildren(
      dialog,
      h('h2', { id: 'confirm-title' }, plainText(confirm.title) || 'Are you sure?'),
      h(
        'div',
        { id: 'confirm-text', class: 'bk-text' },
        ...(isRecord(confirm.text) ? textObject(confirm.text, store) : []),
      ),
      h(
        'div',
        { class: 'dialog-buttons' },
        on(
          h(
            'button',
            { type: 'button', class: 'bk-button', 'data-focus-key': 'deny' },
            plainText(confirm.deny) || 'Cancel',
          ),
          {
            click: () => finish(false),
          },
        ),
        on(h('button', { type: 'button', class: `bk-button${style}` }, plainText(confirm.confirm) || 'Yes'), {
          click: () => finish(true),
        }),
      ),
    );
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    // The safe choice has focus first, as in Slack.
    dialog.querySelector<HTMLElement>('[data-focus-key="deny"]')?.focus();
  });
}
