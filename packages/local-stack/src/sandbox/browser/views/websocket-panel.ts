import type { TokenResult } from '../../protocol';
import { post } from '../api';
import { h, on } from '../block-kit/vnode';
import { formatTime, replaceChildren } from '../dom';
import type { Store } from '../store';

function pretty(data: string): string {
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return data;
  }
}

/**
 * A WebSocket client of the product's WebSocket API: the server mints a signed token for the acting
 * person (the page never sees the key, and does not show the token), the browser connects to the
 * gateway with it, sends `{"action":"sendmessage","message":…}` (or a raw frame) and lists every
 * frame both ways: replies, broadcasts, and answers typed in the Slack thread.
 */
export class WebSocketPanel {
  private socket: WebSocket | undefined;
  private built = false;

  constructor(
    private readonly store: Store,
    private readonly panel: HTMLElement,
  ) {}

  render(): void {
    if (this.built) {
      this.describe();
      return;
    }
    this.built = true;
    replaceChildren(
      this.panel,
      h('h2', {}, 'WebSocket client'),
      h('p', { class: 'panel-intro', id: 'ws-intro' }),
      h('p', { class: 'ws-status', id: 'ws-status', role: 'status' }, 'Not connected.'),
      h(
        'div',
        { class: 'dialog-buttons ws-buttons' },
        on(
          h('button', { type: 'button', class: 'bk-button bk-button-primary', id: 'ws-connect' }, 'Connect'),
          {
            click: () => void this.connect(),
          },
        ),
        on(
          h(
            'button',
            { type: 'button', class: 'bk-button', id: 'ws-disconnect', disabled: true },
            'Disconnect',
          ),
          {
            click: () => this.socket?.close(1000, 'Closed from the sandbox'),
          },
        ),
      ),
      h(
        'form',
        { class: 'ws-form', id: 'ws-form', novalidate: true },
        h('label', { for: 'ws-message' }, 'Message'),
        h('input', { id: 'ws-message', type: 'text', autocomplete: 'off', 'aria-describedby': 'ws-format' }),
        h(
          'div',
          { class: 'bk-choice' },
          h('input', { id: 'ws-raw', type: 'checkbox' }),
          h('label', { for: 'ws-raw' }, 'Send the text as a raw frame'),
        ),
        h(
          'p',
          { class: 'hint', id: 'ws-format' },
          'Sent as {"action":"sendmessage","message":"…"} unless sent raw.',
        ),
        h('button', { type: 'submit', class: 'bk-button', id: 'ws-send', disabled: true }, 'Send frame'),
      ),
      h('h3', { id: 'ws-frames-heading' }, 'Frames'),
      h('ol', { class: 'frames', id: 'ws-frames', role: 'log', 'aria-labelledby': 'ws-frames-heading' }),
    );
    this.panel.querySelector('#ws-form')?.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    this.describe();
  }

  private describe(): void {
    const intro = this.panel.querySelector('#ws-intro');
    if (intro) {
      intro.textContent = `Connects to ${this.store.websocketUrl} as ${this.store.userName(this.store.me)}, with a token the sandbox signs for them.`;
    }
  }

  private element<T extends HTMLElement>(id: string): T {
    return this.panel.querySelector(`#${id}`) as T;
  }

  private status(text: string, connected: boolean): void {
    this.element('ws-status').textContent = text;
    this.element<HTMLButtonElement>('ws-connect').disabled = connected;
    this.element<HTMLButtonElement>('ws-disconnect').disabled = !connected;
    this.element<HTMLButtonElement>('ws-send').disabled = !connected;
  }

  private frame(direction: 'sent' | 'received', data: string): void {
    const item = document.createElement('li');
    item.className = `frame frame-${direction}`;
    const meta = document.createElement('span');
    meta.className = 'frame-meta';
    meta.textContent = `${direction === 'sent' ? '→ Sent' : '← Received'} at ${formatTime(new Date())}`;
    const body = document.createElement('pre');
    body.textContent = pretty(data);
    item.append(meta, body);
    this.element('ws-frames').append(item);
  }

  private async connect(): Promise<void> {
    const who = this.store.userName(this.store.me);
    this.status(`Minting a token for ${who}…`, true);
    const minted = await post<TokenResult>('/api/websocket/token', { user: this.store.me });
    if (!minted.ok) {
      this.status(`Could not mint a token: ${minted.error}`, false);
      return;
    }
    this.status('Connecting…', true);
    const socket = new WebSocket(minted.url);
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      this.status(
        `Connected as ${who}; the token expires at ${formatTime(new Date(minted.expiresAt))}.`,
        true,
      );
      this.element('ws-message').focus();
    });
    socket.addEventListener('message', (event) => {
      this.frame('received', typeof event.data === 'string' ? event.data : '[binary frame]');
    });
    socket.addEventListener('close', (event) => {
      if (this.socket === socket) this.socket = undefined;
      this.status(
        opened
          ? `Closed (${event.code}${event.reason ? `: ${event.reason}` : ''}).`
          : 'The gateway refused the connection (the $connect route answered with an error).',
        false,
      );
    });
  }

  private send(): void {
    const input = this.element<HTMLInputElement>('ws-message');
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN || input.value === '') return;
    const raw = this.element<HTMLInputElement>('ws-raw').checked;
    const data = raw ? input.value : JSON.stringify({ action: 'sendmessage', message: input.value });
    socket.send(data);
    this.frame('sent', data);
    input.value = '';
  }
}
