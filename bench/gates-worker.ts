import { callApi, makeApiKey } from '../tests/helpers/gates';
import { TestStack } from '../tests/helpers/local-stack';

/**
 * The gates bench, in its own process (the functions read their configuration once per process, as
 * on Lambda). Prints one JSON line with raw timings in ms: POST /approvals, GET /approvals/keys (the
 * same gateway and function without DynamoDB or Step Functions: the baseline), and how long a
 * `GET ?wait=25` takes to answer after the deciding click was answered.
 */
const [countText = '200', wakeText = '20'] = process.argv.slice(2);
const CHANNEL = 'C0APPROVAL';
const ANA = 'U0APPROVER';

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function waitFor<T>(find: () => T | undefined): Promise<T> {
  for (let tries = 0; tries < 600; tries += 1) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('gave up waiting');
}

async function main(): Promise<void> {
  const stack = await TestStack.start({ environment: { LOG_LEVEL: 'silent' } });
  try {
    const key = await makeApiKey(stack, 'bench');
    const body = (i: number) => ({
      title: `Bench gate ${i}`,
      approvers: [ANA],
      channel: CHANNEL,
      artifact: { kind: 'git-commit', digest: `${i}`.padStart(40, '0') },
    });
    const create = async (i: number) => {
      const answer = await callApi(stack, 'POST', '/approvals', { key, body: body(i) });
      if (answer.status !== 201) throw new Error(`POST /approvals: ${answer.status}`);
      return String(answer.body.id);
    };
    for (let i = 0; i < 10; i += 1) {
      await create(-i - 1);
      await callApi(stack, 'GET', '/approvals/keys');
    }
    const samples = { create: [] as number[], keys: [] as number[], wakeUp: [] as number[] };
    for (let i = 0; i < Number(countText); i += 1) {
      samples.keys.push(await timed(() => callApi(stack, 'GET', '/approvals/keys')));
      samples.create.push(await timed(() => create(i)));
    }
    for (let i = 0; i < Number(wakeText); i += 1) {
      const id = await create(10_000 + i);
      const message = await waitFor(() =>
        stack.stack.slack
          .messages(CHANNEL)
          // The message with its buttons: the workflow has stored its token, so the click completes it.
          .find((m) => m.text.includes(id) && JSON.stringify(m.blocks).includes('approval_approve')),
      );
      let answeredAt = 0;
      const waiting = callApi(stack, 'GET', `/approvals/${id}?wait=25`, { key }).then((answer) => {
        answeredAt = performance.now();
        if (answer.body.status !== 'APPROVED')
          throw new Error(`expected APPROVED, got ${String(answer.body.status)}`);
      });
      // Let the long poll reach its waiting loop before the click.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await stack.clickButton({
        channel: CHANNEL,
        messageTs: message.ts,
        actionId: 'approval_approve',
        value: id,
        user: ANA,
      });
      const clickedAt = performance.now();
      await waiting;
      samples.wakeUp.push(Math.max(0, answeredAt - clickedAt));
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
