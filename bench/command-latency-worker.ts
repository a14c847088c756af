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
 * Open loop: `status` commands sent at a fixed rate whatever the answers' pace, as a busy
 * workspace sends them; each answer's time is measured from when its request was sent.
 */
async function burst(stack: TestStack, perSecond: number, seconds: number) {
  const first = await stack.slashCommandAnswer('request "Bench burst" <@U0APPROVER>', { user: RITA });
  const id = /GL-[0-9A-Z]{6}/.exec(first.text)?.[0] ?? 'GL-0000ZZ';
  const samples: number[] = [];
  let workingOnIt = 0;
  const started = performance.now();
  const sent: Array<Promise<void>> = [];
  for (let i = 0; i < perSecond * seconds; i += 1) {
    const at = started + (i * 1000) / perSecond;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push(
      (async () => {
        const sentAt = performance.now();
        const answer = await stack.slashCommandAnswer(`status ${id}`, { user: RITA });
        samples.push(performance.now() - sentAt);
        if (answer.text.includes('Working on it')) workingOnIt += 1;
      })(),
    );
  }
  await Promise.all(sent);
  return { samples: { status: samples }, workingOnIt };
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
