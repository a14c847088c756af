import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplate } from '@greenlight/local-stack/template';
import { afterAll, describe, expect, test } from '@jest/globals';

/**
 * cfn-lint (with the SAM translator) is a Python tool, not an npm package: the test runs it where it
 * is installed (`pip install cfn-lint`) and says it was skipped where it is not. `.ci/run` runs it
 * too, the same way; jest lists the skipped tests.
 */
const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const lintTest = cfnLint.status === 0 ? test : test.skip;
const scratch = mkdtempSync(join(tmpdir(), 'greenlight-cfn-lint-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

type Policies = { DeletionPolicy?: string; UpdateReplacePolicy?: string };
const resources = loadTemplate('template.yaml').Resources as Record<string, { Type: string } & Policies>;

/** cfn-lint's findings as `RULE file:line:column`, under the repository's .cfnlintrc. */
function lint(path?: string): { status: number | null; findings: string[] } {
  const run = spawnSync('cfn-lint', ['--format', 'parseable', ...(path ? ['--', path] : [])], {
    encoding: 'utf8',
  });
  return { status: run.status, findings: run.stdout.split('\n').filter(Boolean) };
}

describe('template.yaml under cfn-lint', () => {
  lintTest('has no finding, informational ones included', () => {
    expect(lint()).toEqual({ status: 0, findings: [] });
  });

  lintTest('would report a stateful resource left without its deletion policies', () => {
    const text = readFileSync('template.yaml', 'utf8').replace(
      /( {2}ApprovalsTable:\n {4}Type: AWS::DynamoDB::Table\n) {4}DeletionPolicy: Retain\n {4}UpdateReplacePolicy: Retain\n/,
      '$1',
    );
    expect(text).not.toBe(readFileSync('template.yaml', 'utf8'));
    const path = join(scratch, 'template.yaml');
    writeFileSync(path, text);
    const { status, findings } = lint(path);
    expect(status).not.toBe(0);
    expect(findings.filter((finding) => finding.includes('I3011')).length).toBeGreaterThan(0);
  });
});

describe('what survives a stack delete or a replacing update', () => {
  test.each(['ApprovalsTable', 'AppSecret'])('%s is retained', (logicalId) => {
    const { DeletionPolicy, UpdateReplacePolicy } = resources[logicalId] ?? {};
    expect({ DeletionPolicy, UpdateReplacePolicy }).toEqual({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('every table, secret, log group and queue says what happens to its data', () => {
    const stateful = Object.entries(resources).filter(([, resource]) =>
      [
        'AWS::DynamoDB::Table',
        'AWS::SecretsManager::Secret',
        'AWS::Logs::LogGroup',
        'AWS::SQS::Queue',
      ].includes(resource.Type),
    );
    expect(stateful.length).toBeGreaterThan(0);
    const unsaid = stateful
      .filter(
        ([, resource]) => resource.DeletionPolicy === undefined || resource.UpdateReplacePolicy === undefined,
      )
      .map(([logicalId]) => logicalId);
    expect(unsaid).toEqual([]);
  });
});
