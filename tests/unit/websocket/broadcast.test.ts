import { describe, expect, it } from '@jest/globals';
import { createMetrics } from '../../../app/shared/metrics';
import { BroadcastError, broadcast } from '../../../app/websocket/broadcast';
import { encodeFrame } from '../../../app/websocket/connection-sender';
import { connectionRow, FakeSender, MemoryStore, recordingLogger } from './fakes';

const frame = { type: 'message', from: 'a', message: 'hi', at: '2026-11-22T12:00:00.000Z' };

function storeWith(ids: string[], pageSize = 2): MemoryStore {
  const store = new MemoryStore();
  store.pageSize = pageSize;
  for (const id of ids) store.rows.set(id, connectionRow(id));
  return store;
}

const ids = (count: number) => Array.from({ length: count }, (_, i) => `C${i}`);

describe('broadcast', () => {
  it('reaches the connections on every page, once each, but not the sender', async () => {
    const store = storeWith(ids(7));
    const sender = new FakeSender();

    const result = await broadcast({
      store,
      sender,
      data: encodeFrame(frame),
      except: 'C3',
      logger: recordingLogger().logger,
    });

    expect(result).toEqual({ sent: 6, gone: 0, failed: 0 });
    expect(sender.sent.map((entry) => entry.connectionId).sort()).toEqual([
      'C0',
      'C1',
      'C2',
      'C4',
      'C5',
      'C6',
    ]);
    expect(sender.sent.every((entry) => entry.frame.message === 'hi')).toBe(true);
  });

  it('keeps no more posts in flight than its concurrency', async () => {
    const sender = new FakeSender();

    await broadcast({
      store: storeWith(ids(50), 7),
      sender,
      data: encodeFrame(frame),
      concurrency: 4,
      logger: recordingLogger().logger,
    });

    expect(sender.sent).toHaveLength(50);
    expect(sender.maxInFlight).toBe(4);
  });

  it('deletes a connection that answers 410, but not one still inside its $connect', async () => {
    const store = storeWith(['C0', 'C1']);
    store.rows.set('OLD', connectionRow('OLD', { connectedAt: Date.now() - 600_000 }));
    store.rows.set('NEW', connectionRow('NEW', { connectedAt: Date.now() }));
    const sender = new FakeSender();
    sender.gone.add('OLD').add('NEW');

    const result = await broadcast({
      store,
      sender,
      data: encodeFrame(frame),
      logger: recordingLogger().logger,
    });

    expect(result).toEqual({ sent: 2, gone: 2, failed: 0 });
    expect(store.removedGone).toEqual(['OLD']);
    expect([...store.rows.keys()].sort()).toEqual(['C0', 'C1', 'NEW']);
  });

  it('logs and counts any other failure, and goes on to the rest', async () => {
    const store = storeWith(ids(5));
    const sender = new FakeSender();
    sender.failing.add('C1');
    const { logger, entries } = recordingLogger();

    const result = await broadcast({ store, sender, data: encodeFrame(frame), logger });

    expect(result).toEqual({ sent: 4, gone: 0, failed: 1 });
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'broadcast_post_failed',
        connectionId: 'C1',
        error: expect.objectContaining({ message: 'ThrottlingException' }),
      }),
    ]);
  });

  it('skips rows past their expiry', async () => {
    const store = storeWith(['C0']);
    store.rows.set('EXPIRED', connectionRow('EXPIRED', { expiresAt: Math.floor(Date.now() / 1000) - 1 }));
    const sender = new FakeSender();

    const result = await broadcast({
      store,
      sender,
      data: encodeFrame(frame),
      logger: recordingLogger().logger,
    });

    expect(result).toEqual({ sent: 1, gone: 0, failed: 0 });
  });

  it('reports a Scan that fails part way, with what was delivered before it', async () => {
    const store = storeWith(ids(6));
    store.failScanAfterPages = 2;
    const sender = new FakeSender();

    const failure = await broadcast({
      store,
      sender,
      data: encodeFrame(frame),
      logger: recordingLogger().logger,
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(BroadcastError);
    expect((failure as BroadcastError).partial).toEqual({ sent: 4, gone: 0, failed: 0 });
  });

  it('publishes how many connections it posted to and how long that took, as one EMF line', async () => {
    const lines: string[] = [];
    let clock = 1_000;
    const store = storeWith(['C0', 'C1', 'C2', 'GONE']);
    const sender = new FakeSender();
    sender.gone.add('GONE');

    await broadcast({
      store,
      sender,
      data: encodeFrame(frame),
      except: 'C0',
      logger: recordingLogger().logger,
      metrics: createMetrics({ sink: (line) => lines.push(line), enabled: true }),
      now: () => {
        clock += 5;
        return clock;
      },
    });

    const [line, ...rest] = lines.map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Greenlight',
            Dimensions: [[]],
            Metrics: [
              { Name: 'BroadcastSize', Unit: 'Count' },
              { Name: 'BroadcastDuration', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      BroadcastSize: 3,
    });
    expect(line?.BroadcastDuration).toBeGreaterThan(0);
  });
});
