import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BASELINE,
  type Bundle,
  buildFresh,
  buildWorker,
  coldStart,
  folderSize,
  runBundle,
} from './slack-function';
import { median, percentile, round } from './stats';

/**
 * `npm run bench -- --compare=<folder>,<folder>,…`: the Slack function as built by other checkouts
 * (`npm run build` there writes `dist/slack/`), beside the hand-written baseline, with the same worker
 * and in the same run: a change's before and after, judged by one yardstick. Cold starts go round
 * robin, the order reversed every other round, so drift on the machine affects every bundle alike;
 * warm requests go in blocks, round robin too. Each figure comes with its quartiles, the spread a
 * reader needs to tell a change from noise.
 */
export async function benchCompare({
  folders,
  coldRuns,
  warmRequests,
  warmBlocks = 6,
}: {
  folders: ReadonlyArray<string>;
  coldRuns: number;
  warmRequests: number;
  warmBlocks?: number;
}) {
  await buildFresh(BASELINE.options, BASELINE.outdir);
  await buildWorker();
  const bundles: Array<{ name: string; bundle: Bundle }> = [
    ...folders.map((folder) => {
      const handler = ['functions/slack.js', 'index.js'].find((file) => existsSync(join(folder, file)));
      if (handler === undefined) throw new Error(`${folder} holds no functions/slack.js or index.js`);
      return { name: folder, bundle: { options: {}, outdir: resolve(folder), handler } };
    }),
    { name: 'baseline', bundle: BASELINE },
  ];

  const cold = bundles.map(() => ({ ms: [] as number[], cpuMs: [] as number[], loadMs: [] as number[] }));
  for (let round = 0; round < coldRuns; round += 1) {
    const order = bundles.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const result = coldStart(bundles[index]?.bundle as Bundle);
      cold[index]?.ms.push(result.coldMs);
      cold[index]?.cpuMs.push(result.coldCpuMs);
      cold[index]?.loadMs.push(result.loadMs);
    }
  }

  const warm = bundles.map(() => [] as number[]);
  const blockMedians = bundles.map(() => [] as number[]);
  const blockCpu = bundles.map(() => [] as number[]);
  for (let block = 0; block < warmBlocks; block += 1) {
    bundles.forEach(({ bundle }, index) => {
      const { samples, cpuUsPerRequest } = runBundle(
        bundle,
        'warm',
        Math.ceil(warmRequests / warmBlocks),
      ) as {
        samples: number[];
        cpuUsPerRequest: number;
      };
      warm[index]?.push(...samples);
      blockMedians[index]?.push(median(samples) * 1000);
      blockCpu[index]?.push(cpuUsPerRequest);
    });
  }

  const spread = (values: number[], scale = 1, digits = 1) =>
    `${round(percentile(values, 25) * scale, digits)} … ${round(percentile(values, 75) * scale, digits)}`;
  return bundles.map(({ name, bundle }, index) => {
    const times = cold[index] ?? { ms: [], cpuMs: [], loadMs: [] };
    const samples = warm[index] ?? [];
    const blocks = blockMedians[index] ?? [];
    const cpu = blockCpu[index] ?? [];
    return {
      bundle: name,
      ...folderSize(bundle.outdir),
      handlerBytes: statSync(join(bundle.outdir, bundle.handler)).size,
      coldMs: round(median(times.ms), 1),
      coldMsQuartiles: spread(times.ms),
      coldCpuMs: round(median(times.cpuMs), 1),
      coldCpuMsQuartiles: spread(times.cpuMs),
      loadMs: round(median(times.loadMs), 1),
      warmMedianUs: round(median(samples) * 1000, 1),
      warmBlockMediansUs: `${round(Math.min(...blocks), 1)} … ${round(Math.max(...blocks), 1)}`,
      warmP99Us: round(percentile(samples, 99) * 1000, 1),
      // CPU per request, block by block: the steadier warm figure on a shared machine.
      warmCpuUs: round(median(cpu), 1),
      warmCpuUsBlocks: `${round(Math.min(...cpu), 1)} … ${round(Math.max(...cpu), 1)}`,
    };
  });
}
