import type { SlackView, SubmitResult } from '../../protocol';
import { post } from '../api';
import { renderBlocks } from '../block-kit/render-blocks';
import { type ElementUse, isRecord, type RenderContext } from '../block-kit/render-context';
import { plainText } from '../block-kit/text-object';
import { h, on } from '../block-kit/vnode';
import { announce, replaceChildren } from '../dom';
import { CollectingRegistry } from '../input-registry';
import type { Store } from '../store';
import { confirmWith } from './confirm-dialog';
import { conversationOptions, peopleOptions } from './message-view';

const CONTROL = 'input, select, textarea, fieldset';

/**
 * The modal on top of the person's stack, as Slack shows it: title, blocks with their inputs, close
 * and submit buttons. Submitting sends a signed `view_submission`; errors the app answers with
 * (`response_action: errors`) appear under their inputs, and the modal stays open until the app lets
 * it close. The dialog is a native `<dialog>`: focus stays inside it and Escape closes it.
 */
export class ModalDialog {
  private shown: string | undefined;
  private inputs = new CollectingRegistry();

  constructor(
    private readonly store: Store,
    private readonly dialog: HTMLDialogElement,
  ) {
    dialog.addEventListener('cancel', (event) => {
      // The server decides what closing means (a pushed view goes back); the store then closes it.
      event.preventDefault();
      void this.closeTop();
    });
  }

  render(): void {
    const view = this.store.modals.at(-1);
    if (view === undefined) {
      this.shown = undefined;
      if (this.dialog.open) this.dialog.close();
      return;
    }
    const key = `${view.id}/${view.hash}`;
    if (key === this.shown && this.dialog.open) return;
    this.shown = key;
    this.build(view);
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector<HTMLElement>(`${CONTROL}, button`)?.focus();
  }

  private build(view: SlackView): void {
    this.inputs = new CollectingRegistry();
    const prefix = `v-${view.id}`;
    const ctx: RenderContext = {
      surface: 'modal',
      idPrefix: prefix,
      userName: (id) => this.store.userName(id),
      channelName: (id) => this.store.channelName(id),
      act: (use) => void this.act(view, use),
      inputs: this.inputs,
      errors: {},
      people: peopleOptions(this.store),
      conversations: conversationOptions(this.store),
    };
    const form = h(
      'form',
      { class: 'modal-form', novalidate: true },
      h('div', { class: 'modal-header' }, h('h2', { id: 'modal-title' }, plainText(view.title))),
      h('div', { class: 'modal-body' }, ...renderBlocks(view.blocks, ctx)),
      h('p', { class: 'modal-error', id: 'modal-error', role: 'alert' }),
      h(
        'div',
        { class: 'dialog-buttons' },
        on(
          h(
            'button',
            { type: 'button', class: 'bk-button' },
            plainText(view.close) || (view.submit ? 'Cancel' : 'Close'),
          ),
          {
            click: () => void this.closeTop(),
          },
        ),
        view.submit
          ? h('button', { type: 'submit', class: 'bk-button bk-button-primary' }, plainText(view.submit))
          : null,
      ),
    );
    replaceChildren(this.dialog, form);
    const built = this.dialog.querySelector('form');
    built?.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit(view);
    });
  }

  private setError(text: string): void {
    const line = this.dialog.querySelector('#modal-error');
    if (line) line.textContent = text;
  }

  private async submit(view: SlackView): Promise<void> {
    this.setError('');
    const button = this.dialog.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (button) button.disabled = true;
    const result = await post<SubmitResult>('/api/views/submit', {
      user: this.store.me,
      viewId: view.id,
      values: this.inputs.collect(),
    });
    if (button) button.disabled = false;
    if (!result.ok) {
      this.setError(result.error);
      return;
    }
    this.showErrors(result.errors);
  }

  /** Puts each error under its input block, marks the control invalid, and moves focus to the first. */
  private showErrors(errors: Record<string, string>): void {
    const unplaced: string[] = [];
    for (const container of this.dialog.querySelectorAll<HTMLElement>('[data-block-id]')) {
      container.querySelector('.bk-error')?.remove();
      container.classList.remove('bk-input-invalid');
      const control = container.querySelector<HTMLElement>(CONTROL);
      control?.removeAttribute('aria-invalid');
      const blockId = container.dataset.blockId ?? '';
      const message = errors[blockId];
      if (message === undefined || control === null) continue;
      const errorId = `${control.id}-error`;
      const line = document.createElement('p');
      line.className = 'bk-error';
      line.id = errorId;
      line.textContent = message;
      container.append(line);
      container.classList.add('bk-input-invalid');
      control.setAttribute('aria-invalid', 'true');
      const described = (control.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter((id) => id && id !== errorId);
      control.setAttribute('aria-describedby', [...described, errorId].join(' '));
    }
    for (const [blockId, message] of Object.entries(errors)) {
      if (this.dialog.querySelector(`[data-block-id="${CSS.escape(blockId)}"]`) === null)
        unplaced.push(message);
    }
    if (unplaced.length > 0) this.setError(unplaced.join(' '));
    const firstInvalid = this.dialog.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (firstInvalid) {
      firstInvalid.focus();
      announce(`The form has ${Object.keys(errors).length} error(s).`);
    }
  }

  private async act(view: SlackView, use: ElementUse): Promise<void> {
    if (isRecord(use.element.confirm) && !(await confirmWith(use.element.confirm, this.store))) return;
    const result = await post('/api/actions', {
      user: this.store.me,
      surface: { kind: 'view', viewId: view.id },
      blockId: use.blockId,
      actionId: use.actionId,
      ...(use.choice ? { choice: use.choice } : {}),
      values: this.inputs.collect(),
    });
    if (!result.ok) this.setError(result.error);
  }

  private async closeTop(): Promise<void> {
    const view = this.store.modals.at(-1);
    if (view === undefined) {
      if (this.dialog.open) this.dialog.close();
      return;
    }
    const result = await post('/api/views/close', { user: this.store.me, viewId: view.id });
    // The server no longer has it open: nothing is left to close but the dialog itself.
    if (!result.ok) {
      this.shown = undefined;
      this.dialog.close();
    }
  }
}
