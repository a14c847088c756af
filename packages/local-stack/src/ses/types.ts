/** Public types of the local SES endpoint and its outbox. */

export interface SesOptions {
  port?: number;
  host?: string;
  /** Keep the outbox on disk (one `<messageId>.eml` per message plus `index.json`); in memory otherwise. */
  outboxDir?: string;
  /** Addresses or domains allowed as senders; every sender is allowed when absent. */
  verifiedIdentities?: ReadonlyArray<string>;
}

/** One accepted message. Address lists hold bare addresses; `raw` keeps display names. */
export interface OutboxMessage {
  messageId: string;
  source: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  /** The message as an `.eml` (RFC 5322) text. */
  raw: string;
  /** ISO 8601. */
  sentAt: string;
}

export type OutboxEntry = Omit<OutboxMessage, 'raw'>;

export type OutboxListener = (message: OutboxMessage) => void;

export interface Ses {
  /** The endpoint for `SESClient`'s `endpoint` (or `AWS_ENDPOINT_URL_SES`). */
  readonly url: string;
  close(): Promise<void>;
  outbox(): ReadonlyArray<OutboxMessage>;
  clear(): void;
  onMessage(listener: OutboxListener): () => void;
}
