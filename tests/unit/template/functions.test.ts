import { existsSync } from 'node:fs';
import { loadTemplate, resourcesOfType } from '@greenlight/local-stack/template';
import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, handlerFile, LAMBDA_FUNCTIONS } from '../../../scripts/lambda-functions';
import { entryOf } from '../../helpers/function-bundles';

const template = loadTemplate('template.yaml');
const functions = resourcesOfType(template, 'AWS::Serverless::Function');
const functionIds = functions.map(([id]) => id);

describe('every function in template.yaml', () => {
  it('is one of the functions npm run build bundles, and every one of those is deployed', () => {
    const entries = functionIds.map((id) => entryOf(template, id)).sort();
    expect(entries).toEqual(LAMBDA_FUNCTIONS.map((fn) => fn.entry).sort());
  });

  it.each(functionIds)('%s has a handler file, and Handler names its exported handler', (id) => {
    const entry = entryOf(template, id);
    const fn = LAMBDA_FUNCTIONS.find((candidate) => candidate.entry === entry);
    expect(existsSync(entry)).toBe(true);
    // sam build writes the handler where scripts/lambda-functions.ts says (proven in sam-build.test.ts).
    expect(template.Resources[id]?.Properties?.Handler).toBe(
      `${fn ? handlerFile(fn).replace(/\.js$/, '') : entry}.handler`,
    );
  });

  it.each(functionIds)('%s exports a handler that takes at most (event, context)', async (id) => {
    // Lambda's Node 24 runtime refuses a third (callback) parameter.
    const module = (await import(`../../../${entryOf(template, id)}`)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
    expect((module.handler as (...args: unknown[]) => unknown).length).toBeLessThanOrEqual(2);
  });

  // That each function's BuildProperties are npm run build's esbuild options, and give the same bytes,
  // is tests/unit/sam-build.test.ts's; here, the entry points match.
  it.each(functionIds)('%s is bundled by sam build from the entry points of npm run build', (id) => {
    const metadata = template.Resources[id]?.Metadata as {
      BuildMethod?: string;
      BuildProperties?: { EntryPoints?: string[] };
    };
    const fn = LAMBDA_FUNCTIONS.find((candidate) => candidate.entry === entryOf(template, id));
    expect(metadata.BuildMethod).toBe('esbuild');
    expect(metadata.BuildProperties?.EntryPoints).toEqual([
      fn?.entry,
      ...(fn && 'chunks' in fn ? fn.chunks : []),
    ]);
  });

  it.each(functionIds)(
    '%s builds with esbuild',
    async (id) => {
      const result = await build({
        ...BUNDLE_OPTIONS,
        entryPoints: [entryOf(template, id)],
        outfile: `dist/template-test/${id}.js`,
        write: false,
        logLevel: 'silent',
      });
      expect(result.errors).toEqual([]);
      expect(result.outputFiles[0]?.text).toMatch(/\bhandler\b/);
    },
    30_000,
  );

  it.each(functionIds)('%s sets its own memory and timeout', (id) => {
    const properties = template.Resources[id]?.Properties ?? {};
    expect(properties.MemorySize).toEqual(expect.any(Number));
    expect(properties.Timeout).toEqual(expect.any(Number));
    // API Gateway gives up on a REST integration after 29 s; only functions no API waits on may run longer.
    const behindRestApi = Object.values((properties.Events ?? {}) as Record<string, { Type: string }>).some(
      (event) => event.Type === 'Api',
    );
    if (behindRestApi) expect(properties.Timeout).toBeLessThanOrEqual(29);
  });

  it('runs on Node.js 22 on arm64, at least the Node version the bundles target', () => {
    const globals = (template.Globals?.Function ?? {}) as { Runtime?: string; Architectures?: string[] };
    expect(globals).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    const runtimeMajor = Number(/nodejs(\d+)/.exec(globals.Runtime ?? '')?.[1]);
    expect(runtimeMajor).toBeGreaterThanOrEqual(Number(BUNDLE_OPTIONS.target.replace('node', '')));
  });
});
