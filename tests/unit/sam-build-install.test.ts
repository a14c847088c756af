import { execFileSync } from 'node:child_process';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { loadTemplate, resourcesOfType } from '@greenlight/local-stack/template';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { samEsbuildArgs } from '../helpers/sam-esbuild';

/**
 * What `sam build` does for a function with `BuildMethod: esbuild` on a machine with only Node and
 * the SAM CLI: copy the project (without node_modules, .git, .aws-sam) to a scratch folder, install
 * it there without dev dependencies, then look for `esbuild` in that install's node_modules/.bin and
 * on PATH. Here PATH holds Node alone, so the install must bring esbuild itself; `--offline` keeps
 * the test off the network (the packages come from the cache `npm ci` filled).
 */
const REPO_ROOT = join(__dirname, '../..');
const SKIPPED_BY_SAM = new Set(['node_modules', '.git', '.aws-sam']);
const functions = resourcesOfType(
  loadTemplate(join(REPO_ROOT, 'template.yaml')),
  'AWS::Serverless::Function',
);
const scratch = mkdtempSync(join(tmpdir(), 'greenlight-sam-install-'));
const project = join(scratch, 'project');
const nodeOnlyPath = [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);
const env = { ...process.env, PATH: nodeOnlyPath, npm_config_workspaces: undefined };

const packageJson = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version?: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    scripts?: Record<string, string>;
  };

/** `name` as a shell would find it on `searchPath`, or undefined. */
function which(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not in this folder: try the next.
    }
  }
  return undefined;
}

/** Every package installed under `modules`, scoped ones included, as `[name, folder]`. */
function installedPackages(modules: string): [string, string][] {
  return readdirSync(modules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) =>
      name.startsWith('@')
        ? readdirSync(join(modules, name)).map((inner): [string, string] => [
            `${name}/${inner}`,
            join(modules, name, inner),
          ])
        : [[name, join(modules, name)] as [string, string]],
    );
}

beforeAll(() => {
  cpSync(REPO_ROOT, project, { recursive: true, filter: (source) => !SKIPPED_BY_SAM.has(basename(source)) });
  execFileSync('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], {
    cwd: project,
    env,
    stdio: 'pipe',
  });
}, 180_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("sam build's install of the project without dev dependencies", () => {
  test('gives esbuild in node_modules/.bin, with PATH holding only Node', () => {
    expect(which('esbuild', nodeOnlyPath)).toBeUndefined();
    const esbuild = which('esbuild', join(project, 'node_modules', '.bin'));
    if (esbuild === undefined) throw new Error('Cannot find esbuild: sam build would stop here');
    const version = execFileSync(esbuild, ['--version'], { env, encoding: 'utf8' }).trim();
    expect(version).toBe(packageJson(join(project, 'node_modules', 'esbuild')).version);
  });

  test.each(functions.map(([logicalId, resource]) => [logicalId, resource] as const))(
    'bundles %s with the esbuild it found, from the production dependencies alone',
    (logicalId, resource) => {
      const properties = resource.Metadata?.BuildProperties as Record<string, unknown> | undefined;
      if (properties === undefined) throw new Error(`${logicalId} has no BuildProperties`);
      const esbuild = join(project, 'node_modules', '.bin', 'esbuild');
      const outdir = join(scratch, 'artifacts', logicalId);
      execFileSync(esbuild, samEsbuildArgs(properties, outdir), { cwd: project, env, stdio: 'pipe' });
      // The handler names its file relative to the artifact folder (functions/slack.handler → functions/slack.js).
      const handlerFile = `${String(resource.Properties?.Handler).replace(/\.[^.]+$/, '')}.js`;
      expect(existsSync(join(outdir, handlerFile))).toBe(true);
    },
  );

  test('leaves out the local stack and every dependency of it the product does not share', () => {
    const product = packageJson(project);
    const localStack = packageJson(join(project, 'packages', 'local-stack'));
    const installed = new Set(installedPackages(join(project, 'node_modules')).map(([name]) => name));
    const localOnly = Object.keys({ ...localStack.dependencies, ...localStack.devDependencies }).filter(
      (name) => !(name in (product.dependencies ?? {})) && !name.startsWith('@types/'),
    );
    expect(localOnly.length).toBeGreaterThan(0);
    expect(localOnly.filter((name) => installed.has(name))).toEqual([]);
    // npm still links the workspace folder (already in the copy); a link installs nothing.
    expect(lstatSync(join(project, 'node_modules', '@greenlight', 'local-stack')).isSymbolicLink()).toBe(
      true,
    );
  });

  test("runs no install script but esbuild's, so no machine needs a compiler for it", () => {
    const withScripts = installedPackages(join(project, 'node_modules'))
      .filter(([, folder]) => {
        const scripts = packageJson(folder).scripts ?? {};
        return ['preinstall', 'install', 'postinstall'].some((hook) => hook in scripts);
      })
      .map(([name]) => name);
    expect(withScripts).toEqual(['esbuild']);
  });
});
