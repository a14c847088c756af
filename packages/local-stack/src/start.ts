import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, DEV_SECRET_KEYS, type DEV_SECRETS, type ServiceName } from './dev-config';
import { dynamoDbEngineFromEnv } from './dynamodb';
import { envFileProblems } from './env-file';
import type { ProductHooks } from './product-hooks';
import { startStack } from './stack';
import { portVariable, StackStartError } from './start-errors';

/**
 * `npm start`: the whole product on localhost. Flags: `--memory` (keep no data on disk),
 * `--data-dir DIR` (default .local: DynamoDB, the outbox, executions, the Slack workspace and
 * endpoints.json), `--env-file FILE` (default .env), `--dynamodb dynalite|local` (default
 * GREENLIGHT_DYNAMODB, else dynalite; `local` is Amazon's DynamoDB Local, which needs Java 17).
 * Ports: GREENLIGHT_<SERVICE>_PORT, e.g. GREENLIGHT_SANDBOX_PORT. Secrets: SLACK_SIGNING_SECRET,
 * SLACK_BOT_TOKEN, WEBSOCKET_TOKEN_KEY, LINK_SIGNING_KEY; they are served to the functions by the
 * local Secrets Manager, as the deployed secret is on AWS.
 */
async function main(hooks: ProductHooks): Promise<void> {
  const { values } = parseArgs({
    options: {
      memory: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.local' },
      'env-file': { type: 'string', default: '.env' },
      dynamodb: { type: 'string' },
    },
  });
  const envFile = values['env-file'];
  if (existsSync(envFile)) {
    const problems = envFileProblems(envFile);
    if (problems.length) throw new StackStartError(`${problems.join('\n')}\nNothing was started.`);
    process.loadEnvFile(envFile);
  } else if (envFile !== '.env') {
    throw new StackStartError(`--env-file ${envFile}: no such file`);
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const ports: Partial<Record<ServiceName, number>> = {};
  for (const name of Object.keys(DEFAULT_PORTS) as ServiceName[]) {
    const raw = process.env[portVariable(name)];
    if (raw !== undefined) {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isInteger(value) || value < 0 || value > 65_535)
        throw new StackStartError(`${portVariable(name)} must be a port number (0 to 65535), not "${raw}"`);
      ports[name] = value;
    }
  }
  const secrets: Partial<Record<keyof typeof DEV_SECRETS, string>> = {};
  const devDefaults: string[] = [];
  for (const [variable, key] of Object.entries(DEV_SECRET_KEYS)) {
    const value = process.env[variable];
    if (value) secrets[key] = value;
    else devDefaults.push(variable);
  }
  const dataDir = values['data-dir'];
  const slackApiUrl = process.env.GREENLIGHT_SLACK_API_URL;
  // As GitHub Actions names it: a real GitHub (or GHES) API instead of the stand-in.
  const githubApiUrl = process.env.GITHUB_API_URL;
  const dynamodbEngine = dynamoDbEngineFromEnv({
    GREENLIGHT_DYNAMODB: values.dynamodb ?? process.env.GREENLIGHT_DYNAMODB,
  });
  const stack = await startStack({
    hooks,
    ports,
    dataDir: values.memory ? undefined : dataDir,
    secrets,
    dynamodbEngine,
    ...(slackApiUrl ? { slackApiUrl } : {}),
    ...(githubApiUrl ? { githubApiUrl } : {}),
  });

  const endpointsFile = join(dataDir, 'endpoints.json');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(endpointsFile, `${JSON.stringify(stack.endpoints, null, 2)}\n`);
  // performance.now() counts from process start, so this includes loading the stack's code.
  const readyMs = Math.round(performance.now());
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const e = stack.endpoints;
  const secretsLine = devDefaults.length
    ? `Dev defaults (not real credentials) for ${devDefaults.join(', ')}: set them in ${envFile} to use your own.`
    : `Secrets: all four from ${envFile} or the environment.`;
  console.log(`
Greenlight local stack ready in ${readyMs} ms (${rssMb} MB RSS)${values.memory ? ', in memory' : `, data in ${dataDir}/`}

  Slack sandbox      ${e.sandbox}
  Slack request URL  ${e.slackEvents}
  REST API           ${e.rest}
  WebSocket API      ${e.websocket}
  Slack Web API      ${e.slackApi}
  Step Functions     ${e.stepfunctions}
  DynamoDB           ${e.dynamodb} (${stack.dynamodb.engine === 'local' ? 'DynamoDB Local' : 'dynalite'})
  SES                ${e.ses}
  Secrets Manager    ${e.secretsManager}
  Lambda             ${e.lambda}
  EventBridge        ${e.eventBridge}
  GitHub API         ${githubApiUrl ?? e.githubApi}
  CodePipeline       ${e.codePipeline}

${secretsLine}
Endpoints, dev secrets and seeded users: ${endpointsFile}. Ctrl+C stops.`);

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
    // A StackStartError is a sentence for the person at the terminal; anything else is a bug worth its trace.
    console.error(error instanceof StackStartError ? error.message : error);
    process.exit(1);
  });
}
