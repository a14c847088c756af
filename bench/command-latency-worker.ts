import { Worker } from 'node:worker_threads';
import { WORKSPACE } from '@greenlight/local-stack/dev-config';
import { appInstall, slashCommandForm } from '@greenlight/local-stack/slack-requests/interaction-payloads';
import { signSlackRequest } from '@greenlight/local-stack/slack-signature';
import { templateWithSlowCommandWorkflow } from '../tests/helpers/derived-templates';
import { TestStack } from '../tests/helpers/local-stack';

/**
 * One scenario of the command-latency bench, in its own process (the functions read their
 * configuration once per process, as on Lambda). Prints one JSON line with raw timings in ms.
 */
// `burst <seconds> <per second>`; the others: `<scenario> <count>`.
const [scenario = 'normal', countText = '200'] = process.argv.slice(2);
const count = Number(countText);
const RITA = 'U0REQUESTR';

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function normal(stack: TestStack) {
  const expectOk = async (text: string) => {
    const answer = await stack.slashCommandAnswer(text, { user: RITA });
    if (answer.status !== 200 || !answer.text.includes('"text"'))
      throw new Error(`${text}: ${answer.status} ${answer.text}`);
    return answer.text;
  };
  const first = await expectOk('request "Bench warm-up" <@U0APPROVER>');
  const id = /GL-[0-9A-Z]{6}/.exec(first)?.[0] ?? 'GL-0000ZZ';
  for (let i = 0; i < 20; i += 1) {
    await expectOk('help');
    await expectOk(`status ${id}`);
  }
  const samples = { help: [] as number[], status: [] as number[], request: [] as number[] };
  let lateAnswers = 0;
  // Interleaved, so drift on the machine weighs on all three alike.
  for (let i = 0; i < count; i += 1) {
    samples.help.push(await timed(() => expectOk('help')));
    samples.status.push(await timed(() => expectOk(`status ${id}`)));
    samples.request.push(
      await timed(async () => {
        if ((await expectOk(`request "Bench ${i}" <@U0APPROVER>`)).includes('Working on it'))
          lateAnswers += 1;
      }),
    );
  }
  return { samples, lateAnswers };
}

async function late(stack: TestStack) {
  const samples = { workingOnIt: [] as number[], finalReply: [] as number[] };
  for (let i = 0; i < count; i += 1) {
    const before = stack.stack.slack.responses().length;
    const started = performance.now();
    const answer = await stack.slashCommandAnswer('status GL-0000ZZ', { user: RITA });
    samples.workingOnIt.push(performance.now() - started);
    if (!answer.text.includes('Working on it'))
      throw new Error(`expected the late answer, got ${answer.text}`);
    for (;;) {
      if (stack.stack.slack.responses().length > before) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    samples.finalReply.push(performance.now() - started);
  }
  return { samples };
}

/**
 * Sends prepared requests at their scheduled times from a thread of its own, as Slack sends them
 * from outside: a busy stack cannot hold the sender back, so every wait shows in the timings.
 */
const OPEN_LOOP_SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const started = Date.now();
const results = [];
let done = 0;
workerData.requests.forEach((request, i) => {
  setTimeout(() => {
    const sentAt = performance.now();
    const req = http.request(workerData.url, { method: 'POST', headers: request.headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        results.push({ ms: performance.now() - sentAt, late: Buffer.concat(chunks).toString('utf8').includes('Working on it') });
        if (++done === workerData.requests.length) parentPort.postMessage(results);
      });
    });
    req.on('error', () => {
      results.push({ ms: performance.now() - sentAt, late: false, failed: true });
      if (++done === workerData.requests.length) parentPort.postMessage(results);
    });
    req.end(request.body);
  }, Math.max(0, started + (i * 1000) / workerData.perSecond - Date.now()));
});
`;

/** Open loop: `status` commands at a fixed rate whatever the answers' pace, as a busy workspace sends them. */
async function burst(stack: TestStack, perSecond: number, seconds: number) {
  const first = await stack.slashCommandAnswer('request "Bench burst" <@U0APPROVER>', { user: RITA });
  const id = /GL-[0-9A-Z]{6}/.exec(first.text)?.[0] ?? 'GL-0000ZZ';
  const app = appInstall(stack.stack.endpoints.team, WORKSPACE.appId);
  const requests = Array.from({ length: perSecond * seconds }, () => {
    const body = slashCommandForm(app, {
      command: '/greenlight',
      text: `status ${id}`,
      user: { id: RITA, name: 'rita' },
      channel: { id: 'C0APPROVAL', name: 'approvals' },
      responseUrl: stack.stack.slack.createResponseUrl({ channel: 'C0APPROVAL', userId: RITA }),
      triggerId: stack.stack.slack.createTriggerId({ userId: RITA }),
    });
    return {
      body,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(stack.stack.secrets.signingSecret, body),
      },
    };
  });
  const sender = new Worker(OPEN_LOOP_SENDER, {
    eval: true,
    workerData: { url: stack.stack.endpoints.slackEvents, perSecond, requests },
  });
  const results = await new Promise<Array<{ ms: number; late: boolean }>>((resolve) =>
    sender.once('message', resolve),
  );
  await sender.terminate();
  return {
    samples: { status: results.map((result) => result.ms) },
    workingOnIt: results.filter((result) => result.late).length,
  };
}

async function main() {
  const stack = await TestStack.start(
    scenario === 'late' ? { templatePath: templateWithSlowCommandWorkflow(3) } : {},
  );
  try {
    const result =
      scenario === 'late'
        ? await late(stack)
        : scenario === 'burst'
          ? await burst(stack, Number(process.argv[4] ?? 140), count)
          : await normal(stack);
    console.log(JSON.stringify(result));
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
