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
    entry: 'app/slack/handler.ts',
    chunks: [
      // Bolt builds Web API clients as it starts, but a slash command is answered in its HTTP
      // response: @slack/web-api becomes a stand-in, and the real module a file of its own, read on
      // the first Web API call.
      'app/slack/web-api-chunk.ts',
      // Bolt's App loads its stock receivers, which this function never builds, by these paths.
      'app/slack/receivers/HTTPReceiver.ts',
      'app/slack/receivers/SocketModeReceiver.ts',
    ],
    options: { alias: { '@slack/web-api': './app/slack/web-api-on-demand/index.ts' } },
  },
  { name: 'workflow-tasks', entry: 'app/approvals/handlers/workflow-tasks.ts' },
  { name: 'email-links', entry: 'app/approvals/handlers/email-links.ts' },
  { name: 'websocket', entry: 'app/websocket/handler.ts' },
] as const satisfies ReadonlyArray<LambdaFunction>;

export interface LambdaFunction {
  name: string;
  entry: string;
  /**
   * Entry points bundled as files of their own, laid out beside the handler's file as their sources
   * are beside its entry (as `sam build` lays them out). The handler's bundle requires each at run
   * time by that relative path (`./web-api-chunk`), which is external to it, so Node reads the file
   * only when that require runs. Our own module that requires one sits beside the handler's entry,
   * where the same path finds the source too; Bolt's App requires its stock receivers by such paths.
   */
  chunks?: ReadonlyArray<string>;
  /** esbuild options of this function only, on top of BUNDLE_OPTIONS (paths relative to the repo root). */
  options?: Pick<BuildOptions, 'alias'>;
}

export type LambdaFunctionName = (typeof LAMBDA_FUNCTIONS)[number]['name'];

/** The esbuild options shared by every function (SAM: Format, Target, Minify, MainFields, LegalComments). */
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
} satisfies BuildOptions;

/** `app/slack/receivers/HTTPReceiver.ts` → `receivers/HTTPReceiver`, for the handler `app/slack/handler.ts`. */
function chunkPath(fn: LambdaFunction, chunk: string): string {
  const path = relative(dirname(fn.entry), chunk).split('\\').join('/');
  return path.slice(0, path.length - extname(path).length);
}

/**
 * Everything esbuild needs to bundle `fn` into a folder (`outdir`): the handler to `index.js`, its
 * chunks beside it. `entry` replaces the handler's entry point (tests bundle a variant of it).
 */
export function bundleOptions(fn: LambdaFunction, entry: string = fn.entry): BuildOptions {
  const chunks = fn.chunks ?? [];
  return {
    ...BUNDLE_OPTIONS,
    ...fn.options,
    entryPoints: [
      { in: entry, out: 'index' },
      ...chunks.map((chunk) => ({ in: chunk, out: chunkPath(fn, chunk) })),
    ],
    external: chunks.map((chunk) => `./${chunkPath(fn, chunk)}`),
  };
}

export function lambdaFunction(name: LambdaFunctionName): LambdaFunction {
  const fn = LAMBDA_FUNCTIONS.find((candidate) => candidate.name === name);
  if (fn === undefined) throw new Error(`No Lambda function named ${name}`);
  return fn;
}
