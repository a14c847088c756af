import type { CommandResult } from '../../protocol';
import { post } from '../api';
import { announce } from '../dom';
import type { Store } from '../store';
import { attachMentionAutocomplete } from './mention-autocomplete';

export interface ComposerTarget {
  channel: () => string;
  threadTs?: () => string | undefined;
}

/**
 * A composer: Enter sends, Shift+Enter adds a line. In a conversation, text that starts with `/` runs a
 * slash command (signed by the server, as Slack signs it); anything else is posted as the person and
 * delivered to the app as an Events API event. A failed command shows as Slackbot's note, as in Slack.
 * `@` suggests people to mention (mention-autocomplete.ts).
 */
export function attachComposer(
  form: HTMLFormElement,
  input: HTMLTextAreaElement,
  errorLine: HTMLElement,
  store: Store,
  target: ComposerTarget,
): void {
  const setError = (text: string) => {
    errorLine.textContent = text;
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  };
  const send = async () => {
    const text = input.value.trim();
    if (text === '') {
      setError('Type a message or a slash command first.');
      return;
    }
    setError('');
    const channel = target.channel();
    const threadTs = target.threadTs?.();
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (button) button.disabled = true;
    try {
      if (text.startsWith('/') && threadTs === undefined) {
        input.value = '';
        const result = await post<CommandResult>('/api/commands', { user: store.me, channel, text });
        if (!result.ok) store.addNotice(channel, result.error);
        else if (result.shown === 'nothing') announce(`${text.split(/\s/)[0]} sent.`);
        return;
      }
      const result = await post<{ channel: string; ts: string }>('/api/messages', {
        user: store.me,
        channel,
        text,
        ...(threadTs !== undefined ? { threadTs } : {}),
      });
      if (result.ok) input.value = '';
      else setError(result.error);
    } finally {
      if (button) button.disabled = false;
      input.focus();
    }
  };
  attachMentionAutocomplete(input, store);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  });
}
