import type { ChatPostMessageArguments } from '@slack/web-api';
import { escapeSlackText } from '../shared/slack-text';

export { escapeSlackText, unescapeSlackText } from '../shared/slack-text';

/**
 * The text of the Slack messages that mirror WebSocket connections. Everything a client controls
 * (its words, its user agent, its close reason) and the token's subject is escaped the way Slack
 * requires (`&`, `<`, `>`), so `<!channel>`, `<!here>`, `<@U…>` or a link typed by a client is shown
 * as typed and pings nobody.
 */

/** Options for every mirror post: a plain `@channel` stays text, and nothing unfurls a client's link. */
export const SAFE_POST_OPTIONS = {
  link_names: false,
  parse: 'none',
  unfurl_links: false,
  unfurl_media: false,
} as const satisfies Partial<ChatPostMessageArguments>;

const MAX_USER_AGENT_CHARS = 200;

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export interface ConnectionFacts {
  connectionId: string;
  subject: string;
  sourceIp: string;
  userAgent: string;
}

/** The thread's root message: who connected, from where. Never the token. */
export function connectedText(connection: ConnectionFacts): string {
  const userAgent = connection.userAgent ? shorten(connection.userAgent, MAX_USER_AGENT_CHARS) : 'unknown';
  return [
    `:electric_plug: *${escapeSlackText(connection.subject)}* connected over WebSocket.`,
    `Connection \`${escapeSlackText(connection.connectionId)}\` from ${escapeSlackText(connection.sourceIp || 'unknown')}, user agent: ${escapeSlackText(userAgent)}`,
    'Reply in this thread to answer this client.',
  ].join('\n');
}

/** A client's message, in its connection's thread. */
export function clientMessageText(subject: string, message: string): string {
  return `*${escapeSlackText(subject)}*: ${escapeSlackText(message)}`;
}

export function disconnectedText(
  subject: string,
  details: { statusCode?: number; reason?: string; connectedForMs: number },
): string {
  const code = details.statusCode === undefined ? '' : ` (${details.statusCode}`;
  const reason = details.reason ? ` ${escapeSlackText(shorten(details.reason, 123))}` : '';
  const closing = code ? `${code}${reason})` : '';
  return `:wave: *${escapeSlackText(subject)}* disconnected${closing} after ${duration(details.connectedForMs)}.`;
}

/** Posted in a thread when a reply could not reach its client. */
export function notDeliveredText(subject: string | undefined): string {
  const who = subject ? `*${escapeSlackText(subject)}*` : 'this client';
  return `:warning: Not delivered: ${who} is no longer connected.`;
}
