import { readFile, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundleOptions, LAMBDA_FUNCTIONS } from './lambda-functions';

/** Bundles one file per Lambda function to dist/<function>/index.js, each exporting `handler`. */
async function main(): Promise<void> {
  await rm('dist', { recursive: true, force: true });
  const rows = await Promise.all(
    LAMBDA_FUNCTIONS.map(async (fn) => {
      const outfile = `dist/${fn.name}/index.js`;
      const result = await build({ ...bundleOptions(fn), outfile, write: true, metafile: true });
      const output = result.metafile.outputs[outfile];
      const gzipped = gzipSync(await readFile(outfile)).length;
      return { function: fn.name, file: outfile, bytes: output?.bytes ?? 0, gzipped };
    }),
  );
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
