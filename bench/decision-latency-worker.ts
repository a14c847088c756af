import { TestStack } from '../tests/helpers/local-stack';

/**
 * The decision bench in its own process (the functions read their configuration once per process,
 * as on Lambda): for each round, one single-approver request and one 2-of-3 request, and the time
 * from the deciding click to the approval message showing the outcome (its buttons gone). Prints one
 * JSON line with the raw timings in ms.
 */
const rounds = Number(process.argv[2] ?? '50');
const CHANNEL = 'C0APPROVAL';
const [ANA, OMAR, CLEO] = ['U0APPROVER', 'U0APPROVR2', 'U0APPROVR3'];

type Message = { ts: string; text: string; blocks?: unknown[] };

const hasButtons = (message: Message | undefined) =>
  JSON.stringify(message?.blocks ?? []).includes('"actions"');

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const giveUpAt = performance.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (performance.now() > giveUpAt) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function posted(stack: TestStack, text: string): Promise<{ id: string; ts: string }> {
  const answer = await stack.slashCommand(`request ${text}`, { user: 'U0REQUESTR', channel: CHANNEL });
  const id = /GL-[0-9A-Z]{6}/.exec(answer.text)?.[0];
  if (id === undefined) throw new Error(`no id in ${answer.text}`);
  const message = await until(
    () =>
      (stack.stack.slack.messages(CHANNEL) as readonly Message[]).find(
        (candidate) => candidate.text.includes(id) && hasButtons(candidate),
      ),
    `the message of ${id}`,
  );
  return { id, ts: message.ts };
}

const messageAt = (stack: TestStack, ts: string) =>
  (stack.stack.slack.messages(CHANNEL) as readonly Message[]).find((candidate) => candidate.ts === ts);

/** Clicks Approve as `user` and resolves when the Slack API has answered the click. */
const approve = (stack: TestStack, id: string, ts: string, user: string) =>
  stack.clickButton({ channel: CHANNEL, messageTs: ts, actionId: 'approval_approve', value: id, user });

/** From the deciding click to the message without buttons. */
async function decidingClick(stack: TestStack, id: string, ts: string, user: string): Promise<number> {
  const started = performance.now();
  await approve(stack, id, ts, user);
  await until(() => (hasButtons(messageAt(stack, ts)) ? undefined : true), `the outcome of ${id}`);
  return performance.now() - started;
}

async function main() {
  const stack = await TestStack.start();
  try {
    const samples = { single: [] as number[], quorum: [] as number[] };
    // Warm-up: every function's first (cold) run stays out of the figures.
    for (let i = 0; i < 3; i += 1) {
      const one = await posted(stack, `"Warm-up ${i}" <@${ANA}>`);
      await decidingClick(stack, one.id, one.ts, ANA);
    }
    // Interleaved, so drift on the machine weighs on both alike.
    for (let i = 0; i < rounds; i += 1) {
      const single = await posted(stack, `"Single ${i}" <@${ANA}>`);
      samples.single.push(await decidingClick(stack, single.id, single.ts, ANA));
      const quorum = await posted(stack, `"Quorum ${i}" <@${ANA}> <@${OMAR}> <@${CLEO}> --need 2`);
      await approve(stack, quorum.id, quorum.ts, ANA);
      await until(
        () =>
          JSON.stringify(messageAt(stack, quorum.ts)?.blocks).includes('Approved 1 of 2') ? true : undefined,
        `the first approval of ${quorum.id}`,
      );
      samples.quorum.push(await decidingClick(stack, quorum.id, quorum.ts, CLEO));
    }
    console.log(JSON.stringify({ samples }));
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
