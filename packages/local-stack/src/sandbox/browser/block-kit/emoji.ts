import { gemoji } from 'gemoji';

/**
 * Slack's emoji names are GitHub's (gemoji) with a few spelled otherwise: the coloured circles
 * Slack calls `large_*_circle`, where GitHub keeps that prefix for the blue one only.
 */
const SLACK_SPELLINGS: Record<string, string> = {
  large_red_circle: 'red_circle',
  large_orange_circle: 'orange_circle',
  large_yellow_circle: 'yellow_circle',
  large_green_circle: 'green_circle',
  large_purple_circle: 'purple_circle',
  large_brown_circle: 'brown_circle',
  simple_smile: 'slightly_smiling_face',
};

const BY_NAME = new Map(gemoji.flatMap((entry) => entry.names.map((name) => [name, entry.emoji] as const)));

/** The emoji a `:code:` stands for; undefined for a code Slack would not know either (shown as typed). */
export function emojiFor(code: string): string | undefined {
  const name = code.toLowerCase();
  return BY_NAME.get(name) ?? BY_NAME.get(SLACK_SPELLINGS[name] ?? '');
}

/** Replaces known `:codes:` in plain text (plain_text objects with `emoji: true`). */
export function replaceEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/gi, (whole, code: string) => emojiFor(code) ?? whole);
}
