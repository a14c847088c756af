import type { OutboxMessage } from '../ses';
import type { EmailLink, EmailView } from './protocol';

const URL_IN_TEXT = /https?:\/\/[^\s<>"')\]]+/g;
const ANCHOR = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isWebLink(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The web links of a message, HTML anchors first, each once; other schemes (mailto:, javascript:) are left out. */
export function emailLinks(html: string | undefined, text: string | undefined): EmailLink[] {
  const links = new Map<string, EmailLink>();
  for (const match of (html ?? '').matchAll(ANCHOR)) {
    const href = decodeEntities((match[1] ?? match[2] ?? match[3] ?? '').trim());
    const label = decodeEntities((match[4] ?? '').replace(/<[^>]*>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    if (isWebLink(href) && !links.has(href)) links.set(href, { href, label: label || href });
  }
  for (const match of (text ?? '').matchAll(URL_IN_TEXT)) {
    const href = match[0].replace(/[.,;:!?]+$/, '');
    if (isWebLink(href) && !links.has(href)) links.set(href, { href, label: href });
  }
  return [...links.values()];
}

export function emailView(message: OutboxMessage): EmailView {
  return {
    messageId: message.messageId,
    from: message.source,
    to: [...message.to],
    cc: [...message.cc],
    subject: message.subject,
    sentAt: message.sentAt,
    text: message.text,
    hasHtml: message.html !== undefined,
    links: emailLinks(message.html, message.text),
  };
}

/**
 * The policy of the document an e-mail is shown in: no scripts, no forms, no plugins, nothing
 * fetched but images; `sandbox` repeats the iframe's own sandbox in case the URL is opened directly.
 * Links may open top-level tabs, which leave the sandbox so the pages they open work normally.
 */
export const EMAIL_DOCUMENT_POLICY = [
  "default-src 'none'",
  'img-src http: https: data:',
  "style-src 'unsafe-inline'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox allow-popups allow-popups-to-escape-sandbox',
].join('; ');

function linkify(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const href = match[0].replace(/[.,;:!?]+$/, '');
    const start = match.index;
    html += escapeHtml(text.slice(last, start));
    html += `<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>`;
    last = start + href.length;
  }
  return html + escapeHtml(text.slice(last));
}

/**
 * The document the page's iframe shows: the HTML part as the mail client would get it, or the text
 * part with its links made clickable. `<base target="_blank">` makes every link open a new tab, as a
 * webmail client does.
 */
export function emailDocument(message: OutboxMessage): string {
  const base = '<base target="_blank">';
  if (message.html !== undefined) {
    const html = message.html;
    if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}${base}`);
    return `<!doctype html><html><head><meta charset="utf-8">${base}</head><body>${html}</body></html>`;
  }
  const text = message.text ?? '';
  return `<!doctype html><html><head><meta charset="utf-8">${base}<style>body{font:15px/1.5 system-ui,sans-serif;margin:1rem;white-space:pre-wrap;color:#1d1c1d}</style></head><body>${linkify(text)}</body></html>`;
}
