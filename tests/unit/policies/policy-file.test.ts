import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { EMPTY_POLICIES, githubPolicy } from '../../../app/policies/model';
import {
  COMPILED_POLICIES_PATH,
  compiledText,
  loadPolicyFile,
  POLICIES_PATH,
  POLICIES_SCHEMA_PATH,
  parsePolicies,
} from '../../../scripts/policies';

const problemsOf = (text: string) => {
  const loaded = parsePolicies(text);
  if (loaded.ok) throw new Error('expected the file to be refused');
  return loaded.problems;
};

const VALID_HEAD = 'version: 1\npolicies:\n  - name: a\n';

describe('greenlight.policies.yaml', () => {
  test('the example file is valid', () => {
    expect(() => loadPolicyFile()).not.toThrow();
  });

  test('the example file uses every field the schema defines', () => {
    const schema = JSON.parse(readFileSync(POLICIES_SCHEMA_PATH, 'utf8')) as {
      properties: Record<string, unknown>;
      definitions: Record<string, { properties?: Record<string, { properties?: object }> }>;
    };
    const example = parse(readFileSync(POLICIES_PATH, 'utf8')) as {
      policies: Array<Record<string, unknown> & { stages?: Array<Record<string, unknown>> }>;
    };
    const used = (key: string) => example.policies.some((policy) => key in policy);
    const policyFields = Object.keys(schema.definitions.policy?.properties ?? {});
    const stageFields = Object.keys(schema.definitions.stage?.properties ?? {});
    const escalateFields = Object.keys(schema.definitions.policy?.properties?.escalate?.properties ?? {});

    expect(Object.keys(schema.properties).filter((key) => !(key in example))).toEqual([]);
    expect(policyFields.filter((key) => !used(key))).toEqual([]);
    expect(
      stageFields.filter((key) => !example.policies.some((p) => p.stages?.some((stage) => key in stage))),
    ).toEqual([]);
    expect(
      escalateFields.filter(
        (key) => !example.policies.some((p) => key in ((p.escalate as object | undefined) ?? {})),
      ),
    ).toEqual([]);
  });

  test('app/policies/policies.json is the compiled example file (run `npm run policies` after editing it)', () => {
    expect(readFileSync(COMPILED_POLICIES_PATH, 'utf8')).toBe(compiledText(loadPolicyFile()));
  });

  test('compiles durations to seconds and gives a policy without stages one stage', () => {
    const loaded = parsePolicies(
      `${VALID_HEAD}    approvers: [U0AAA, S0GROUP]\n    need: all\n    timeout: 90s\n    remind: [1m, 30s]\n`,
    );

    expect(loaded).toEqual({
      ok: true,
      policies: {
        channels: {},
        policies: {
          a: {
            name: 'a',
            stages: [{ name: 'a', approvers: ['U0AAA', 'S0GROUP'], need: 'all' }],
            allowSelfApproval: false,
            requireCommentOn: 'none',
            timeoutSeconds: 90,
            remindSeconds: [30, 60],
            email: false,
          },
        },
      },
    });
  });
});

describe('a bad policy file is refused with the line and the problem', () => {
  test.each([
    ['a YAML syntax error', 'version: 1\npolicies:\n  - name: a\n    approvers: [U0A\n', 5, /Flow sequence/],
    [
      'an unknown field',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\n    colour: red\n`,
      6,
      /unknown field `colour`/,
    ],
    [
      'a duration in words',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\n    timeout: 4 hours\n`,
      6,
      /not a duration/,
    ],
    [
      'a channel name instead of an id',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\nchannels:\n  general: a\n`,
      7,
      /channel id/,
    ],
    [
      'a user name instead of an id',
      `${VALID_HEAD}    approvers: ['@ana']\n    need: 1\n`,
      4,
      /not a Slack user id/,
    ],
    [
      'a need that is not a number',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: two\n`,
      5,
      /whole number from 1 to 10, or `all`/,
    ],
    [
      'approvers beside stages',
      `${VALID_HEAD}    approvers: [U0AAA]\n    stages: [{ name: s, approvers: [U0AAA], need: 1 }]\n`,
      3,
      /either `approvers` and `need`, or `stages`/,
    ],
    [
      'a quorum larger than the people named',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 2\n`,
      5,
      /`need` is 2 but only 1 approver is named/,
    ],
    [
      'a reminder after the timeout',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\n    timeout: 1h\n    remind: [2h]\n`,
      7,
      /reminder at 2h comes after the timeout/,
    ],
    [
      'a channel default naming no policy',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\nchannels:\n  C0APPROVAL: b\n`,
      7,
      /no policy is named `b`/,
    ],
    [
      'a GitHub rule naming no policy',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\ngithub:\n  - repository: acme/app\n    policy: b\n`,
      8,
      /no policy is named `b`/,
    ],
    [
      'a GitHub rule whose repository is not owner/repo',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\ngithub:\n  - repository: acme\n    policy: a\n`,
      7,
      /./,
    ],
    [
      'two policies with one name',
      `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\n  - name: a\n    approvers: [U0AAA]\n    need: 1\n`,
      6,
      /a second policy named `a`/,
    ],
    [
      'a missing version',
      'policies:\n  - name: a\n    approvers: [U0AAA]\n    need: 1\n',
      1,
      /missing field `version`/,
    ],
  ])('%s', (_name, text, line, problem) => {
    const [first] = problemsOf(text);

    expect(first?.line).toBe(line);
    expect(first?.problem).toMatch(problem);
  });
});

describe('the build', () => {
  test('fails on a bad policy file, printing its line and the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'greenlight-policies-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `${VALID_HEAD}    approvers: [U0AAA]\n    need: 3\n`);

    const run = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/build.ts'], {
      env: { ...process.env, GREENLIGHT_POLICIES_FILE: file },
      encoding: 'utf8',
    });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:5:11 \`need\` is 3 but only 1 approver is named`);
  });
});

describe('GitHub rules', () => {
  const loaded = parsePolicies(
    `${VALID_HEAD}    approvers: [U0AAA]\n    need: 1\n  - name: b\n    approvers: [U0BBB]\n    need: 1\n` +
      'github:\n  - repository: acme/app\n    environment: production\n    policy: b\n' +
      '  - repository: acme/*\n    policy: a\n',
  );
  const set = loaded.ok ? loaded.policies : EMPTY_POLICIES;

  test('the first rule matching the repository and environment names the policy', () => {
    expect(loaded.ok).toBe(true);
    expect(githubPolicy(set, 'acme/app', 'production')?.name).toBe('b');
    expect(githubPolicy(set, 'ACME/App', 'production')?.name).toBe('b');
    expect(githubPolicy(set, 'acme/app', 'staging')?.name).toBe('a');
    expect(githubPolicy(set, 'acme/site', 'production')?.name).toBe('a');
  });

  test('no rule matching leaves the deployment to the stack’s GitHubApprovers', () => {
    expect(githubPolicy(set, 'other/app', 'production')).toBeUndefined();
    expect(githubPolicy(EMPTY_POLICIES, 'acme/app', 'production')).toBeUndefined();
  });
});
