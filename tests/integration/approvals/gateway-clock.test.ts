import { Worker } from 'node:worker_threads';
import { signSlackRequest } from '@greenlight/local-stack/slack-signature';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WORKING_ON_IT } from '../../../app/slack/commands/command-workflow';
import { templateWithSlowCommandWorkflow } from '../../helpers/derived-templates';
import { TestStack } from '../../helpers/local-stack';
import { APPROVALS_CHANNEL, RITA } from '../../helpers/people';

// Its own file: the functions read COMMAND_BUDGET_MS once per process, as on Lambda.
const BUDGET_MS = 600;
/** How long this process (where the functions run) is kept busy while the request waits in the gateway. */
const BUSY_MS = 900;

/**
 * Sends one request from a thread of its own, so it goes out while this thread is blocked; flags
 * `sent` once the request has left, and posts back the answer.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const sent = new Int32Array(workerData.sent);
const request = http.request(workerData.url, { method: 'POST', headers: workerData.headers }, (response) => {
  const chunks = [];
  response.on('data', (chunk) => chunks.push(chunk));
  response.on('end', () => parentPort.postMessage({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
});
request.on('error', (error) => parentPort.postMessage({ status: 0, text: String(error) }));
request.end(workerData.body, () => { Atomics.store(sent, 0, 1); Atomics.notify(sent, 0); });
`;

function sendWhileBusy(stack: TestStack, text: string) {
  const responseUrl = stack.stack.slack.createResponseUrl({ channel: APPROVALS_CHANNEL, userId: RITA });
  const body = new URLSearchParams({
    team_id: stack.stack.endpoints.team.id,
    channel_id: APPROVALS_CHANNEL,
    channel_name: 'approvals',
    user_id: RITA,
    user_name: 'rita',
    command: '/greenlight',
    text,
    response_url: responseUrl,
    trigger_id: stack.stack.slack.createTriggerId({ userId: RITA }),
  }).toString();
  const sent = new SharedArrayBuffer(4);
  const client = new Worker(CLIENT, {
    eval: true,
    workerData: {
      url: stack.stack.endpoints.slackEvents,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(stack.stack.secrets.signingSecret, body),
      },
      body,
      sent,
    },
  });
  const answer = new Promise<{ status: number; text: string }>((resolve) => client.once('message', resolve));
  // Block this thread (the functions' "container") until the request is out, then for BUSY_MS more:
  // a burst of other commands, as far as this request is concerned.
  Atomics.wait(new Int32Array(sent), 0, 0, 10_000);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_MS);
  const busyUntil = Date.now();
  return { answer: answer.finally(() => client.terminate()), busyUntil };
}

describe("the local gateway's clock", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      templatePath: templateWithSlowCommandWorkflow(1),
      environment: { COMMAND_BUDGET_MS: String(BUDGET_MS) },
    });
    // Cold starts out of the way: the budget below is spent by the queue alone.
    await stack.slashCommand('help');
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('stamps a request when it arrives, so one delayed in the gateway gets "working on it" at once', async () => {
    const { answer, busyUntil } = sendWhileBusy(stack, 'status GL-0000ZZ');

    const answered = await answer;
    expect(answered).toEqual({
      status: 200,
      text: JSON.stringify({ response_type: 'ephemeral', text: WORKING_ON_IT }),
    });
    // The budget counted from arrival, and was spent before the function could run at all.
    const started = await eventually(() =>
      stack.stack.stepFunctions
        .executions()
        .find((execution) => execution.input?.includes('status') && execution.input.includes('GL-0000ZZ')),
    );
    const input = JSON.parse(started.input ?? '{}') as { receivedAt: string; deadline: string };
    expect(Date.parse(input.receivedAt)).toBeLessThan(busyUntil);
    expect(Date.parse(input.deadline)).toBeLessThan(busyUntil);
    // And the promise in "working on it" is kept.
    const delivered = await eventually(() =>
      stack.stack.slack
        .responses()
        .find((response) => JSON.stringify(response.payload).includes('GL-0000ZZ')),
    );
    expect(delivered.payload).toEqual(
      expect.objectContaining({ replace_original: true, text: ':warning: There is no request `GL-0000ZZ`.' }),
    );
  });
});
