import { escapeSlackText } from '../../shared/slack-text';

// A request another system made names that system as its requester (app/gates), not a Slack user.
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

export const mention = (userId: string): string =>
  SLACK_USER_ID.test(userId) ? `<@${userId}>` : `*${escapeSlackText(userId)}*`;

/** A date Slack shows in each reader's own time zone, with UTC text for clients that cannot. */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return escapeSlackText(iso);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}

/** A `<url|label>` link; `|`, `<` and `>` would end the link's markup early, so they are percent-encoded. */
export function slackLink(url: string, label: string): string {
  const safeUrl = url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return `<${safeUrl}|${escapeSlackText(label)}>`;
}
