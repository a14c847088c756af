import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { verifyReceipt } from '../../../app/gates/receipts';
import { buttonsOf } from '../../helpers/approval-requests';
import { callApi, makeApiKey } from '../../helpers/gates';
import { ANA, APPROVALS_CHANNEL as CHANNEL, OMAR, useTestStack } from '../../helpers/people';

const useStack = useTestStack();
const ACTION = resolve('integrations/github-action/dist/index.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  dir: string;
}

/** Runs the action's committed bundle as the runner does: inputs as INPUT_*, outputs to $GITHUB_OUTPUT. */
function runAction(inputs: Record<string, string>, github: Record<string, string>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'action-'));
  const outputFile = join(dir, 'output');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_JOB: 'deploy',
    GITHUB_RUN_ATTEMPT: '1',
    ...github,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      let outputs: Record<string, string> = {};
      try {
        outputs = Object.fromEntries(
          readFileSync(outputFile, 'utf8')
            .trim()
            .split('\n')
            .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
        );
      } catch {
        // No output file: the action failed before it set any.
      }
      resolve({ code, stdout, stderr, outputs, dir });
    });
  });
}

function approvalMessage(text: string) {
  return eventually(
    () =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((message) => message.text.includes(text) && buttonsOf(message).length > 0),
    { what: `the approval message "${text}"` },
  );
}

const idOf = (messageText: string) => /\((GL-[0-9A-Z]{6})\)/.exec(messageText)?.[1] ?? '';

async function rejectWithComment(id: string, ts: string, user: string, comment: string) {
  await useStack().clickButton({
    channel: CHANNEL,
    messageTs: ts,
    actionId: 'approval_reject',
    value: id,
    user,
  });
  const modal = await eventually(() =>
    useStack()
      .stack.slack.views()
      .find(
        (view) =>
          view.view.callback_id === 'approval_reject_confirm' && view.view.private_metadata.includes(id),
      ),
  );
  await useStack().submitView({
    user,
    callbackId: 'approval_reject_confirm',
    privateMetadata: modal.view.private_metadata,
    values: { comment: { comment_input: { type: 'plain_text_input', value: comment } } },
  });
}

describe('the GitHub Action', () => {
  it('asks, waits for the click, writes a receipt that verifies for the commit, and passes on approval', async () => {
    const key = await makeApiKey(useStack(), 'gha-approve');
    const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const running = runAction(
      {
        'api-url': useStack().endpoints.rest,
        'api-key': key,
        title: 'Ship acme/app to production',
        approvers: ANA,
        channel: CHANNEL,
      },
      { GITHUB_SHA: sha, GITHUB_RUN_ID: '1001' },
    );
    const message = await approvalMessage('Ship acme/app to production');
    expect(JSON.stringify(message.blocks)).toContain(sha);
    const id = idOf(message.text);
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: message.ts,
      actionId: 'approval_approve',
      value: id,
      user: ANA,
    });
    const run = await running;

    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ id, status: 'APPROVED', 'receipt-file': 'greenlight-receipt.jws' });
    const jwks = (await callApi(useStack(), 'GET', '/approvals/keys')).body as { keys: [] };
    const receipt = readFileSync(join(run.dir, 'greenlight-receipt.jws'), 'utf8');
    expect(verifyReceipt(receipt, jwks, { digest: sha })).toMatchObject({ ok: true, payload: { sub: id } });
    // The key is masked first, and appears in no other line.
    expect(run.stdout.split('\n').filter((line) => line.includes(key))).toEqual([`::add-mask::${key}`]);
  });

  it('keeps concurrent runs apart: each waits for its own request, and a rejection fails only its job, with the comment', async () => {
    const key = await makeApiKey(useStack(), 'gha-concurrent');
    const inputs = {
      'api-url': useStack().endpoints.rest,
      'api-key': key,
      title: 'Deploy to staging',
      approvers: `${ANA}, ${OMAR}`,
      channel: CHANNEL,
    };
    const first = runAction(inputs, {
      GITHUB_SHA: '1111111111111111111111111111111111111111',
      GITHUB_RUN_ID: '2001',
    });
    const second = runAction(inputs, {
      GITHUB_SHA: '2222222222222222222222222222222222222222',
      GITHUB_RUN_ID: '2002',
    });
    const messages = await eventually(() => {
      const found = useStack()
        .stack.slack.messages(CHANNEL)
        .filter((message) => message.text.includes('Deploy to staging') && buttonsOf(message).length > 0);
      return found.length === 2 ? found : undefined;
    });
    const bySha = (sha: string) => messages.find((message) => JSON.stringify(message.blocks).includes(sha));
    const firstMessage = bySha('1111111111111111111111111111111111111111');
    const secondMessage = bySha('2222222222222222222222222222222222222222');
    if (!firstMessage || !secondMessage) throw new Error('one message per run, each naming its commit');

    await rejectWithComment(idOf(secondMessage.text), secondMessage.ts, OMAR, 'Staging is frozen today');
    const rejected = await second;
    await useStack().clickButton({
      channel: CHANNEL,
      messageTs: firstMessage.ts,
      actionId: 'approval_approve',
      value: idOf(firstMessage.text),
      user: ANA,
    });
    const approved = await first;

    expect(rejected.code).toBe(1);
    expect(rejected.outputs).toMatchObject({ id: idOf(secondMessage.text), status: 'REJECTED' });
    expect(rejected.stdout).toContain(
      `::error::Not approved: ${idOf(secondMessage.text)} rejected by ${OMAR}: Staging is frozen today`,
    );
    expect(approved.code).toBe(0);
    expect(approved.outputs).toMatchObject({ id: idOf(firstMessage.text), status: 'APPROVED' });
  });

  it('fails the job with Greenlight’s own words when the request is refused', async () => {
    const run = await runAction(
      {
        'api-url': useStack().endpoints.rest,
        'api-key': `gl_aaaaaaaaaaaa_${'A'.repeat(43)}`,
        title: 'Nope',
        approvers: ANA,
        channel: CHANNEL,
      },
      { GITHUB_SHA: '3333333333333333333333333333333333333333', GITHUB_RUN_ID: '3001' },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Greenlight refused the request: 401 unauthorized: Unknown API key.',
    );
  });
});
