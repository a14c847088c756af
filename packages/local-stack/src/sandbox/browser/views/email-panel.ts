import type { EmailView } from '../../protocol';
import { h, on } from '../block-kit/vnode';
import { formatTime, replaceChildren } from '../dom';
import type { Store } from '../store';

/**
 * The SES outbox: every e-mail the app sent, newest first. The chosen one is shown as a mail client
 * would, in a sandboxed frame without scripts, whose links open in a new tab; its web links are also
 * listed, so each link's page (for approval links: a confirmation page whose form decides) is one
 * click away.
 */
export class EmailPanel {
  private selected: string | undefined;
  private shownDetail: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly panel: HTMLElement,
  ) {
    replaceChildren(
      panel,
      h('h2', {}, 'E-mail outbox'),
      h(
        'p',
        { class: 'panel-intro' },
        'Every e-mail the app sends through SES lands here instead of a mailbox.',
      ),
      h('ul', { class: 'email-list', id: 'email-list', 'aria-label': 'E-mails, newest first' }),
      h('div', { class: 'email-detail', id: 'email-detail' }),
    );
  }

  render(): void {
    const emails = [...this.store.emails].reverse();
    if (this.selected === undefined || !emails.some((email) => email.messageId === this.selected)) {
      this.selected = emails[0]?.messageId;
    }
    const list = this.panel.querySelector('#email-list');
    if (list === null) return;
    replaceChildren(
      list,
      ...emails.map((email) =>
        h(
          'li',
          {},
          on(
            h(
              'button',
              {
                type: 'button',
                class: 'email-item',
                'aria-current': email.messageId === this.selected ? 'true' : undefined,
                'data-focus-key': `email-${email.messageId}`,
              },
              h('span', { class: 'email-subject' }, email.subject || '(no subject)'),
              h(
                'span',
                { class: 'email-meta' },
                `To ${email.to.join(', ')} · ${formatTime(new Date(email.sentAt))}`,
              ),
            ),
            {
              click: () => {
                this.selected = email.messageId;
                this.render();
              },
            },
          ),
        ),
      ),
    );
    if (emails.length === 0) {
      replaceChildren(list, h('li', { class: 'empty' }, 'No e-mails yet.'));
    }
    const chosen = emails.find((email) => email.messageId === this.selected);
    if (chosen?.messageId !== this.shownDetail) this.renderDetail(chosen);
  }

  private renderDetail(email: EmailView | undefined): void {
    this.shownDetail = email?.messageId;
    const detail = this.panel.querySelector('#email-detail');
    if (detail === null) return;
    if (email === undefined) {
      replaceChildren(detail);
      return;
    }
    const row = (label: string, value: string) => [h('dt', {}, label), h('dd', {}, value)];
    replaceChildren(
      detail,
      h('h3', { id: 'email-title' }, email.subject || '(no subject)'),
      h(
        'dl',
        { class: 'email-headers' },
        ...row('From', email.from),
        ...row('To', email.to.join(', ')),
        ...(email.cc.length > 0 ? row('Cc', email.cc.join(', ')) : []),
        ...row('Sent', new Date(email.sentAt).toLocaleString()),
      ),
      h('iframe', {
        class: 'email-frame',
        title: `E-mail: ${email.subject}`,
        src: `/api/outbox/${encodeURIComponent(email.messageId)}/document`,
        sandbox: 'allow-popups allow-popups-to-escape-sandbox',
        referrerpolicy: 'no-referrer',
      }),
      h('h4', { id: 'email-links-heading' }, 'Links in this e-mail'),
      email.links.length > 0
        ? h(
            'ul',
            { class: 'email-links', 'aria-labelledby': 'email-links-heading' },
            ...email.links.map((link) =>
              h(
                'li',
                {},
                h('a', { href: link.href, target: '_blank', rel: 'noopener noreferrer' }, link.label),
                link.label !== link.href ? h('span', { class: 'email-link-url' }, ` ${link.href}`) : null,
              ),
            ),
          )
        : h('p', { class: 'empty' }, 'This e-mail has no web links.'),
    );
  }
}
