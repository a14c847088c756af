import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

/**
 * The layout's rules live in .dependency-cruiser.cjs and run over app/ in `npm test`
 * (`npm run lint:deps`). Here the same configuration runs over small trees written for the test,
 * so each rule is seen to fail on the import it forbids, and to let the legal ones through.
 */
const REPO_ROOT = join(__dirname, '../../..');
const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');
const CLI = join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'greenlight-dependency-rules-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function writeTree(name: string, files: Record<string, string>): string {
  const root = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function run(root: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'app', '--config', CONFIG, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

/**
 * Runs the rules over `root`/app: once as `npm run lint:deps` does (its exit status is what fails
 * `npm test`), once for the violations as JSON.
 */
function cruise(root: string): { status: number | null; violations: string[] } {
  const result = JSON.parse(run(root, '--output-type', 'json').stdout) as {
    summary: { violations: Violation[] };
  };
  return {
    status: run(root).status,
    violations: result.summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`).sort(),
  };
}

const NPM_STUBS = {
  'node_modules/@aws-sdk/client-dynamodb/package.json':
    '{"name":"@aws-sdk/client-dynamodb","main":"index.js"}',
  'node_modules/@aws-sdk/client-dynamodb/index.js': 'exports.DynamoDBClient = class {};\n',
  'node_modules/@greenlight/local-stack/package.json': '{"name":"@greenlight/local-stack","main":"index.js"}',
  'node_modules/@greenlight/local-stack/index.js': 'exports.start = () => {};\n',
};

describe('the dependency rules (.dependency-cruiser.cjs)', () => {
  it('let functions wire internals, and features meet through public indexes', () => {
    const root = writeTree('legal', {
      ...NPM_STUBS,
      'app/approvals/model.ts': 'export const LIMIT = 1;\n',
      'app/approvals/index.ts': "export { LIMIT } from './model';\n",
      'app/approvals/adapters/store.ts':
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const store = new DynamoDBClient();\n",
      'app/shared/log.ts': 'export const log = 1;\n',
      'app/slack/view.ts':
        "import { LIMIT } from '../approvals';\nimport { log } from '../shared/log';\nexport const view = LIMIT + log;\n",
      'app/functions/slack.ts':
        "import { store } from '../approvals/adapters/store';\nimport { view } from '../slack/view';\nexport const handler = () => [store, view];\n",
    });

    expect(cruise(root)).toEqual({ status: 0, violations: [] });
  });

  it('fail on every import the layout forbids, type-only imports included', () => {
    const root = writeTree('forbidden', {
      ...NPM_STUBS,
      'tests/helpers/fake.ts': 'export const fake = 1;\n',
      'app/approvals/model.ts': 'export const LIMIT = 1;\n',
      'app/approvals/index.ts': "export { LIMIT } from './model';\n",
      'app/approvals/decide.ts':
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient();\n",
      'app/approvals/policy.ts': "import { view } from '../slack';\nexport const policy = view;\n",
      'app/gates/store.ts':
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const gates = new DynamoDBClient();\n",
      'app/slack/index.ts': 'export const view = 1;\n',
      'app/slack/view.ts': "import { LIMIT } from '../approvals/model';\nexport const internal = LIMIT;\n",
      'app/slack/types.ts': "import type { A } from '../websocket/a';\nexport type Alias = A;\n",
      'app/slack/entry-user.ts':
        "import { handler } from '../functions/slack';\nexport const again = handler;\n",
      'app/websocket/a.ts': "import { b } from './b';\nexport type A = string;\nexport const a = () => b;\n",
      'app/websocket/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      'app/websocket/test-helper-user.ts':
        "import { fake } from '../../tests/helpers/fake';\nexport const f = fake;\n",
      'app/websocket/local-stack-user.ts':
        "import { start } from '@greenlight/local-stack';\nexport const s = start;\n",
      'app/shared/log.ts': "import { internal } from '../slack/view';\nexport const log = internal;\n",
      'app/functions/slack.ts': 'export const handler = () => 1;\n',
    });

    const { status, violations } = cruise(root);

    expect(status).not.toBe(0);
    expect(violations).toEqual([
      'approvals-core-without-aws-or-slack: app/approvals/decide.ts → node_modules/@aws-sdk/client-dynamodb/index.js',
      'approvals-is-the-domain: app/approvals/policy.ts → app/slack/index.ts',
      'feature-internals: app/slack/types.ts → app/websocket/a.ts',
      'feature-internals: app/slack/view.ts → app/approvals/model.ts',
      'gates-core-without-aws: app/gates/store.ts → node_modules/@aws-sdk/client-dynamodb/index.js',
      'no-cycles: app/websocket/a.ts → app/websocket/b.ts',
      'only-functions-import-functions: app/slack/entry-user.ts → app/functions/slack.ts',
      'production-never-imports-local-or-tests: app/websocket/local-stack-user.ts → node_modules/@greenlight/local-stack/index.js',
      'production-never-imports-local-or-tests: app/websocket/test-helper-user.ts → tests/helpers/fake.ts',
      'shared-is-featureless: app/shared/log.ts → app/slack/view.ts',
    ]);
  });
});
