import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchAppHome } from './app-home';
import { benchBroadcast } from './broadcast';
import { benchCommandBurst, benchCommandLatency } from './command-latency';
import { benchCompare } from './compare';
import { benchDecisionLatency } from './decision-latency';
import { benchGates } from './gates';
import { benchMechanisms } from './mechanisms';
import { benchSlackFunction, nodeVersion } from './slack-function';

/** App Home: views.publish calls per request and per decision, and opening a Home with 100 open requests. */
async function appHome(results: Record<string, unknown>, quick: boolean): Promise<void> {
  console.log(
    '\nApp Home on the local stack: views.publish calls, and opening a Home with 100 open requests…',
  );
  const home = await benchAppHome({ openRequests: 100, opens: quick ? 5 : 40 });
  console.table([home.viewsPublish]);
  console.table(home.homeOpen);
  console.table([home.ratio]);
  results.appHome = home;
}

/**
 * `npm run bench`: prints each issue's figures as ratios against a baseline measured in the same
 * run, and writes them to bench/results.json. `--quick` runs fewer iterations (a smoke test).
 * `--slack` stops after the Slack function's figures; `--home` runs only App Home's. `--mechanisms` measures only what each of the
 * Slack function's cold-start mechanisms buys (docs/cold-start.md); with it, `--runs=N` sets the
 * rounds and `--only=<variant>,…` picks variants. `--compare=<folder>,…` measures the Slack function
 * as other checkouts built it (their `dist/slack`), beside the baseline: a change's before and after.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const results: Record<string, unknown> = {
    measuredAt: new Date().toISOString(),
    node: nodeVersion(),
    cpu: cpus()[0]?.model,
    cores: cpus().length,
  };

  if (process.argv.includes('--home')) {
    await appHome(results, quick);
    writeResults(results);
    return;
  }

  const compare = process.argv.find((arg) => arg.startsWith('--compare='))?.slice('--compare='.length);
  if (compare !== undefined) {
    const runs = process.argv.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length);
    console.log('The Slack function as built in each folder, beside the baseline, in one run…');
    const rows = await benchCompare({
      folders: compare.split(','),
      coldRuns: Number(runs ?? (quick ? 3 : 31)),
      warmRequests: quick ? 2_000 : 20_000,
    });
    console.table(rows);
    results.compare = rows;
    writeResults(results);
    return;
  }

  if (process.argv.includes('--mechanisms')) {
    console.log('The Slack function with and without each cold-start mechanism, beside the baseline…');
    const option = (name: string) =>
      process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
    const only = option('only')?.split(',');
    const mechanisms = await benchMechanisms({
      coldRuns: Number(option('runs') ?? (quick ? 3 : 61)),
      ...(only ? { only } : {}),
    });
    console.table(mechanisms.rows);
    results.mechanisms = mechanisms;
    writeResults(results);
    return;
  }

  console.log('Slack function vs hand-written baseline (same esbuild options)…');
  const slack = await benchSlackFunction(
    quick ? { coldRuns: 3, warmRequests: 1_000 } : { coldRuns: 21, warmRequests: 10_000 },
  );
  console.table(slack.rows);
  console.table([slack.ratios]);
  console.table(slack.targets);
  results.slackFunction = slack;
  if (process.argv.includes('--slack')) {
    writeResults(results);
    return;
  }

  console.log('\nSlash command to answer on the local stack (signed, through REST, function and workflow)…');
  const latency = benchCommandLatency(quick ? { commands: 20, lateRuns: 1 } : { commands: 300, lateRuns: 5 });
  console.table(latency.rows);
  console.table([latency.ratios]);
  console.log(
    `Slowest answer Slack saw: ${latency.worstAnswerMs} ms (limit ${latency.slackLimitMs} ms); ` +
      `requests answered "working on it" in the normal run: ${latency.requestsAnsweredLate}`,
  );
  results.commandLatency = latency;

  console.log(
    '\nA burst of status commands at 140/s (open loop): what Slack sees when the stack is saturated…',
  );
  const burst = benchCommandBurst({ seconds: quick ? 2 : 10, perSecond: 140 });
  console.table([burst]);
  results.commandBurst = burst;

  console.log('\nDeciding click to the outcome on the approval message: one approver vs 2 of 3…');
  const decisions = benchDecisionLatency({ rounds: quick ? 5 : 100 });
  console.table(decisions.rows);
  console.table([decisions.ratios]);
  results.decisionLatency = decisions;

  const connections = quick ? 500 : 5_000;
  console.log(`\nWebSocket broadcast to ${connections} real ws clients on the local gateway…`);
  const broadcast = await benchBroadcast({ connections, rounds: quick ? 1 : 3 });
  console.table(broadcast.table);
  console.log(
    `${broadcast.connections} clients connected through $connect in ${broadcast.connectMs} ms; ` +
      `every client got exactly one copy of each bounded broadcast: ${broadcast.everyClientExactlyOnce}; ` +
      `the naive Scan page held ${broadcast.naiveScanPageRows} of ${broadcast.rowsInTable} rows ` +
      `and missed ${broadcast.naiveMissedPerRound} clients per broadcast`,
  );
  results.broadcast = broadcast;

  console.log(
    '\nApprovals API on the local stack: POST /approvals, and a long poll woken by the deciding click…',
  );
  const gates = benchGates(quick ? { creates: 20, wakeUps: 3 } : { creates: 200, wakeUps: 20 });
  console.table(gates.rows);
  console.table([gates.ratios]);
  results.gates = gates;

  await appHome(results, quick);
  writeResults(results);
}

function writeResults(results: Record<string, unknown>): void {
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log('Wrote bench/results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
