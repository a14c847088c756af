import { readFile, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundleOptions, LAMBDA_FUNCTIONS } from './lambda-functions';
import { compilePolicyFile, PolicyFileError } from './policies';

/**
 * Bundles each Lambda function to dist/<function>/, laid out as `sam build` lays it out: the
 * handler's file (`workflow-tasks.js`; the Slack function's `functions/slack.js`), which exports
 * `handler`, and the chunks it loads on demand, if it has any.
 */
async function main(): Promise<void> {
  // The functions are bundled with the compiled policies: a bad policy file stops the build here.
  compilePolicyFile(process.env.GREENLIGHT_POLICIES_FILE);
  await rm('dist', { recursive: true, force: true });
  const rows = await Promise.all(
    LAMBDA_FUNCTIONS.map(async (fn) => {
      const result = await build({
        ...bundleOptions(fn),
        outdir: `dist/${fn.name}`,
        write: true,
        metafile: true,
      });
      return Promise.all(
        Object.entries(result.metafile.outputs).map(async ([file, output]) => ({
          function: fn.name,
          file,
          bytes: output.bytes,
          gzipped: gzipSync(await readFile(file)).length,
        })),
      );
    }),
  );
  console.table(rows.flat());
}

main().catch((error: unknown) => {
  console.error(error instanceof PolicyFileError ? error.message : error);
  process.exitCode = 1;
});
