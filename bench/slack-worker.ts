/**
 * Runs in a fresh `node` process: loads one bundle and handles signed slash commands, printing one
 * JSON line of measurements. Cold: time to load the bundle and answer the first command.
 * Warm: per-request latency over many commands after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import { signSlackRequest } from '@greenlight/local-stack/slack-signature';

const [bundle, mode, countArg] = process.argv.slice(2);
const secret = process.env.SLACK_SIGNING_SECRET ?? '';

function command(text: string) {
  const body = new URLSearchParams({
    token: 'x',
    team_id: 'T0GREENLT',
    channel_id: 'C0APPROVAL',
    user_id: 'U0REQUESTR',
    command: '/greenlight',
    text,
    response_url: 'https://hooks.slack.com/commands/T0GREENLT/1/x',
    trigger_id: '1.2.3',
  }).toString();
  return {
    httpMethod: 'POST',
    path: '/slack/events',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...signSlackRequest(secret, body) },
    multiValueHeaders: {},
    body,
    isBase64Encoded: false,
    requestContext: { requestId: 'bench', requestTimeEpoch: Date.now() },
  };
}

const context = {
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
  functionName: 'bench',
};

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number }>;

async function main(): Promise<void> {
  const event = command('help');
  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  const { handler } = require(bundle ?? '') as { handler: Handler };
  const loaded = performance.now();
  const first = await handler(event, context);
  const answered = performance.now();
  if (first.statusCode !== 200) throw new Error(`first command answered ${first.statusCode}`);

  if (mode === 'cold') {
    // CPU time as well as wall time: on a busy machine the process waits for a core, and CPU time
    // leaves out the waiting (not the work of other threads, such as the compiler's and the GC's).
    const cpu = process.cpuUsage(cpuAtStart);
    const coldCpuMs = (cpu.user + cpu.system) / 1000;
    const rssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(
      `${JSON.stringify({ loadMs: loaded - start, coldMs: answered - start, coldCpuMs, rssMb })}\n`,
    );
    return;
  }
  const count = Number(countArg ?? 10_000);
  for (let i = 0; i < 500; i += 1) await handler(event, context);
  const samples = new Float64Array(count);
  // CPU time as well: on a machine busy with other work, a request's wall time mostly measures waiting.
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    const result = await handler(event, context);
    samples[i] = performance.now() - t0;
    if (result.statusCode !== 200) throw new Error(`request ${i} answered ${result.statusCode}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUsPerRequest = (cpu.user + cpu.system) / count;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ samples: Array.from(samples), cpuUsPerRequest, rssMb })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
