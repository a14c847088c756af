import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { BUNDLE_OPTIONS, bundleOptions, handlerFile, lambdaFunction } from '../scripts/lambda-functions';
import { median, percentile, round } from './stats';

/**
 * Issue 2's figures: the Slack function's bundle against a hand-written baseline doing the least
 * same work, bundled the same way. Cold starts alternate between the two bundles, process by
 * process, so drift on the machine affects both alike; so do the warm runs, block by block.
 */
/** A bundle's esbuild options, its folder, and its handler's file in that folder. */
export interface Bundle {
  options: BuildOptions;
  outdir: string;
  handler: string;
}

const BUNDLES: Record<'slack' | 'baseline', Bundle> = {
  // Exactly what `npm run build` (and `sam build`) makes of the Slack function: its handler's file and the
  // chunks beside it (all counted in the bytes, though a slash command loads none of them).
  slack: {
    options: bundleOptions(lambdaFunction('slack')),
    outdir: 'dist/bench/slack',
    handler: handlerFile(lambdaFunction('slack')),
  },
  baseline: {
    options: { ...BUNDLE_OPTIONS, entryPoints: [{ in: 'bench/baseline-handler.ts', out: 'index' }] },
    outdir: 'dist/bench/baseline',
    handler: 'index.js',
  },
};
type BundleName = keyof typeof BUNDLES;
const WORKER = 'dist/bench/slack-worker.js';
export const BASELINE = BUNDLES.baseline;

const ENV = {
  ...process.env,
  SLACK_SIGNING_SECRET: 'bench-signing-secret',
  SLACK_BOT_TOKEN: 'xoxb-bench-not-a-token',
  EVENT_DEDUP_TABLE: 'bench-dedup',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: 'warn',
};

function runWorker(name: BundleName, mode: 'cold' | 'warm', count = 0): Record<string, unknown> {
  return runBundle(BUNDLES[name], mode, count);
}

/** Runs the worker on a bundle's handler, in a fresh `node` process. */
export function runBundle(bundle: Bundle, mode: 'cold' | 'warm', count = 0): Record<string, unknown> {
  const file = resolve(bundle.outdir, bundle.handler);
  const output = execFileSync(process.execPath, [WORKER, file, mode, String(count)], {
    env: ENV,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

export interface SlackFunctionOptions {
  coldRuns: number;
  warmRequests: number;
}

export interface ColdStart {
  /** Load the bundle and answer the first signed command, inside the process. */
  coldMs: number;
  /** The CPU time of the same (all threads), which waiting for a core does not add to. */
  coldCpuMs: number;
  loadMs: number;
  rssMb: number;
  /** The whole process, node's own boot included. */
  processMs: number;
}

/** One cold start of a bundle: a fresh `node` process loads its handler and answers `help`. */
export function coldStart(bundle: Bundle): ColdStart {
  const spawned = performance.now();
  const result = runBundle(bundle, 'cold') as Omit<ColdStart, 'processMs'>;
  return { ...result, processMs: performance.now() - spawned };
}

/** Every file of a bundle's folder (index.js and the chunks beside it): their bytes, raw and gzipped. */
export function folderSize(outdir: string): { files: number; bytes: number; gzipBytes: number } {
  const files = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
    .map((path) => join(outdir, path))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path));
  return {
    files: files.length,
    bytes: files.reduce((sum, file) => sum + file.length, 0),
    gzipBytes: files.reduce((sum, file) => sum + gzipSync(file).length, 0),
  };
}

/** Bundles into a fresh folder: the bytes count every file in it. */
export async function buildFresh(options: BuildOptions, outdir: string): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({ ...options, outdir, logLevel: 'error' });
}

/** The worker that loads a bundle and times it (slack-worker.ts). */
export async function buildWorker(): Promise<void> {
  await build({
    ...BUNDLE_OPTIONS,
    minify: false,
    entryPoints: ['bench/slack-worker.ts'],
    outfile: WORKER,
    logLevel: 'error',
  });
}

export async function benchSlackFunction({ coldRuns, warmRequests }: SlackFunctionOptions) {
  for (const { options, outdir } of Object.values(BUNDLES)) await buildFresh(options, outdir);
  await buildWorker();

  const names = Object.keys(BUNDLES) as BundleName[];
  const cold: Record<BundleName, number[]> = { slack: [], baseline: [] };
  const load: Record<BundleName, number[]> = { slack: [], baseline: [] };
  const rss: Record<BundleName, number[]> = { slack: [], baseline: [] };
  // The whole process too (node's own boot included), which is what a Lambda cold start also pays.
  const processMs: Record<BundleName, number[]> = { slack: [], baseline: [] };
  for (let i = 0; i < coldRuns; i += 1) {
    for (const name of i % 2 === 0 ? names : [...names].reverse()) {
      const result = coldStart(BUNDLES[name]);
      processMs[name].push(result.processMs);
      cold[name].push(result.coldMs);
      load[name].push(result.loadMs);
      rss[name].push(result.rssMb);
    }
  }

  const warm: Record<BundleName, number[]> = { slack: [], baseline: [] };
  const blocks = 2;
  for (let block = 0; block < blocks; block += 1) {
    for (const name of names) {
      const result = runWorker(name, 'warm', Math.ceil(warmRequests / blocks)) as {
        samples: number[];
        rssMb: number;
      };
      warm[name].push(...result.samples);
      rss[name].push(result.rssMb);
    }
  }

  const rows = names.map((name) => {
    return {
      bundle: name,
      ...folderSize(BUNDLES[name].outdir),
      coldMedianMs: round(median(cold[name]), 2),
      loadMedianMs: round(median(load[name]), 2),
      processMedianMs: round(median(processMs[name]), 1),
      warmMedianUs: round(median(warm[name]) * 1000, 1),
      warmP99Us: round(percentile(warm[name], 99) * 1000, 1),
      peakRssMb: round(Math.max(...rss[name]), 1),
      coldRuns: cold[name].length,
      warmRequests: warm[name].length,
    };
  });
  const [slack, baseline] = rows as [(typeof rows)[number], (typeof rows)[number]];
  const ratios = {
    bytes: round(slack.bytes / baseline.bytes, 2),
    cold: round(slack.coldMedianMs / baseline.coldMedianMs, 2),
    coldWholeProcess: round(slack.processMedianMs / baseline.processMedianMs, 2),
    warmMedian: round(slack.warmMedianUs / baseline.warmMedianUs, 2),
    warmP99: round(slack.warmP99Us / baseline.warmP99Us, 2),
    peakRss: round(slack.peakRssMb / baseline.peakRssMb, 2),
  };
  const targets = {
    'slack bundle <= 700 KB': slack.bytes <= 700 * 1024,
    // Judged on load + first command inside the process, the stricter of the two cold figures.
    'cold start <= 1.5x baseline': ratios.cold <= 1.5,
    'warm median <= 6x baseline': ratios.warmMedian <= 6,
  };
  return { rows, ratios, targets };
}

export function nodeVersion(): string {
  return execFileSync(process.execPath, ['--version'], { encoding: 'utf8' }).trim();
}
