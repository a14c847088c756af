/** The emoji codes apps commonly put in messages; any other `:code:` stays as typed, as Slack shows unknown ones. */
const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  warning: '⚠️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  stopwatch: '⏱️',
  alarm_clock: '⏰',
  clock3: '🕒',
  tada: '🎉',
  rocket: '🚀',
  wave: '👋',
  '+1': '👍',
  thumbsup: '👍',
  '-1': '👎',
  thumbsdown: '👎',
  eyes: '👀',
  lock: '🔒',
  unlock: '🔓',
  key: '🔑',
  email: '📧',
  envelope: '✉️',
  link: '🔗',
  memo: '📝',
  pencil: '📝',
  bell: '🔔',
  speech_balloon: '💬',
  information_source: 'ℹ️',
  question: '❓',
  exclamation: '❗',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  green_heart: '💚',
  traffic_light: '🚥',
  vertical_traffic_light: '🚦',
  robot_face: '🤖',
  electric_plug: '🔌',
  satellite_antenna: '📡',
  inbox_tray: '📥',
  outbox_tray: '📤',
  calendar: '📆',
  hammer_and_wrench: '🛠️',
  gear: '⚙️',
  thinking_face: '🤔',
  smile: '😄',
  slightly_smiling_face: '🙂',
};

export function emojiFor(code: string): string | undefined {
  return EMOJI[code.toLowerCase()];
}

/** Replaces known `:codes:` in plain text (plain_text objects with `emoji: true`). */
export function replaceEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/gi, (whole, code: string) => emojiFor(code) ?? whole);
}
