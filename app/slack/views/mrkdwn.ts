/**
 * Text from people (titles, comments, details) goes into mrkdwn escaped: `&`, `<` and `>` are
 * the only characters Slack needs escaped, and escaping `<` is what keeps `<!channel>` or
 * `<@U123>` typed by someone from pinging anybody.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const mention = (userId: string): string => `<@${userId}>`;

/** A date Slack shows in each reader's own time zone, with UTC text for clients that cannot. */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return escapeMrkdwn(iso);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}
