/** What the bridge sends to WebSocket clients, always one JSON object per frame. */

export type ClientErrorCode =
  | 'invalid_json'
  | 'unknown_action'
  | 'invalid_message'
  | 'message_too_long'
  | 'message_too_large'
  | 'binary_not_supported'
  | 'rate_limited'
  | 'unknown_connection'
  | 'internal_error';

export interface ErrorFrame {
  type: 'error';
  error: ClientErrorCode;
  /** A sentence for people. */
  message: string;
  /** How to send a message, on errors about what was sent. */
  usage?: string;
  /** On `rate_limited`: when to try again. */
  retryAfterSeconds?: number;
}

/** Another client's message. */
export interface MessageFrame {
  type: 'message';
  from: string;
  message: string;
  at: string;
}

/** A reply typed in Slack in this connection's thread. */
export interface ReplyFrame {
  type: 'reply';
  from: string;
  message: string;
  at: string;
}

// The change is the approvals domain's own type: one definition for the workflow and the frame.
import type { ApprovalChange, ApprovalStatus } from '../approvals';

export type { ApprovalChange, ApprovalStatus };

export type ApprovalFrame = { type: 'approval' } & ApprovalChange;

export type ServerFrame = ErrorFrame | MessageFrame | ReplyFrame | ApprovalFrame;

export function errorFrame(
  error: ClientErrorCode,
  message: string,
  extra: Pick<ErrorFrame, 'usage' | 'retryAfterSeconds'> = {},
): ErrorFrame {
  return { type: 'error', error, message, ...extra };
}
