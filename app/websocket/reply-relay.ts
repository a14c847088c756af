import { type ConnectionSender, encodeFrame } from './connection-sender';
import type { ConnectionsStore } from './connections-store';
import { CONNECTING_GRACE_MS } from './limits';
import type { ReplyFrame } from './server-frames';

/** The connection a Slack thread mirrors, as much as a reply needs. */
export interface ThreadConnection {
  connectionId: string;
  subject: string;
}

/** What the Slack function needs from the bridge to hand a thread reply to its client. */
export interface ReplyRelay {
  findConnection(channel: string, threadTs: string, now: number): Promise<ThreadConnection | undefined>;
  deliver(connectionId: string, frame: ReplyFrame): Promise<'sent' | 'gone'>;
  /** Drops the row of a connection that answered 410. */
  forget(connectionId: string, now: number): Promise<void>;
}

export function connectionsReplyRelay(
  store: Pick<ConnectionsStore, 'findByThread' | 'removeGone'>,
  sender: ConnectionSender,
): ReplyRelay {
  return {
    async findConnection(channel, threadTs, now) {
      const row = await store.findByThread(channel, threadTs, now);
      return row === undefined ? undefined : { connectionId: row.connectionId, subject: row.subject };
    },
    deliver: (connectionId, frame) => sender.send(connectionId, encodeFrame(frame)),
    async forget(connectionId, now) {
      await store.removeGone(connectionId, now - CONNECTING_GRACE_MS);
    },
  };
}
