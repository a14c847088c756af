import { ErrorCode, type Logger, LogLevel, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import type { SlackApi, SlackApiOptions } from '../../src/slack-api';

/** The workspace the Slack stand-in tests run against. */
export const TEST_WORKSPACE = {
  botToken: 'xoxb-stand-in-test-token',
  signingSecret: 'stand-in-test-signing-secret',
  team: { id: 'T0GREEN01', name: 'Greenlight Test' },
  appId: 'A0GREEN01',
  botId: 'B0GREEN01',
  botUserId: 'U0GREENBOT',
  users: [
    { id: 'U0GREENBOT', name: 'greenlight', realName: 'Greenlight', isBot: true },
    { id: 'U0ALICE01', name: 'alice', realName: 'Alice Approver', email: 'alice@example.com' },
    { id: 'U0BOB0001', name: 'bob', realName: 'Bob Requester' },
  ],
  channels: [
    { id: 'C0APPROVE1', name: 'approvals' },
    { id: 'C0PRIVATE1', name: 'finance', isPrivate: true },
  ],
} satisfies SlackApiOptions;

export const ALICE = 'U0ALICE01';
export const BOB = 'U0BOB0001';
export const APPROVALS = 'C0APPROVE1';

/** WebClient logs Slack's `[ERROR]` response lines; the tests assert on them instead. */
const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * The real WebClient, pointed at the stand-in, with no retries so failures surface at once. `null`
 * builds a client that sends no token at all.
 */
export function webClientFor(api: SlackApi, token: string | null = TEST_WORKSPACE.botToken): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: api.apiUrl,
    logger: silentLogger,
    retryConfig: { retries: 0 },
  });
}

export interface PlatformFailure {
  error: string;
  messages: string[];
}

function isPlatformError(error: unknown): error is WebAPIPlatformError {
  return error instanceof Error && (error as Partial<WebAPIPlatformError>).code === ErrorCode.PlatformError;
}

/** The `{ ok: false, error }` a Web API call ended with; fails the test if the call succeeded. */
export async function platformFailureOf(call: Promise<unknown>): Promise<PlatformFailure> {
  try {
    await call;
  } catch (error) {
    if (isPlatformError(error)) {
      const metadata = error.data.response_metadata as { messages?: string[] } | undefined;
      return { error: error.data.error, messages: metadata?.messages ?? [] };
    }
    throw error;
  }
  throw new Error('expected the Web API call to fail, but it succeeded');
}
