import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it, jest } from '@jest/globals';
import { createLogger, currentLogFields, withLogContext } from '../../../app/shared/log';

function capture(level: 'debug' | 'info' | 'warn' = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ level, sink: (line) => lines.push(line) });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per entry with level, time and message', () => {
    const { logger, entries } = capture();
    logger.info('approval_created', { approvalId: 'GL-7K3F9Q' });
    expect(entries()).toEqual([
      { level: 'info', time: expect.any(String), message: 'approval_created', approvalId: 'GL-7K3F9Q' },
    ]);
  });

  it('redacts credential-like keys at any depth', () => {
    const { logger, entries } = capture();
    logger.info('x', {
      headers: { Authorization: 'Bearer xoxb-1', 'X-Slack-Signature': 'v0=abc' },
      body: { token: 't', taskToken: 'tt' },
    });
    expect(entries()[0]).toMatchObject({
      headers: { Authorization: '[redacted]', 'X-Slack-Signature': '[redacted]' },
      body: { token: '[redacted]', taskToken: '[redacted]' },
    });
  });

  it('drops entries below its level', () => {
    const { logger, entries } = capture('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(entries().map((entry) => entry.message)).toEqual(['loud']);
  });

  it('describes errors by name, message and cause', () => {
    const { logger, entries } = capture();
    logger.error('failed', { error: new Error('outer', { cause: new TypeError('inner') }) });
    expect(entries()[0]?.error).toMatchObject({
      name: 'Error',
      message: 'outer',
      cause: { name: 'TypeError', message: 'inner' },
    });
  });

  it("adds a child logger's fields to every entry", () => {
    const { logger, entries } = capture();
    logger.child({ requestId: 'r-1' }).warn('slow');
    expect(entries()[0]).toMatchObject({ requestId: 'r-1', message: 'slow' });
  });

  it("gives a child's child the fields of both, the inner one's winning", () => {
    const { logger, entries } = capture();
    logger
      .child({ fn: 'slack', requestId: 'r-1' })
      .child({ requestId: 'r-2', eventId: 'Ev1' })
      .info('nested');
    expect(entries()[0]).toMatchObject({ fn: 'slack', requestId: 'r-2', eventId: 'Ev1' });
  });

  it("keeps a child's fields out of its parent's entries", () => {
    const { logger, entries } = capture();
    logger.child({ requestId: 'r-1' });
    logger.info('parent');
    expect(entries()[0]).not.toHaveProperty('requestId');
  });
});

describe('withLogContext', () => {
  it("adds its fields to every line written inside it, by any logger, and keeps concurrent requests' apart", async () => {
    const lines: string[] = [];
    const containerLogger = createLogger({ level: 'info', sink: (line) => lines.push(line) }).child({
      fn: 'x',
    });
    const request = (id: string) =>
      withLogContext({ correlationId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 20 : 1));
        containerLogger.info('done', { id });
      });

    await Promise.all([request('a'), request('b')]);
    containerLogger.info('outside');

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.map(({ id, correlationId, message }) => ({ id, correlationId, message }))).toEqual([
      { id: 'b', correlationId: 'b', message: 'done' },
      { id: 'a', correlationId: 'a', message: 'done' },
      { id: undefined, correlationId: undefined, message: 'outside' },
    ]);
  });

  it('uses no AsyncLocalStorage for requests one after another, as Lambda runs them', async () => {
    const run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
    try {
      const seen: unknown[] = [];
      for (const id of ['a', 'b']) {
        await withLogContext({ correlationId: id }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          seen.push(currentLogFields()?.correlationId);
        });
      }
      expect({ seen, after: currentLogFields(), storageRuns: run.mock.calls.length }).toEqual({
        seen: ['a', 'b'],
        after: undefined,
        storageRuns: 0,
      });
    } finally {
      run.mockRestore();
    }
  });

  it('gives an inner context its own fields, and the outer ones back after it', async () => {
    const seen = await withLogContext({ correlationId: 'outer' }, async () => {
      const inner = await withLogContext({ correlationId: 'inner' }, async () => {
        await Promise.resolve();
        return currentLogFields()?.correlationId;
      });
      await Promise.resolve();
      return [inner, currentLogFields()?.correlationId];
    });
    expect(seen).toEqual(['inner', 'outer']);
  });

  it('closes a context that throws or rejects', async () => {
    expect(() =>
      withLogContext({ correlationId: 'thrown' }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    await expect(
      withLogContext({ correlationId: 'rejected' }, () => Promise.reject(new Error('no'))),
    ).rejects.toThrow('no');
    expect(currentLogFields()).toBeUndefined();
  });
});
