import { basename, join } from 'node:path';
import { resourcesOfType, type Template } from '@greenlight/local-stack/template';
import { jest } from '@jest/globals';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, bundleOptions, handlerFile, lambdaFunction } from '../../scripts/lambda-functions';

const REPO_ROOT = join(__dirname, '../..');

/**
 * The Slack function as it is deployed: bundled with its esbuild options into `outdir` (its
 * handler's file and the files around it that it requires on demand). `entry` bundles another
 * entry point with the same options. Returns the handler file's path.
 */
export async function buildSlackFunction(outdir: string, entry?: string): Promise<string> {
  await build({
    ...bundleOptions(lambdaFunction('slack'), entry),
    absWorkingDir: REPO_ROOT,
    outdir,
    logLevel: 'error',
  });
  return join(outdir, handlerFile(lambdaFunction('slack')));
}

/** A fresh copy of a bundle, as a new container loads it. */
export function loadFresh<T>(file: string): T {
  let loaded: T | undefined;
  jest.isolateModules(() => {
    loaded = require(file) as T;
  });
  if (loaded === undefined) throw new Error(`${file} did not load`);
  return loaded;
}

/**
 * Each function of template.yaml bundled as `sam build` bundles it, but unminified: esbuild then
 * heads every module's code with a `// app/…` comment, so what the bundle keeps of each of our
 * modules (after tree shaking: functions nobody calls are gone) can be read module by module.
 * The template tests scan those sections for the AWS calls and the environment variables a
 * function's code can really reach.
 */
export interface FunctionBundle {
  logicalId: string;
  entry: string;
  /** Our modules in the bundle (not node_modules), each with the code the bundle keeps of it. */
  modules: Map<string, string>;
}

/** The entry point a function's `Metadata.BuildProperties.EntryPoints` names. */
export function entryOf(template: Template, logicalId: string): string {
  const metadata = template.Resources[logicalId]?.Metadata as
    | { BuildProperties?: { EntryPoints?: string[] } }
    | undefined;
  const entry = metadata?.BuildProperties?.EntryPoints?.[0];
  if (entry === undefined) throw new Error(`${logicalId} has no Metadata.BuildProperties.EntryPoints`);
  return entry;
}

// Block comments and whole-line comments: a comment that mentions a call is not a call.
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

export async function bundleFunction(logicalId: string, entry: string): Promise<FunctionBundle> {
  const result = await build({
    ...BUNDLE_OPTIONS,
    minify: false,
    entryPoints: [entry],
    outfile: `dist/template-test/${basename(entry, '.ts')}.js`,
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text ?? '';
  const parts = text.split(/^\/\/ (\S+)$/m);
  const modules = new Map<string, string>();
  for (let index = 1; index < parts.length; index += 2) {
    const path = parts[index] ?? '';
    if (!path.startsWith('app/')) continue;
    modules.set(path, `${modules.get(path) ?? ''}${withoutComments(parts[index + 1] ?? '')}`);
  }
  return { logicalId, entry, modules };
}

/** Every `AWS::Serverless::Function` of the template, bundled. */
export function bundleFunctions(template: Template): Promise<FunctionBundle[]> {
  return Promise.all(
    resourcesOfType(template, 'AWS::Serverless::Function').map(([id]) =>
      bundleFunction(id, entryOf(template, id)),
    ),
  );
}
