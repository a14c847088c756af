/**
 * The bridge's limits, documented in the README ("WebSocket bridge"). API Gateway's own are wider
 * (a 32 KB frame, a 128 KB message, 2 h per connection); these keep one client from flooding Slack
 * or the other clients.
 */

/**
 * A client message in bytes (the whole JSON, however fragmented): API Gateway's frame size, which
 * a fragmented message may otherwise exceed up to its 128 KB message limit.
 */
export const MAX_FRAME_BYTES = 32 * 1024;

/**
 * Characters (code points) in `message`: a long chat message Slack still shows whole (it advises
 * at most 4,000), and far under its 40,000-character limit once escaped (`&` becomes 5 characters).
 */
export const MAX_MESSAGE_CHARS = 3000;

/** Default rate per connection: this many messages in a window of this many seconds. */
export const DEFAULT_RATE_LIMIT = 10;
export const DEFAULT_RATE_WINDOW_SECONDS = 10;

/** API Gateway ends every connection after 2 hours; rows live 10 minutes longer, then TTL removes them. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 10 * 60;

/**
 * A connection still inside its `$connect` answers 410 to `@connections`, since it is not open yet.
 * A broadcast only deletes a row on 410 once it is older than API Gateway's integration timeout
 * (29 s), so a client that is connecting is never dropped from the table.
 */
export const CONNECTING_GRACE_MS = 30_000;

/** Posts a broadcast keeps in flight at once: under the SDK's 50 sockets per client, so none waits for one. */
export const DEFAULT_BROADCAST_CONCURRENCY = 48;

/** Rows read per Scan page: bounded memory, and posting starts before the whole table is read. */
export const SCAN_PAGE_SIZE = 500;

/** Longest subject a token may carry. */
export const MAX_SUBJECT_LENGTH = 64;
