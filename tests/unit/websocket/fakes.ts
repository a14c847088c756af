import { createLogger } from '../../../app/shared/log';
import type { ConnectionSender } from '../../../app/websocket/connection-sender';
import type {
  Admission,
  ConnectionRecord,
  ConnectionRef,
  ConnectionsStore,
  RateLimit,
  ThreadRow,
} from '../../../app/websocket/connections-store';
import type { MirrorThread, SlackMirror } from '../../../app/websocket/slack-mirror';

/** Unit-test doubles for the bridge's edges; the real ones are tested against the local stack. */

export function recordingLogger() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
}

/** An in-memory connections table, paged like a Scan. */
export class MemoryStore implements ConnectionsStore {
  readonly rows = new Map<string, ConnectionRecord & { windowStart?: number; msgCount?: number }>();
  readonly removedGone: string[] = [];
  pageSize = 2;
  failScanAfterPages: number | undefined;

  async add(record: ConnectionRecord) {
    if (this.rows.has(record.connectionId)) throw new Error('ConditionalCheckFailedException');
    this.rows.set(record.connectionId, { ...record });
  }
  async attachThread(
    connectionId: string,
    thread: { channel: string; ts: string },
    options = { onlyIfNone: false },
  ) {
    const row = this.rows.get(connectionId);
    if (!row || (options.onlyIfNone && row.threadTs)) return false;
    row.threadTs = thread.ts;
    row.mirrorChannel = thread.channel;
    return true;
  }
  async remove(connectionId: string) {
    const row = this.rows.get(connectionId);
    this.rows.delete(connectionId);
    return row;
  }
  async removeGone(connectionId: string, connectedBefore: number) {
    const row = this.rows.get(connectionId);
    if (!row || row.connectedAt >= connectedBefore) return false;
    this.rows.delete(connectionId);
    this.removedGone.push(connectionId);
    return true;
  }
  async admit(connectionId: string, now: number, rate: RateLimit): Promise<Admission> {
    const row = this.rows.get(connectionId);
    if (!row || row.expiresAt <= Math.floor(now / 1000)) return { kind: 'unknown' };
    if (row.windowStart === undefined || row.windowStart <= now - rate.windowSeconds * 1000) {
      row.windowStart = now;
      row.msgCount = 1;
      return { kind: 'admitted', connection: { ...row } };
    }
    if ((row.msgCount ?? 0) < rate.limit) {
      row.msgCount = (row.msgCount ?? 0) + 1;
      return { kind: 'admitted', connection: { ...row } };
    }
    return { kind: 'rate-limited', retryAfterSeconds: 7 };
  }
  async findByThread(channel: string, threadTs: string, now: number): Promise<ThreadRow | undefined> {
    return [...this.rows.values()].find(
      (row) => row.threadTs === threadTs && row.mirrorChannel === channel && row.expiresAt > now / 1000,
    );
  }
  async *livePages(now: number): AsyncIterable<ConnectionRef[]> {
    const live = [...this.rows.values()]
      .filter((row) => row.expiresAt > Math.floor(now / 1000))
      .map(({ connectionId, connectedAt }) => ({ connectionId, connectedAt }));
    for (let start = 0, page = 0; start < live.length; start += this.pageSize, page += 1) {
      if (this.failScanAfterPages !== undefined && page >= this.failScanAfterPages)
        throw new Error('Scan failed');
      yield live.slice(start, start + this.pageSize);
    }
  }
}

/** A `@connections` API that records what it was sent, with scripted outcomes per connection. */
export class FakeSender implements ConnectionSender {
  readonly sent: Array<{ connectionId: string; frame: Record<string, unknown> }> = [];
  readonly gone = new Set<string>();
  readonly failing = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;

  async send(connectionId: string, data: Uint8Array): Promise<'sent' | 'gone'> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.failing.has(connectionId)) throw new Error('ThrottlingException');
      if (this.gone.has(connectionId)) return 'gone';
      this.sent.push({ connectionId, frame: JSON.parse(new TextDecoder().decode(data)) });
      return 'sent';
    } finally {
      this.inFlight -= 1;
    }
  }

  framesTo(connectionId: string) {
    return this.sent.filter((entry) => entry.connectionId === connectionId).map((entry) => entry.frame);
  }
}

export class FakeMirror implements SlackMirror {
  readonly posts: Array<{ kind: string; thread?: MirrorThread; text: string }> = [];
  failing = false;
  private next = 1;

  async announce(connection: ConnectionRecord): Promise<MirrorThread> {
    if (this.failing) throw new Error('slack down');
    const thread = { channel: 'C0MIRROR', ts: `1000.${String(this.next++).padStart(6, '0')}` };
    this.posts.push({ kind: 'announce', thread, text: connection.subject });
    return thread;
  }
  async message(thread: MirrorThread, subject: string, message: string) {
    if (this.failing) throw new Error('slack down');
    this.posts.push({ kind: 'message', thread, text: `${subject}: ${message}` });
  }
  async disconnected(thread: MirrorThread, connection: ConnectionRecord) {
    this.posts.push({ kind: 'disconnected', thread, text: connection.subject });
  }
}

export function connectionRow(
  connectionId: string,
  overrides: Partial<ConnectionRecord> = {},
): ConnectionRecord {
  const now = Date.now();
  return {
    connectionId,
    subject: connectionId.toLowerCase(),
    sourceIp: '203.0.113.7',
    userAgent: 'test',
    connectedAt: now - 60_000,
    expiresAt: Math.floor(now / 1000) + 3600,
    ...overrides,
  };
}
