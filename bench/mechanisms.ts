import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { bundleOptions, handlerFile, type LambdaFunction, lambdaFunction } from '../scripts/lambda-functions';
import { BASELINE, buildFresh, buildWorker, type ColdStart, coldStart, folderSize } from './slack-function';
import { median, percentile, round } from './stats';

/**
 * `npm run bench -- --mechanisms`: what each of the Slack function's cold-start mechanisms buys
 * (docs/cold-start.md). The function is bundled as shipped, then once without each mechanism (and
 * without all of them), and every bundle is cold-started in turn, round after round, beside the
 * hand-written baseline, so drift on the machine affects them alike; figures are medians.
 */
const MECHANISMS = {
  boltApp: "Bolt's App imported from its own file, not from Bolt's index",
  webApiChunk: 'the Web API as a chunk read on first use',
  receiverStandIns: "stand-ins for Bolt's stock receivers",
  lazyDynamoDb: 'the DynamoDB client built on first use',
} as const;
type Mechanism = keyof typeof MECHANISMS;

const VARIANTS: ReadonlyArray<{ name: string; without: ReadonlyArray<Mechanism> }> = [
  { name: 'as shipped', without: [] },
  // The same bundle again: how far apart two runs of identical code come out, the floor below
  // which a difference means nothing.
  { name: 'as shipped, again', without: [] },
  { name: 'without Web API chunk', without: ['webApiChunk'] },
  { name: 'without receiver stand-ins', without: ['receiverStandIns'] },
  { name: 'without lazy DynamoDB client', without: ['lazyDynamoDb'] },
  { name: "with Bolt's index", without: ['boltApp'] },
  { name: 'without any', without: ['boltApp', 'webApiChunk', 'receiverStandIns', 'lazyDynamoDb'] },
];

/** app/shared/aws/dynamodb.ts with its client built as the module loads, as other clients are. */
const eagerDynamoDb: Plugin = {
  name: 'eager-dynamodb',
  setup(build) {
    build.onResolve({ filter: /\/on-first-use$/ }, (args) =>
      args.importer.endsWith(join('app', 'shared', 'aws', 'dynamodb.ts'))
        ? { path: 'on-first-use', namespace: 'eager' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'eager' }, () => ({
      contents: 'export const onFirstUse = (build) => build();',
      loader: 'js',
    }));
  },
};

/** `@slack/bolt/dist/App` (app/slack/app.ts) as Bolt's index, which also exports every receiver. */
const boltIndex: Plugin = {
  name: 'bolt-index',
  setup(build) {
    build.onResolve({ filter: /^@slack\/bolt\/dist\/App$/ }, async (args) => {
      const found = await build.resolve('@slack/bolt', { kind: args.kind, resolveDir: args.resolveDir });
      return found.errors.length > 0 ? { errors: found.errors } : { path: found.path };
    });
  },
};

/**
 * The Slack function's esbuild options with the given mechanisms taken out, and where its handler's
 * file lands (the layout follows the entry points: without a chunk outside app/functions, the
 * handler is `slack.js` at the top).
 */
function slackBundleWithout(without: ReadonlyArray<Mechanism>): { options: BuildOptions; handler: string } {
  const slack = lambdaFunction('slack');
  const chunks = (slack.chunks ?? []).filter(
    (chunk) =>
      !(without.includes('webApiChunk') && chunk.endsWith('web-api-chunk.ts')) &&
      !(without.includes('receiverStandIns') && chunk.includes('/receivers/')),
  );
  const fn: LambdaFunction = {
    ...slack,
    chunks,
    ...(without.includes('webApiChunk') ? { options: {} } : {}),
  };
  const options = {
    ...bundleOptions(fn),
    plugins: [
      ...(without.includes('lazyDynamoDb') ? [eagerDynamoDb] : []),
      ...(without.includes('boltApp') ? [boltIndex] : []),
    ],
  };
  return { options, handler: handlerFile(fn) };
}

export interface MechanismsOptions {
  /** Rounds: in each, every bundle is cold-started once. */
  coldRuns: number;
  /** Only these variants (names as printed), besides the bundle as shipped and the baseline. */
  only?: ReadonlyArray<string>;
}

export async function benchMechanisms({ coldRuns, only }: MechanismsOptions) {
  const variants = VARIANTS.filter(
    ({ name, without }) => without.length === 0 || !only || only.includes(name),
  );
  const bundles = [
    ...variants.map(({ name, without }) => ({
      name,
      ...slackBundleWithout(without),
      outdir: `dist/bench/mechanisms/${name.replaceAll(' ', '-')}`,
    })),
    { name: 'baseline', ...BASELINE },
  ];
  for (const { options, outdir } of bundles) await buildFresh(options, outdir);
  await buildWorker();

  const runs = new Map<string, ColdStart[]>(bundles.map(({ name }) => [name, []]));
  for (let round_ = 0; round_ < coldRuns; round_ += 1) {
    // Each round starts one bundle further on, so none is always first after a pause.
    for (let i = 0; i < bundles.length; i += 1) {
      const bundle = bundles[(round_ + i) % bundles.length];
      if (bundle !== undefined) runs.get(bundle.name)?.push(coldStart(bundle));
    }
  }

  const measured = bundles.map(({ name, outdir, handler }) => {
    const cold = runs.get(name) ?? [];
    return {
      bundle: name,
      ...folderSize(outdir),
      handlerBytes: statSync(join(outdir, handler)).size,
      coldMedianMs: median(cold.map((run) => run.coldMs)),
      coldCpuMedianMs: median(cold.map((run) => run.coldCpuMs)),
    };
  });
  const baseline = measured[measured.length - 1];
  const shipped = measured[0];
  if (baseline === undefined || shipped === undefined) throw new Error('no bundles measured');
  // Round by round, a variant against the bundle as shipped, started moments apart: the median of
  // those differences is steadier than the difference of the medians when the machine is shared.
  const shippedRuns = runs.get(shipped.bundle) ?? [];
  const pairedDifferences = (name: string, figure: 'coldMs' | 'coldCpuMs' = 'coldMs') =>
    (runs.get(name) ?? []).map((run, index) => run[figure] - (shippedRuns[index]?.[figure] ?? Number.NaN));
  const adds = (name: string, figure: 'coldMs' | 'coldCpuMs') => {
    const differences = pairedDifferences(name, figure);
    return {
      median: round(median(differences), 2),
      quartiles: `${round(percentile(differences, 25), 1)} … ${round(percentile(differences, 75), 1)}`,
    };
  };
  const rows = measured.map((row) => {
    const wall = adds(row.bundle, 'coldMs');
    const cpu = adds(row.bundle, 'coldCpuMs');
    return {
      bundle: row.bundle,
      bytes: row.bytes,
      gzipBytes: row.gzipBytes,
      handlerBytes: row.handlerBytes,
      coldMedianMs: round(row.coldMedianMs, 2),
      coldCpuMedianMs: round(row.coldCpuMedianMs, 2),
      coldVsBaseline: round(row.coldMedianMs / baseline.coldMedianMs, 2),
      // What taking the mechanism out adds, against the bundle as shipped (median, quartiles).
      addsHandlerBytes: row.handlerBytes - shipped.handlerBytes,
      addsColdMs: wall.median,
      addsColdMsQuartiles: wall.quartiles,
      addsColdCpuMs: cpu.median,
      addsColdCpuMsQuartiles: cpu.quartiles,
    };
  });
  return { coldRuns, mechanisms: MECHANISMS, rows };
}
