import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchSlackFunction, nodeVersion } from './slack-function';

/**
 * `npm run bench`: prints each issue's figures as ratios against a baseline measured in the same
 * run, and writes them to bench/results.json. `--quick` runs fewer iterations (a smoke test).
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const results: Record<string, unknown> = {
    measuredAt: new Date().toISOString(),
    node: nodeVersion(),
    cpu: cpus()[0]?.model,
    cores: cpus().length,
  };

  console.log('Slack function vs hand-written baseline (same esbuild options)…');
  const slack = await benchSlackFunction(
    quick ? { coldRuns: 3, warmRequests: 1_000 } : { coldRuns: 21, warmRequests: 10_000 },
  );
  console.table(slack.rows);
  console.table([slack.ratios]);
  console.table(slack.targets);
  results.slackFunction = slack;

  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log('Wrote bench/results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
