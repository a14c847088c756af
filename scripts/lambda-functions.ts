import { dirname, extname, relative } from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * Every Lambda function and how it is bundled: the one place the esbuild options live. `npm run
 * build`, `npm run bench` and the tests use them, and tests/unit/sam-build.test.ts checks that each
 * `AWS::Serverless::Function` in template.yaml states the same entry points and options under
 * `Metadata.BuildProperties`, and that `sam build`'s esbuild gives the same bytes from them.
 * Why the Slack function has chunks and an alias: docs/cold-start.md.
 */
export const LAMBDA_FUNCTIONS = [
  {
    name: 'slack',
    entry: 'app/functions/slack.ts',
    chunks: [
      // Bolt builds Web API clients as it starts, but a slash command is answered in its HTTP
      // response: @slack/web-api becomes a stand-in, and the real module a file of its own, read on
      // the first Web API call.
      'app/slack/web-api-chunk.ts',
      // Bolt's App loads its stock receivers, which this function never builds, by these paths.
      'app/functions/receivers/HTTPReceiver.ts',
      'app/functions/receivers/SocketModeReceiver.ts',
      // The Lambda client, for the rare decision whose workflow task is gone (the close-out hand-off).
      'app/shared/aws/lambda-chunk.ts',
    ],
    options: { alias: { '@slack/web-api': './app/slack/web-api-on-demand/index.ts' } },
  },
  { name: 'workflow-tasks', entry: 'app/functions/workflow-tasks.ts' },
  { name: 'email-links', entry: 'app/functions/email-links.ts' },
  { name: 'websocket', entry: 'app/functions/websocket.ts' },
  { name: 'close-out', entry: 'app/functions/close-out.ts' },
] as const satisfies ReadonlyArray<LambdaFunction>;

export interface LambdaFunction {
  name: string;
  entry: string;
  /**
   * Entry points bundled as files of their own, laid out around the handler's file as their sources
   * are around its entry (as `sam build` lays them out: under the entry points' deepest common
   * folder). The handler's bundle requires each at run time by that relative path
   * (`../slack/web-api-chunk` from `functions/slack.js`), which is external to it, so Node reads the
   * file only when that require runs. The same path from the module that requires it finds the
   * source too (app/slack/load-web-api.ts); Bolt's App requires its stock receivers by such paths.
   */
  chunks?: ReadonlyArray<string>;
  /** esbuild options of this function only, on top of BUNDLE_OPTIONS (paths relative to the repo root). */
  options?: Pick<BuildOptions, 'alias'>;
}

export type LambdaFunctionName = (typeof LAMBDA_FUNCTIONS)[number]['name'];

/** The esbuild options shared by every function (SAM: Format, Target, Minify, MainFields, LegalComments, Alias). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  // Prefer packages' ES module builds: the AWS SDK's tree-shake far better than their CommonJS ones.
  mainFields: ['module', 'main'],
  sourcemap: false,
  legalComments: 'none',
  // Lambda gives every function its credentials in the environment: the SDK's whole default chain
  // (ini files, SSO, STS, metadata services) would be parsed at each cold start and never run.
  alias: { '@aws-sdk/credential-provider-node': './app/shared/aws/lambda-credentials.ts' },
} satisfies BuildOptions;

/** The deepest folder holding every entry point of `fn`: where `sam build` (esbuild) lays them out from. */
function layoutRoot(fn: LambdaFunction): string {
  const dirs = [fn.entry, ...(fn.chunks ?? [])].map((file) => dirname(file).split('/'));
  const first = dirs[0] ?? [];
  let depth = 0;
  while (depth < first.length && dirs.every((dir) => dir[depth] === first[depth])) depth += 1;
  return first.slice(0, depth).join('/');
}

/** Where `source` is written, without `.js`: `app/functions/slack.ts` → `functions/slack`. */
function outputPath(fn: LambdaFunction, source: string): string {
  const path = relative(layoutRoot(fn), source).split('\\').join('/');
  return path.slice(0, path.length - extname(path).length);
}

/** The handler's file in the function's folder, as `sam build` writes it: `functions/slack.js`. */
export function handlerFile(fn: LambdaFunction): string {
  return `${outputPath(fn, fn.entry)}.js`;
}

/** How the handler's bundle requires `chunk` at run time: `../slack/web-api-chunk`. */
function chunkRequirePath(fn: LambdaFunction, chunk: string): string {
  const path = relative(dirname(outputPath(fn, fn.entry)), outputPath(fn, chunk))
    .split('\\')
    .join('/');
  return path.startsWith('../') ? path : `./${path}`;
}

/**
 * Everything esbuild needs to bundle `fn` into a folder (`outdir`), laid out as `sam build` lays it
 * out: the handler to `handlerFile(fn)`, its chunks around it. `entry` replaces the handler's entry
 * point (tests bundle a variant of it) and is written where the handler would be.
 */
export function bundleOptions(fn: LambdaFunction, entry: string = fn.entry): BuildOptions {
  const chunks = fn.chunks ?? [];
  return {
    ...BUNDLE_OPTIONS,
    ...fn.options,
    alias: { ...BUNDLE_OPTIONS.alias, ...fn.options?.alias },
    entryPoints: [
      { in: entry, out: outputPath(fn, fn.entry) },
      ...chunks.map((chunk) => ({ in: chunk, out: outputPath(fn, chunk) })),
    ],
    external: chunks.map((chunk) => chunkRequirePath(fn, chunk)),
  };
}

export function lambdaFunction(name: LambdaFunctionName): LambdaFunction {
  const fn = LAMBDA_FUNCTIONS.find((candidate) => candidate.name === name);
  if (fn === undefined) throw new Error(`No Lambda function named ${name}`);
  return fn;
}
