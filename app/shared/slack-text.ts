/**
 * Slack's text escaping, in one place for every message the app builds. Slack needs only `&`, `<`
 * and `>` escaped, and escaping `<` is what keeps `<!channel>`, `<@U123>` or a `<link|label>` typed
 * by someone (a title, a comment, a WebSocket client's words) shown as typed, pinging nobody.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What a person typed in Slack, as plain text: the three entities Slack escapes, decoded. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
