import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emojiFor } from '@greenlight/local-stack/sandbox/browser/block-kit/emoji';
import { describe, expect, it } from '@jest/globals';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every `:code:` the app writes into a message, where a message's text starts or goes on. */
const codesInApp = [
  ...new Set(
    sourceFiles('app').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?<=[\s'"`(]):([a-z0-9_+-]+):/g)].map(
        (match) => match[1] ?? '',
      ),
    ),
  ),
].sort();

describe('the emoji codes in the app’s messages', () => {
  it('are found (the scan is looking in the right place)', () => {
    expect(codesInApp).toEqual(
      expect.arrayContaining(['heavy_multiplication_x', 'warning', 'white_check_mark']),
    );
  });

  it('are each one Slack (and so the sandbox) shows as an emoji', () => {
    expect(codesInApp.filter((code) => emojiFor(code) === undefined)).toEqual([]);
  });
});
