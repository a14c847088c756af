import type { WebClient } from '@slack/web-api';
import type { ConnectionRecord } from './connections-store';
import { clientMessageText, connectedText, disconnectedText, SAFE_POST_OPTIONS } from './mirror-text';

export interface MirrorThread {
  channel: string;
  ts: string;
}

/** The Slack side of the bridge: one thread per connection in the mirror channel. */
export interface SlackMirror {
  /** Posts the thread's root message for a new connection. */
  announce(connection: ConnectionRecord): Promise<MirrorThread>;
  message(thread: MirrorThread, subject: string, message: string): Promise<void>;
  disconnected(thread: MirrorThread, connection: ConnectionRecord, details: DisconnectDetails): Promise<void>;
}

export interface DisconnectDetails {
  statusCode?: number;
  reason?: string;
  at: number;
}

export function webApiMirror(client: WebClient, channel: string): SlackMirror {
  const post = async (text: string, threadTs?: string): Promise<MirrorThread> => {
    const result = await client.chat.postMessage({
      channel,
      text,
      ...SAFE_POST_OPTIONS,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    if (!result.ts) throw new Error('chat.postMessage returned no ts');
    return { channel: result.channel ?? channel, ts: result.ts };
  };
  return {
    announce: (connection) => post(connectedText(connection)),
    async message(thread, subject, message) {
      await postIn(client, thread, clientMessageText(subject, message));
    },
    async disconnected(thread, connection, details) {
      const text = disconnectedText(connection.subject, {
        ...(details.statusCode !== undefined ? { statusCode: details.statusCode } : {}),
        ...(details.reason !== undefined ? { reason: details.reason } : {}),
        connectedForMs: details.at - connection.connectedAt,
      });
      await postIn(client, thread, text);
    },
  };
}

/** A reply in an existing thread (its channel may differ from today's mirror channel). */
async function postIn(client: WebClient, thread: MirrorThread, text: string): Promise<void> {
  await client.chat.postMessage({
    channel: thread.channel,
    thread_ts: thread.ts,
    text,
    ...SAFE_POST_OPTIONS,
  });
}
