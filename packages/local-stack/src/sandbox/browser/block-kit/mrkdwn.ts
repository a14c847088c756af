import { emojiFor } from './emoji';
import { safeLinkUrl } from './safe-url';
import { type Child, h } from './vnode';

/** How mentions are shown: the names behind the ids. */
export interface Names {
  userName(id: string): string;
  channelName(id: string): string;
}

const MARKERS: Record<string, string> = { '*': 'strong', _: 'em', '~': 's' };
const WORD = /[\p{L}\p{N}]/u;

/** Slack escapes exactly these three in message text; everything else is literal. */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function canOpen(text: string, index: number, marker: string): boolean {
  const before = text[index - 1];
  const after = text[index + 1];
  return (
    (before === undefined || !WORD.test(before)) &&
    after !== undefined &&
    !/\s/.test(after) &&
    after !== marker
  );
}

function closingIndex(text: string, start: number, marker: string): number {
  for (let index = start + 2; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\n') return -1;
    if (char !== marker) continue;
    const before = text[index - 1] ?? ' ';
    const after = text[index + 1];
    if (!/\s/.test(before) && (after === undefined || !WORD.test(after))) return index;
  }
  return -1;
}

/** `<…>`: a mention, a special mention, a date, or a link with an optional label. */
function special(content: string, names: Names): Child {
  const bar = content.indexOf('|');
  const target = bar < 0 ? content : content.slice(0, bar);
  const label = bar < 0 ? undefined : decodeEntities(content.slice(bar + 1));
  if (target.startsWith('@')) {
    return h('span', { class: 'bk-mention' }, `@${label ?? names.userName(target.slice(1))}`);
  }
  if (target.startsWith('#')) {
    return h('span', { class: 'bk-mention' }, `#${label ?? names.channelName(target.slice(1))}`);
  }
  if (target.startsWith('!')) {
    const [kind = ''] = target.slice(1).split('^');
    if (['here', 'channel', 'everyone'].includes(kind)) return h('span', { class: 'bk-mention' }, `@${kind}`);
    return h('span', { class: 'bk-mention' }, label ?? kind);
  }
  const href = safeLinkUrl(decodeEntities(target));
  // Anything that is not a safe link is shown exactly as the app wrote it.
  if (href === undefined) return decodeEntities(`<${content}>`);
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label ?? decodeEntities(target));
}

/** Bold, italic, strike, code, links, mentions and emoji within one paragraph. */
function inline(text: string, names: Names): Child[] {
  const out: Child[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer !== '') out.push(decodeEntities(buffer));
    buffer = '';
  };
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '<') {
      const end = text.indexOf('>', index + 1);
      const content = end < 0 ? '' : text.slice(index + 1, end);
      if (content !== '' && !/[<\n]/.test(content)) {
        flush();
        out.push(special(content, names));
        index = end + 1;
        continue;
      }
    }
    if (char === '`') {
      const end = text.indexOf('`', index + 1);
      if (end > index + 1 && !text.slice(index + 1, end).includes('\n')) {
        flush();
        out.push(h('code', {}, decodeEntities(text.slice(index + 1, end))));
        index = end + 1;
        continue;
      }
    }
    const tag = MARKERS[char];
    if (tag !== undefined && canOpen(text, index, char)) {
      const end = closingIndex(text, index, char);
      if (end > 0) {
        flush();
        out.push(h(tag, {}, ...inline(text.slice(index + 1, end), names)));
        index = end + 1;
        continue;
      }
    }
    if (char === ':') {
      const code = /^:([a-z0-9_+-]+):/i.exec(text.slice(index))?.[1];
      const emoji = code === undefined ? undefined : emojiFor(code);
      if (code !== undefined && emoji !== undefined) {
        buffer += emoji;
        index += code.length + 2;
        continue;
      }
    }
    if (char === '\n') {
      flush();
      out.push(h('br'));
      index += 1;
      continue;
    }
    buffer += char;
    index += 1;
  }
  flush();
  return out;
}

const QUOTE = /^(>|&gt;)\s?/;

/** Paragraph text with `>` quotes grouped into blockquotes. */
function lines(text: string, names: Names): Child[] {
  const out: Child[] = [];
  let plain: string[] = [];
  let quoted: string[] = [];
  const flushPlain = () => {
    if (plain.length > 0) out.push(...inline(plain.join('\n'), names));
    plain = [];
  };
  const flushQuoted = () => {
    if (quoted.length > 0) out.push(h('blockquote', {}, ...inline(quoted.join('\n'), names)));
    quoted = [];
  };
  for (const line of text.split('\n')) {
    if (QUOTE.test(line)) {
      flushPlain();
      quoted.push(line.replace(QUOTE, ''));
    } else {
      flushQuoted();
      plain.push(line);
    }
  }
  flushPlain();
  flushQuoted();
  return out;
}

/**
 * Slack's mrkdwn as DOM nodes: ```code blocks```, `> quotes`, *bold*, _italic_, ~strike~, `code`,
 * links, mentions and emoji. Entities are decoded into text nodes, never parsed as HTML, and only
 * safe URLs become links.
 */
export function mrkdwn(text: string, names: Names): Child[] {
  const out: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(/```([\s\S]*?)```/g)) {
    if (match.index > last) out.push(...lines(text.slice(last, match.index).replace(/\n$/, ''), names));
    out.push(h('pre', { class: 'bk-pre' }, decodeEntities((match[1] ?? '').replace(/^\n/, ''))));
    last = match.index + match[0].length;
  }
  if (last < text.length) {
    const rest = text.slice(last);
    // The line break that follows a closing fence belongs to the fence.
    out.push(...lines(last > 0 ? rest.replace(/^\n/, '') : rest, names));
  }
  return out;
}
