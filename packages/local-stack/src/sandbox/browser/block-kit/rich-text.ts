import { emojiFor } from './emoji';
import type { Names } from './mrkdwn';
import { safeLinkUrl } from './safe-url';
import { type Child, h } from './vnode';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function styled(node: Child, style: unknown): Child {
  if (!isRecord(style)) return node;
  let out = node;
  if (style.code === true) out = h('code', {}, out);
  if (style.strike === true) out = h('s', {}, out);
  if (style.italic === true) out = h('em', {}, out);
  if (style.bold === true) out = h('strong', {}, out);
  return out;
}

function textWithBreaks(text: string): Child[] {
  return text.split('\n').flatMap((line, index) => (index === 0 ? [line] : [h('br'), line]));
}

function inlineElement(element: Json, names: Names): Child[] {
  switch (element.type) {
    case 'text':
      return textWithBreaks(String(element.text ?? '')).map((part) => styled(part, element.style));
    case 'link': {
      const href = safeLinkUrl(String(element.url ?? ''));
      const label = String(element.text ?? element.url ?? '');
      return [
        styled(
          href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label) : label,
          element.style,
        ),
      ];
    }
    case 'user':
      return [h('span', { class: 'bk-mention' }, `@${names.userName(String(element.user_id ?? ''))}`)];
    case 'channel':
      return [h('span', { class: 'bk-mention' }, `#${names.channelName(String(element.channel_id ?? ''))}`)];
    case 'usergroup':
      return [h('span', { class: 'bk-mention' }, `@${String(element.usergroup_id ?? 'group')}`)];
    case 'broadcast':
      return [h('span', { class: 'bk-mention' }, `@${String(element.range ?? 'here')}`)];
    case 'emoji': {
      const name = String(element.name ?? '');
      return [emojiFor(name) ?? `:${name}:`];
    }
    case 'date':
      return [String(element.fallback ?? new Date(Number(element.timestamp) * 1000).toLocaleString())];
    default:
      return [String(element.text ?? '')];
  }
}

function inlineElements(container: Json, names: Names): Child[] {
  return records(container.elements).flatMap((element) => inlineElement(element, names));
}

/** A `rich_text` block: what people type in Slack's composer, and what apps may send too. */
export function richText(block: Json, names: Names): Child {
  const parts = records(block.elements).map((element): Child => {
    switch (element.type) {
      case 'rich_text_list': {
        const items = records(element.elements).map((item) => h('li', {}, ...inlineElements(item, names)));
        return h(element.style === 'ordered' ? 'ol' : 'ul', { class: 'bk-list' }, ...items);
      }
      case 'rich_text_preformatted':
        return h('pre', { class: 'bk-pre' }, ...inlineElements(element, names));
      case 'rich_text_quote':
        return h('blockquote', {}, ...inlineElements(element, names));
      default:
        return h('span', {}, ...inlineElements(element, names));
    }
  });
  return h('div', { class: 'bk-rich-text' }, ...parts);
}
