import type { Logger } from '../shared/log';
import { type Metrics, metrics as stdoutMetrics } from '../shared/metrics';
import type { ConnectionSender } from './connection-sender';
import type { ConnectionRef, ConnectionsStore } from './connections-store';
import { CONNECTING_GRACE_MS, DEFAULT_BROADCAST_CONCURRENCY } from './limits';

export interface BroadcastResult {
  /** Connections that accepted the frame. */
  sent: number;
  /** Connections API Gateway called gone (410); their rows are deleted. */
  gone: number;
  /** Other failures, logged one by one; the broadcast went on past them. */
  failed: number;
}

export interface BroadcastOptions {
  store: Pick<ConnectionsStore, 'livePages' | 'removeGone'>;
  sender: ConnectionSender;
  /** The frame, already encoded: every recipient gets the same bytes. */
  data: Uint8Array;
  /** The sender's connection, which never gets its own message back. */
  except?: string;
  /** Posts in flight at once. */
  concurrency?: number;
  logger: Logger;
  /** Where the broadcast's size and duration go; stdout's EMF lines by default. */
  metrics?: Metrics;
  now?: () => number;
}

async function* eachConnection(pages: AsyncIterable<ConnectionRef[]>): AsyncGenerator<ConnectionRef> {
  for await (const page of pages) yield* page;
}

/**
 * Sends one frame to every live connection: reads the table page by page while a fixed number of
 * workers post, so memory and open sockets stay bounded however many connections there are. A 410
 * deletes that connection's row (not the sender's); any other failure is logged and counted.
 */
export async function broadcast(options: BroadcastOptions): Promise<BroadcastResult> {
  const now = options.now ?? Date.now;
  const { store, sender, data, except, logger } = options;
  const result: BroadcastResult = { sent: 0, gone: 0, failed: 0 };
  const startedAt = now();
  // An async generator queues concurrent next() calls, so the workers share it safely.
  const connections = eachConnection(store.livePages(now()));

  const deliver = async ({ connectionId, connectedAt }: ConnectionRef) => {
    let outcome: 'sent' | 'gone';
    try {
      outcome = await sender.send(connectionId, data);
    } catch (error) {
      result.failed += 1;
      logger.warn('broadcast_post_failed', { connectionId, error });
      return;
    }
    if (outcome === 'sent') {
      result.sent += 1;
      return;
    }
    result.gone += 1;
    const connectedBefore = now() - CONNECTING_GRACE_MS;
    // A connection still inside its $connect also answers 410: its row must stay.
    if (connectedAt >= connectedBefore) return;
    try {
      await store.removeGone(connectionId, connectedBefore);
    } catch (error) {
      // The TTL removes the row later; the broadcast itself is not at fault.
      logger.warn('broadcast_gone_cleanup_failed', { connectionId, error });
    }
  };

  const worker = async () => {
    for (;;) {
      const next = await connections.next();
      if (next.done) return;
      if (next.value.connectionId !== except) await deliver(next.value);
    }
  };

  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_BROADCAST_CONCURRENCY);
  const workers = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  // Every connection a frame was posted to, whatever became of the post; a failed read counts too.
  (options.metrics ?? stdoutMetrics).emit({
    broadcastSize: result.sent + result.gone + result.failed,
    broadcastDuration: now() - startedAt,
  });
  // A failed Scan ends every worker; the posts already in flight have finished by now.
  const scanFailure = workers.find((outcome) => outcome.status === 'rejected');
  if (scanFailure) throw new BroadcastError(result, { cause: scanFailure.reason });
  return result;
}

/** The connections could not all be read; `partial` says what was delivered before that. */
export class BroadcastError extends Error {
  override readonly name = 'BroadcastError';
  constructor(
    readonly partial: BroadcastResult,
    options: ErrorOptions,
  ) {
    super('Broadcast stopped: the connections could not be read', options);
  }
}
