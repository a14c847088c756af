import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error: a plain CommonJS script without type declarations.
import { missingOptionalEntries } from '../../scripts/complete-lockfile.cjs';

describe('package-lock.json', () => {
  it('lists every optional platform package, so that npm ci accepts it on a fresh machine', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
    expect(Object.keys(missingOptionalEntries(lock))).toEqual([]);
  });
});
