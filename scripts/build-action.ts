import { type BuildOptions, build } from 'esbuild';

/**
 * The GitHub Action's bundle, committed as JavaScript actions require (the runner does not install
 * anything): `npm run build:action` after changing integrations/github-action/src. A unit test
 * checks the committed file is exactly what this builds.
 */
export const ACTION_BUILD: BuildOptions = {
  entryPoints: ['integrations/github-action/src/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  outfile: 'integrations/github-action/dist/index.js',
};

if (require.main === module) {
  build({ ...ACTION_BUILD, write: true }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
