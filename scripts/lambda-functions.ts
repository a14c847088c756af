import type { BuildOptions } from 'esbuild';

/**
 * Every Lambda function and how it is bundled. `npm run build` uses this list, and the template test
 * checks that each `AWS::Serverless::Function` in template.yaml names the same entry point and the
 * same esbuild options under `Metadata.BuildProperties`, so `sam build` produces the same bundles.
 */
export const LAMBDA_FUNCTIONS = [
  { name: 'slack', entry: 'app/slack/handler.ts' },
  { name: 'workflow-tasks', entry: 'app/approvals/handlers/workflow-tasks.ts' },
  { name: 'email-links', entry: 'app/approvals/handlers/email-links.ts' },
  { name: 'websocket', entry: 'app/websocket/handler.ts' },
] as const;

export type LambdaFunctionName = (typeof LAMBDA_FUNCTIONS)[number]['name'];

/**
 * The esbuild options shared by every function. template.yaml repeats each one under
 * `Metadata.BuildProperties` (Format, Target, Minify, MainFields, Sourcemap, LegalComments); `sam
 * build` always bundles for Node, which is what `bundle` and `platform` say here.
 */
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
