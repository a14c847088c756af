import App from '@slack/bolt/dist/App';
import type { DecideDeps, DecisionPolicy, HomeReader } from '../approvals';
import { EMPTY_POLICIES, type PolicySet } from '../policies';
import { boltLogger } from '../shared/bolt-logger';
import { newApprovalId } from '../shared/ids';
import type { Logger } from '../shared/log';
import type { Metrics } from '../shared/metrics';
import type { CommandRunner } from './commands/command-workflow';
import type { SlackConfig } from './config';
import * as actions from './listeners/actions';
import * as commands from './listeners/commands';
import * as events from './listeners/events';
import type { ThreadReplyOptions } from './listeners/events/thread-reply';
import * as functions from './listeners/functions';
import * as shortcuts from './listeners/shortcuts';
import * as views from './listeners/views';
import type { EventDedup } from './receiver/event-dedup';
import { LambdaReceiver } from './receiver/lambda-receiver';

export interface SlackAppDeps {
  config: SlackConfig;
  logger: Logger;
  dedup: EventDedup;
  runCommand?: CommandRunner;
  /** The approvals store and task callbacks, loaded on first use; absent: buttons are not served. */
  decisions?: () => Promise<DecideDeps>;
  /** Thread replies in the mirror channel go to WebSocket clients through this; absent: not relayed. */
  replies?: ThreadReplyOptions | undefined;
  /** The index reads App Home is built from, loaded on first use; absent: no Home tab. */
  home?: () => Promise<HomeReader>;
  /** Request count and ack latency; stdout's EMF lines by default. */
  metrics?: Metrics;
  now?: () => number;
  newId?: () => string;
  /** The approval policies (greenlight.policies.yaml, compiled); none when absent. */
  policies?: PolicySet;
}

const NO_SELF_APPROVAL: DecisionPolicy = { allowSelfApproval: false };

/**
 * Builds the Bolt app and its Lambda receiver. Authorization is answered from configuration (and the
 * event's own `authorizations`), so Bolt never calls `auth.test`, neither at cold start nor per request.
 */
export function createSlackApp(deps: SlackAppDeps): { app: App; receiver: LambdaReceiver } {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? newApprovalId;
  const policy = config.approvals ?? NO_SELF_APPROVAL;
  const receiver = new LambdaReceiver({
    signingSecret: config.signingSecret,
    dedup: deps.dedup,
    logger,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const app = new App({
    receiver,
    authorize: async (_source, body) => {
      const fromEvent = (body as { authorizations?: Array<{ user_id?: string }> } | undefined)
        ?.authorizations?.[0]?.user_id;
      const botUserId = config.botUserId ?? fromEvent;
      return {
        botToken: config.botToken,
        ...(botUserId ? { botUserId } : {}),
        ...(config.botId ? { botId: config.botId } : {}),
      };
    },
    logger: boltLogger(logger),
    // The default conversation store is per-container memory: useless on Lambda and a cost per request.
    convoStore: false,
    // Bolt's global self-filter is a middleware step on every request, commands included; the
    // event listeners that can see the bot's own messages check for them themselves.
    ignoreSelf: false,
    clientOptions: config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {},
    // A Workflow Builder step is completed later, by another function, with the app's own token; the
    // short-lived token of its function_executed event is used for nothing and kept nowhere.
    attachFunctionToken: false,
  });
  // The receiver logs each failure once, with the request id, and chooses the answer; Bolt's default
  // handler would log it a second time, without the id, before passing it on.
  app.error(async (error) => {
    throw error;
  });
  commands.register(app, {
    runCommand: deps.runCommand,
    policy,
    policies: deps.policies ?? EMPTY_POLICIES,
    newId,
    now,
  });
  const buttons = deps.decisions
    ? { backend: deps.decisions, logger, now: () => new Date(now()), home: deps.home }
    : undefined;
  const homeButtons =
    deps.decisions && deps.home && deps.runCommand
      ? { backend: deps.decisions, home: deps.home, runCommand: deps.runCommand, logger, now }
      : undefined;
  if (buttons) actions.register(app, buttons, homeButtons);
  views.register(app, {
    reject: buttons,
    request: deps.runCommand
      ? { runCommand: deps.runCommand, policy, budgetMs: config.commandBudgetMs, newId, now, logger }
      : undefined,
  });
  events.register(app, deps.replies, deps.home ? { home: deps.home } : undefined);
  // The shortcuts open the request form, which needs the command workflow to submit to.
  if (deps.runCommand) shortcuts.register(app, { logger });
  if (deps.runCommand && deps.decisions) {
    const decisions = deps.decisions;
    functions.register(app, {
      runCommand: deps.runCommand,
      store: async () => (await decisions()).store,
      policy,
      now,
      logger,
    });
  }
  return { app, receiver };
}
