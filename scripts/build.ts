import { readFile, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, LAMBDA_FUNCTIONS } from './lambda-functions';

/** Bundles one file per Lambda function to dist/<function>/index.js, each exporting `handler`. */
async function main(): Promise<void> {
  await rm('dist', { recursive: true, force: true });
  const rows = await Promise.all(
    LAMBDA_FUNCTIONS.map(async ({ name, entry }) => {
      const outfile = `dist/${name}/index.js`;
      const result = await build({
        ...BUNDLE_OPTIONS,
        entryPoints: [entry],
        outfile,
        write: true,
        metafile: true,
      });
      const output = result.metafile.outputs[outfile];
      const gzipped = gzipSync(await readFile(outfile)).length;
      return { function: name, file: outfile, bytes: output?.bytes ?? 0, gzipped };
    }),
  );
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
