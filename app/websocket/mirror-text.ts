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

// A lone UTF-16 surrogate (a half emoji, say, as `\ud83d` in a client's JSON) is not text: the
// Web API client cannot encode it and the whole post fails, so the mirror shows U+FFFD instead.
// With the `u` flag a well-formed pair is one code point, so only lone halves match.
const LONE_SURROGATE = /\p{Surrogate}/gu;

/** Client-controlled text made well-formed and escaped for Slack. */
function clientText(text: string): string {
  return escapeSlackText(text.replace(LONE_SURROGATE, '\uFFFD'));
}

/** Cut by code points, so a shortened text never ends in half a surrogate pair. */
function shorten(text: string, max: number): string {
  const codePoints = [...text];
  return codePoints.length > max ? `${codePoints.slice(0, max - 1).join('')}…` : text;
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
    `:electric_plug: *${clientText(connection.subject)}* connected over WebSocket.`,
    `Connection \`${escapeSlackText(connection.connectionId)}\` from ${escapeSlackText(connection.sourceIp || 'unknown')}, user agent: ${clientText(userAgent)}`,
    'Reply in this thread to answer this client.',
  ].join('\n');
}

/** A client's message, in its connection's thread. */
export function clientMessageText(subject: string, message: string): string {
  return `*${clientText(subject)}*: ${clientText(message)}`;
}

export function disconnectedText(
  subject: string,
  details: { statusCode?: number; reason?: string; connectedForMs: number },
): string {
  const code = details.statusCode === undefined ? '' : ` (${details.statusCode}`;
  const reason = details.reason ? ` ${clientText(shorten(details.reason, 123))}` : '';
  const closing = code ? `${code}${reason})` : '';
  return `:wave: *${clientText(subject)}* disconnected${closing} after ${duration(details.connectedForMs)}.`;
}

/** Posted in a thread when a reply could not reach its client. */
export function notDeliveredText(subject: string | undefined): string {
  const who = subject ? `*${clientText(subject)}*` : 'this client';
  return `:warning: Not delivered: ${who} is no longer connected.`;
}
