import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadTemplate, resourcesOfType } from '@greenlight/local-stack/template';
import { afterAll, describe, expect, test } from '@jest/globals';
import { type BuildOptions, build } from 'esbuild';
import {
  bundleOptions,
  handlerFile,
  LAMBDA_FUNCTIONS,
  type LambdaFunction,
} from '../../scripts/lambda-functions';
import { samEsbuildArgs } from '../helpers/sam-esbuild';

const REPO_ROOT = join(__dirname, '../..');
const template = loadTemplate(join(REPO_ROOT, 'template.yaml'));
const functions = resourcesOfType(template, 'AWS::Serverless::Function');
const scratch = mkdtempSync(join(tmpdir(), 'greenlight-sam-build-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function buildPropertiesOf(entry: string): Record<string, unknown> | undefined {
  for (const [, resource] of functions) {
    const properties = resource.Metadata?.BuildProperties as Record<string, unknown> | undefined;
    if ((properties?.EntryPoints as string[] | undefined)?.[0] === entry) return properties;
  }
  return undefined;
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) =>
    statSync(join(dir, path)).isFile(),
  );
}

/**
 * The `Metadata.BuildProperties` that make `sam build` bundle `fn` with our esbuild options
 * (scripts/lambda-functions.ts): esbuild's option names in PascalCase, lists as lists, a list of
 * fields as one comma-separated string, aliases as `name=path`. An option with no such spelling fails.
 */
function samBuildProperties(fn: LambdaFunction): Record<string, unknown> {
  const { bundle, platform, entryPoints, ...options } = bundleOptions(fn) as BuildOptions & {
    entryPoints: Array<{ in: string }>;
  };
  // sam build always bundles, for Node: the template cannot say otherwise, so neither may we.
  if (bundle !== true || platform !== 'node') throw new Error(`${fn.name}: sam build bundles for node`);
  const properties: Record<string, unknown> = { EntryPoints: entryPoints.map((point) => point.in) };
  for (const [option, value] of Object.entries(options)) {
    const key = option[0]?.toUpperCase() + option.slice(1);
    if (option === 'mainFields' && Array.isArray(value)) properties[key] = value.join(',');
    else if (option === 'alias' && typeof value === 'object' && value !== null)
      properties[key] = Object.entries(value).map(([name, path]) => `${name}=${String(path)}`);
    else if (option === 'external' && Array.isArray(value)) {
      if (value.length > 0) properties[key] = value;
    } else if (typeof value === 'boolean' || typeof value === 'string') properties[key] = value;
    else throw new Error(`${fn.name}: no BuildProperties spelling for esbuild's ${option}`);
  }
  return properties;
}

describe('template.yaml and scripts/lambda-functions.ts', () => {
  test.each(LAMBDA_FUNCTIONS.map((fn) => [fn.name, fn] as const))(
    "state the %s function's esbuild options, and only those, as its BuildProperties",
    (_name, fn) => {
      expect(buildPropertiesOf(fn.entry)).toEqual(samBuildProperties(fn));
    },
  );

  test('declare the same functions, each built by esbuild from its entry point', () => {
    const templateEntries = functions.map(([logicalId, resource]) => ({
      logicalId,
      buildMethod: resource.Metadata?.BuildMethod,
      entry: (resource.Metadata?.BuildProperties as { EntryPoints?: string[] } | undefined)?.EntryPoints?.[0],
    }));
    expect(templateEntries.map(({ entry }) => entry).sort()).toEqual(
      LAMBDA_FUNCTIONS.map(({ entry }) => entry).sort(),
    );
    expect(templateEntries.filter(({ buildMethod }) => buildMethod !== 'esbuild')).toEqual([]);
  });

  test.each(LAMBDA_FUNCTIONS.map((fn) => [fn.name, fn] as const))(
    'give byte for byte the same %s bundle from sam build as from npm run build',
    async (name, fn) => {
      const properties = buildPropertiesOf(fn.entry);
      if (properties === undefined) throw new Error(`template.yaml has no function built from ${fn.entry}`);
      const outdir = join(scratch, name);
      execFileSync(require.resolve('esbuild/bin/esbuild'), samEsbuildArgs(properties, outdir), {
        cwd: REPO_ROOT,
        stdio: 'pipe',
      });
      const ours = await build({
        ...bundleOptions(fn),
        absWorkingDir: REPO_ROOT,
        outdir: 'out',
        write: false,
      });
      // npm run build lays the files out as sam build does, so every path must match as it is.
      const samName = (file: string) => relative(join(REPO_ROOT, 'out'), file);

      const compared = ours.outputFiles.map((file) => ({
        file: samName(file.path),
        same: readFileSync(join(outdir, samName(file.path))).equals(Buffer.from(file.contents)),
      }));

      expect(compared.map(({ file }) => file).sort()).toEqual(filesUnder(outdir).sort());
      expect(compared.filter(({ same }) => !same)).toEqual([]);
    },
  );

  // The file list above is sam build's own, so handlerFile(fn) is a file sam build writes.
  test('name each handler after the file sam build writes for its entry point', () => {
    const mismatched = functions
      .map(([logicalId, resource]) => {
        const entry = (resource.Metadata?.BuildProperties as { EntryPoints?: string[] } | undefined)
          ?.EntryPoints?.[0];
        const fn = LAMBDA_FUNCTIONS.find((candidate) => candidate.entry === entry);
        return { logicalId, handler: resource.Properties?.Handler, file: fn && handlerFile(fn) };
      })
      .filter(
        ({ handler, file }) => file === undefined || handler !== `${file.replace(/\.js$/, '')}.handler`,
      );
    expect(mismatched).toEqual([]);
  });
});
