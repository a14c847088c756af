import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { signSlackRequest } from '@greenlight/local-stack/slack-signature';
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
  ].map((name) => [`GREENLIGHT_${name}_PORT`, '0']),
);

describe('npm start', () => {
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/start.ts', '--memory'], {
      env: { ...process.env, ...FREE_PORTS },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

  it('writes .local/endpoints.json with URLs that answer and the secrets in use', async () => {
    const endpoints = JSON.parse(readFileSync('.local/endpoints.json', 'utf8')) as Record<string, string>;
    const body = new URLSearchParams({
      command: '/greenlight',
      text: 'help',
      user_id: 'U0REQUESTR',
      team_id: 'T0GREENLT',
    }).toString();
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
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
