import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { envFileProblems } from '../../src/env-file';

describe('checking a .env file before it is loaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-env-'));
  const problemsOf = (text: string) => {
    const path = join(dir, '.env');
    writeFileSync(path, text);
    return envFileProblems(path).map((problem) => problem.slice(path.length + 2));
  };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts comments, blank lines, export, quotes and a value spanning lines', () => {
    const text = '# c\n\nexport A=1\nB = "two words"\nC=\'x\'\nKEY="line one\nline two"\nD=\n';
    expect(problemsOf(text)).toEqual([]);
  });

  it('names each malformed line by its number, and the name missing its "="', () => {
    expect(problemsOf('A=1\nSLACK_BOT_TOKEN xoxb-1\n2FA=on\n')).toEqual([
      'line 2: expected NAME=value (no "=" after SLACK_BOT_TOKEN)',
      'line 3: expected NAME=value',
    ]);
  });

  it('reports a quote that is never closed at the line that opened it', () => {
    expect(problemsOf('A=1\nB="open\nC=2\n')).toEqual(['line 2: the value\'s " quote is never closed']);
  });
});
