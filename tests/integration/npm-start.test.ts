import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signSlackRequest } from '@greenlight/local-stack/slack-signature';
import slashCommandFixture from '@greenlight/local-stack/testing/fixtures/slack/slash-command.json';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const FREE_PORTS = Object.fromEntries(
  [
    'SANDBOX',
    'REST',
    'WEBSOCKET',
    'DYNAMODB',
    'STEPFUNCTIONS',
    'SES',
    'SLACK_API',
    'SECRETS_MANAGER',
    'LAMBDA',
    'EVENT_BRIDGE',
    'GITHUB_API',
    'CODE_PIPELINE',
  ].map((name) => [`GREENLIGHT_${name}_PORT`, '0']),
);

/** The checkout's own endpoints file: a stack the person runs may own it, and no test may touch it. */
const CHECKOUT_ENDPOINTS = '.local/endpoints.json';
const fingerprint = () => (existsSync(CHECKOUT_ENDPOINTS) ? statSync(CHECKOUT_ENDPOINTS).mtimeMs : 'absent');

/** `npm start` as a person types it (tsx runs scripts/start.ts), with its own data dir and .env. */
function npmStart(args: string[], env: Record<string, string> = {}): ChildProcess {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...FREE_PORTS, ...env };
  for (const name of ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'WEBSOCKET_TOKEN_KEY', 'LINK_SIGNING_KEY'])
    if (!(name in env)) delete environment[name];
  return spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/start.ts', ...args], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a start that is expected to fail; resolves with its exit code and everything it printed. */
async function failedStart(args: string[], env: Record<string, string> = {}) {
  const child = npmStart(args, env);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(watchdog);
  return { code, output };
}

describe('npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-npm-start-'));
  const dataDir = join(dir, 'data');
  const envFile = join(dir, '.env');
  const checkoutEndpointsBefore = fingerprint();
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    writeFileSync(envFile, '# the person’s own bot token\nSLACK_BOT_TOKEN=xoxb-from-dot-env\n');
    child = npmStart(['--data-dir', dataDir, '--env-file', envFile]);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl+C stops')) resolve();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every URL once ready', () => {
    for (const label of [
      'Slack sandbox',
      'Slack request URL',
      'WebSocket API',
      'Slack Web API',
      'Step Functions',
      'DynamoDB',
      'SES',
      'Secrets Manager',
    ]) {
      expect(output).toMatch(new RegExp(`${label}\\s+(http|ws)://`));
    }
  });

  it('announces which secrets fall back to the dev defaults, and not the one .env sets', () => {
    const line = output.split('\n').find((text) => text.startsWith('Dev defaults')) ?? '';
    expect(line).toContain('SLACK_SIGNING_SECRET, WEBSOCKET_TOKEN_KEY, LINK_SIGNING_KEY');
    expect(line).not.toContain('SLACK_BOT_TOKEN');
  });

  it('writes endpoints.json into its data dir, with URLs that answer, and leaves the checkout’s alone', async () => {
    const endpoints = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as Record<
      string,
      string
    >;
    const body = new URLSearchParams({ ...slashCommandFixture, text: 'help' }).toString();
    const response = await fetch(endpoints.slackEvents ?? '', {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(endpoints.signingSecret ?? '', body),
      },
    });
    const sandbox = await fetch(endpoints.sandbox ?? '');
    expect(response.status).toBe(200);
    expect(sandbox.status).toBe(200);
    expect(endpoints.botToken).toBe('xoxb-from-dot-env');
    expect(fingerprint()).toBe(checkoutEndpointsBefore);
  });

  it('refuses a second stack on the same data dir with a sentence, not a trace', async () => {
    const second = await failedStart(['--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`Another local stack is already using ${dataDir}`);
    expect(second.output).toContain('--memory');
    expect(second.output).not.toMatch(/Database is not open|\n\s+at /);
  }, 40_000);

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('npm start, when something is in the way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-npm-start-'));
  let busy: Server;
  let busyPort = 0;

  beforeAll(async () => {
    // It only holds the port: a connection (DynamoDB Local's readiness probe finds it, say) is
    // dropped at once, so no open socket keeps close() waiting after the test.
    busy = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the service whose port is taken, its variable and the likely cause', async () => {
    const run = await failedStart(['--memory', '--data-dir', dir], {
      GREENLIGHT_DYNAMODB_PORT: String(busyPort),
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DynamoDB cannot listen on port ${busyPort}`);
    expect(run.output).toContain('GREENLIGHT_DYNAMODB_PORT');
    expect(run.output).toContain('another local stack is running');
    expect(run.output).not.toMatch(/\n\s+at /);
  }, 40_000);

  it('reports a malformed .env line by its number, without its content, and starts nothing', async () => {
    const envFile = join(dir, '.env');
    writeFileSync(envFile, '# settings\nSLACK_BOT_TOKEN=xoxb-fine\nLINK_SIGNING_KEY xoxb-secret-typo\n');
    const run = await failedStart(['--memory', '--data-dir', dir, '--env-file', envFile]);
    expect(run.code).toBe(1);
    expect(run.output).toContain(`${envFile}, line 3: expected NAME=value (no "=" after LINK_SIGNING_KEY)`);
    expect(run.output).not.toContain('xoxb-secret-typo');
    expect(existsSync(join(dir, 'endpoints.json'))).toBe(false);
  }, 40_000);

  it('refuses a bad policy file with its line and the problem, and starts nothing', async () => {
    const policies = join(dir, 'policies.yaml');
    writeFileSync(
      policies,
      'version: 1\npolicies:\n  - name: prod\n    approvers: [U0APPROVER]\n    need: 2\n',
    );
    const run = await failedStart(['--memory', '--data-dir', dir], { GREENLIGHT_POLICIES_FILE: policies });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`${policies}:5:11 \`need\` is 2 but only 1 approver is named`);
    expect(run.output).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'endpoints.json'))).toBe(false);
  }, 40_000);
});
