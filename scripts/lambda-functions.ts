import type { BuildOptions } from 'esbuild';

/**
 * Every Lambda function and how it is bundled. `npm run build` and `npm run bench` use this list, and
 * the template test checks that each `AWS::Serverless::Function` in template.yaml names the same
 * entry point and the same esbuild options under `Metadata.BuildProperties`, so `sam build` produces
 * the same bundles.
 */
export const LAMBDA_FUNCTIONS = [
  {
    name: 'slack',
    entry: 'app/slack/handler.ts',
    options: {
      // Bolt builds Web API clients as it starts, but a slash command is answered in its HTTP
      // response: the Web API module graph is loaded on the first call instead (about 3 ms of cold start).
      alias: { '@slack/web-api': './app/slack/web-api-on-demand/index.ts' },
    },
  },
] as const satisfies ReadonlyArray<LambdaFunction>;

export interface LambdaFunction {
  name: string;
  entry: string;
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

/** Everything esbuild needs to bundle `fn`, apart from where to write it. */
export function bundleOptions(fn: LambdaFunction): BuildOptions {
  return { ...BUNDLE_OPTIONS, ...fn.options, entryPoints: [fn.entry] };
}

export function lambdaFunction(name: LambdaFunctionName): LambdaFunction {
  const fn = LAMBDA_FUNCTIONS.find((candidate) => candidate.name === name);
  if (fn === undefined) throw new Error(`No Lambda function named ${name}`);
  return fn;
}
