import { replaceEmoji } from './emoji';
import { mrkdwn, type Names } from './mrkdwn';
import { isRecord } from './render-context';
import type { Child } from './vnode';

/** The text of a plain_text object (emoji codes replaced unless `emoji: false`); '' for anything else. */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!isRecord(value) || typeof value.text !== 'string') return '';
  return value.type === 'plain_text' && value.emoji !== false ? replaceEmoji(value.text) : value.text;
}

/** A text object as nodes: mrkdwn is formatted, plain_text stays literal. */
export function textObject(value: unknown, names: Names): Child[] {
  if (!isRecord(value) || typeof value.text !== 'string') return [];
  if (value.type === 'mrkdwn') return mrkdwn(value.text, names);
  return [plainText(value)];
}
