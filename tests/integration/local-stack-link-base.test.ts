import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { TestStack } from '../helpers/local-stack';

/** E-mailed links point at the REST gateway, port included: a persistent stack keeps that port. */
describe('the REST port of a persistent local stack', () => {
  let dataDir: string;
  let stack: TestStack | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'greenlight-links-'));
  });

  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const restart = async () => {
    await stack?.stop();
    stack = await TestStack.start({ dataDir });
    return stack.endpoints.rest;
  };

  it('comes back on the port the mailed links point at when any port will do', async () => {
    const first = await restart();
    expect(await restart()).toBe(first);
  });

  it('says which links broke when that port is taken, and starts on another', async () => {
    const first = await restart();
    await stack?.stop();
    stack = undefined;
    const squatter = createServer();
    await new Promise<void>((listening) =>
      squatter.listen(Number(new URL(first).port), '127.0.0.1', listening),
    );
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const second = await restart();
      expect(second).not.toBe(first);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`links in the outbox point at ${first}`));
    } finally {
      warn.mockRestore();
      await new Promise((closed) => squatter.close(closed));
    }
  });
});
