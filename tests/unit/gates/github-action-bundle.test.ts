import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { ACTION_BUILD } from '../../../scripts/build-action';

describe('the GitHub Action', () => {
  it('commits exactly the bundle its source builds (npm run build:action)', async () => {
    const result = await build({ ...ACTION_BUILD, write: false });
    expect(result.outputFiles?.[0]?.text).toBe(
      readFileSync('integrations/github-action/dist/index.js', 'utf8'),
    );
  });

  it('runs that bundle on a Node runtime GitHub offers, with every input the source reads', () => {
    const action = parse(readFileSync('integrations/github-action/action.yml', 'utf8')) as {
      runs: { using: string; main: string };
      inputs: Record<string, unknown>;
    };
    expect(action.runs).toEqual({ using: 'node20', main: 'dist/index.js' });
    const source = readFileSync('integrations/github-action/src/main.ts', 'utf8');
    const read = [...source.matchAll(/input\(env, '([a-z-]+)'\)|required\('([a-z-]+)'\)/g)].map(
      (m) => m[1] ?? m[2],
    );
    expect([...new Set(read)].sort()).toEqual(Object.keys(action.inputs).sort());
  });
});
