import type { StackOptions } from '@greenlight/local-stack/stack';
import { afterAll, beforeAll } from '@jest/globals';
import { TestStack } from './local-stack';

/** The seeded workspace of local/dev-config.ts, by role. */
export const RITA = 'U0REQUESTR';
export const ANA = 'U0APPROVER';
export const OMAR = 'U0APPROVR2';
export const SAM = 'U0BYSTANDR';
export const APPROVALS_CHANNEL = 'C0APPROVAL';

/** One local stack for the test file: started before its tests, stopped after them. */
export function useTestStack(options: Partial<StackOptions> = {}): () => TestStack {
  let stack: TestStack | undefined;
  beforeAll(async () => {
    stack = await TestStack.start(options);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (stack === undefined) throw new Error('The test stack is used before beforeAll started it');
    return stack;
  };
}
