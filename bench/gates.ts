import { execFileSync } from 'node:child_process';
import { median, percentile, round } from './stats';

const summary = (values: number[]) => ({
  n: values.length,
  p50: round(median(values), 1),
  p99: round(percentile(values, 99), 1),
  max: round(Math.max(...values), 1),
});

/**
 * Issue 14's figures on the local stack: `POST /approvals` (key check, idempotency-free create,
 * record write, workflow start) against `GET /approvals/keys` through the same gateway and function
 * as the baseline, and a long poll's wake-up after the deciding click (the poll reads the record
 * every 200 ms, so about half that is expected).
 */
export function benchGates({ creates, wakeUps }: { creates: number; wakeUps: number }) {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/gates-worker.ts', String(creates), String(wakeUps)],
    {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const { samples } = JSON.parse(output.trim().split('\n').pop() ?? '{}') as {
    samples: { create: number[]; keys: number[]; wakeUp: number[] };
  };
  const rows = {
    'GET /approvals/keys (baseline)': summary(samples.keys),
    'POST /approvals': summary(samples.create),
    'GET ?wait wake-up after the click': summary(samples.wakeUp),
  };
  return {
    rows,
    ratios: {
      createP50VsBaseline: round(median(samples.create) / median(samples.keys), 2),
      createP99VsBaseline: round(percentile(samples.create, 99) / percentile(samples.keys, 99), 2),
    },
  };
}
