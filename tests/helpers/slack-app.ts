import { createLogger } from '../../app/shared/log';
import { createMetrics } from '../../app/shared/metrics';
import { createSlackApp, type SlackAppDeps } from '../../app/slack/app';
import type { SlackConfig } from '../../app/slack/config';
import type { EventDedup } from '../../app/slack/receiver/event-dedup';
import { TEST_SIGNING_SECRET } from './slack-requests';

export const TEST_BOT_TOKEN = 'xoxb-test-not-a-real-token';

/** An in-memory stand-in for the DynamoDB claim table, for unit tests only. */
export function memoryDedup(): EventDedup & { claimed: Set<string> } {
  const claimed = new Set<string>();
  return {
    claimed,
    async claim(eventId) {
      if (claimed.has(eventId)) return false;
      claimed.add(eventId);
      return true;
    },
    async release(eventId) {
      claimed.delete(eventId);
    },
  };
}

export function testConfig(overrides: Partial<SlackConfig> = {}): SlackConfig {
  return {
    signingSecret: TEST_SIGNING_SECRET,
    botToken: TEST_BOT_TOKEN,
    botUserId: undefined,
    botId: undefined,
    eventDedupTable: 'unused',
    slackApiUrl: 'http://127.0.0.1:9/api/',
    commandStateMachineArn: undefined,
    commandBudgetMs: 2500,
    approvals: undefined,
    ...overrides,
  };
}

/** A Slack app wired like the real handler, whose log lines the test can read. */
export function testSlackApp(deps: Partial<SlackAppDeps> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  const metricLines: string[] = [];
  const metrics = createMetrics({ sink: (line) => metricLines.push(line), enabled: true });
  const dedup = memoryDedup();
  const built = createSlackApp({ config: testConfig(), logger, dedup, metrics, ...deps });
  return {
    ...built,
    dedup,
    lines,
    /** The EMF lines the app wrote, parsed. */
    metricLines: () => metricLines.map((line) => JSON.parse(line) as Record<string, unknown>),
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
