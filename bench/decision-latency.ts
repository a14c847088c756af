import { execFileSync } from 'node:child_process';
import { median, percentile, round } from './stats';

const summary = (values: number[]) => ({
  n: values.length,
  p50: round(median(values), 1),
  p99: round(percentile(values, 99), 1),
  max: round(Math.max(...values), 1),
});

/**
 * Issue 13's figures: the deciding click (signed, through REST, the Slack function, the vote's
 * conditional write, SendTaskSuccess and the workflow's announcement) to the outcome on the
 * approval message, on the local stack. A single approver is the baseline measured in the same
 * run; the 2-of-3 request is timed from its second (deciding) approval.
 */
export function benchDecisionLatency({ rounds }: { rounds: number }) {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/decision-latency-worker.ts', String(rounds)],
    {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const { samples } = JSON.parse(output.trim().split('\n').pop() ?? '{}') as {
    samples: { single: number[]; quorum: number[] };
  };
  const single = summary(samples.single);
  const quorum = summary(samples.quorum);
  return {
    rows: { 'single approver (baseline)': single, '2 of 3 (deciding click)': quorum },
    ratios: {
      '2-of-3 p50 / single p50': round(quorum.p50 / single.p50, 2),
      '2-of-3 p99 / single p99': round(quorum.p99 / single.p99, 2),
    },
  };
}
