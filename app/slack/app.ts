import App from '@slack/bolt/dist/App';
import type { Logger } from '../shared/log';
import { boltLogger } from './bolt-logger';
import type { SlackConfig } from './config';
import * as commands from './listeners/commands';
import type { CommandRunner } from './listeners/commands/greenlight-command';
import * as events from './listeners/events';
import type { EventDedup } from './receiver/event-dedup';
import { LambdaReceiver } from './receiver/lambda-receiver';

export interface SlackAppDeps {
  config: SlackConfig;
  logger: Logger;
  dedup: EventDedup;
  runCommand?: CommandRunner;
  now?: () => number;
}

/**
 * Builds the Bolt app and its Lambda receiver. Authorization is answered from configuration (and the
 * event's own `authorizations`), so Bolt never calls `auth.test`, neither at cold start nor per request.
 */
export function createSlackApp(deps: SlackAppDeps): { app: App; receiver: LambdaReceiver } {
  const { config, logger } = deps;
  const receiver = new LambdaReceiver({
    signingSecret: config.signingSecret,
    dedup: deps.dedup,
    logger,
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
  });
  commands.register(app, { runCommand: deps.runCommand });
  events.register(app, config);
  return { app, receiver };
}
