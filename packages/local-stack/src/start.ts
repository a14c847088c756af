import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, type ServiceName } from './dev-config';
import type { ProductHooks } from './product-hooks';
import { startStack } from './stack';

/**
 * `npm start`: the whole product on localhost. Flags: `--memory` (keep nothing on disk),
 * `--data-dir DIR` (default .local). Ports: GREENLIGHT_<SERVICE>_PORT, e.g. GREENLIGHT_SANDBOX_PORT.
 * Secrets: SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, WEBSOCKET_TOKEN_KEY, LINK_SIGNING_KEY in .env; they
 * are served to the functions by the local Secrets Manager, as the deployed secret is on AWS.
 */
const ENV_PORT = (name: ServiceName) =>
  `GREENLIGHT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_PORT`;

async function main(hooks: ProductHooks): Promise<void> {
  const { values } = parseArgs({
    options: {
      memory: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.local' },
    },
  });
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const ports: Partial<Record<ServiceName, number>> = {};
  for (const name of Object.keys(DEFAULT_PORTS) as ServiceName[]) {
    const raw = process.env[ENV_PORT(name)];
    if (raw !== undefined) {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < 0 || value > 65_535)
        throw new Error(`${ENV_PORT(name)} must be a port number`);
      ports[name] = value;
    }
  }
  const secrets = {
    ...(process.env.SLACK_SIGNING_SECRET ? { signingSecret: process.env.SLACK_SIGNING_SECRET } : {}),
    ...(process.env.SLACK_BOT_TOKEN ? { botToken: process.env.SLACK_BOT_TOKEN } : {}),
    ...(process.env.WEBSOCKET_TOKEN_KEY ? { websocketTokenKey: process.env.WEBSOCKET_TOKEN_KEY } : {}),
    ...(process.env.LINK_SIGNING_KEY ? { linkSigningKey: process.env.LINK_SIGNING_KEY } : {}),
  };
  const dataDir = values.memory ? undefined : values['data-dir'];
  const slackApiUrl = process.env.GREENLIGHT_SLACK_API_URL;
  const stack = await startStack({ hooks, ports, dataDir, secrets, ...(slackApiUrl ? { slackApiUrl } : {}) });

  mkdirSync('.local', { recursive: true });
  writeFileSync('.local/endpoints.json', `${JSON.stringify(stack.endpoints, null, 2)}\n`);
  // performance.now() counts from process start, so this includes loading the stack's code.
  const readyMs = Math.round(performance.now());
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const e = stack.endpoints;
  console.log(`
Greenlight local stack ready in ${readyMs} ms (${rssMb} MB RSS)${dataDir ? `, data in ${dataDir}/` : ', in memory'}

  Slack sandbox      ${e.sandbox}
  Slack request URL  ${e.slackEvents}
  REST API           ${e.rest}
  WebSocket API      ${e.websocket}
  Slack Web API      ${e.slackApi}
  Step Functions     ${e.stepfunctions}
  DynamoDB           ${e.dynamodb}
  SES                ${e.ses}
  Secrets Manager    ${e.secretsManager}
  Lambda             ${e.lambda}
  EventBridge        ${e.eventBridge}

Endpoints, dev secrets and seeded users: .local/endpoints.json. Ctrl+C stops.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The `npm start` command line; the product's scripts/start.ts calls it with its hooks. */
export function runLocalStackCli(hooks: ProductHooks): void {
  main(hooks).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
