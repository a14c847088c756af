import { createHmac } from 'node:crypto';

/** Headers Slack sends with every request it signs. */
export interface SlackSignatureHeaders {
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

/**
 * Signs a request body the way Slack does (v0 scheme), for the local stack and the tests that play
 * Slack's part. `timestamp` is in seconds; it defaults to now.
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string | Buffer,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return {
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': `v0=${hmac.digest('hex')}`,
  };
}
