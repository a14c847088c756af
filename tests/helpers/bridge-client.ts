import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import WebSocket from 'ws';
import { mintConnectionToken } from '../../app/websocket/connection-token';
import type { TestStack } from './local-stack';

export type Frame = Record<string, unknown>;

const WAIT_MS = 10_000;

/** A token the stack's WebSocket function accepts, for `subject`, valid for `ttlMs`. */
export function tokenFor(stack: TestStack, subject: string, ttlMs = 60_000): string {
  return mintConnectionToken(stack.stack.secrets.websocketTokenKey, subject, Date.now() + ttlMs);
}

/** The HTTP status a `$connect` with this query string is refused with (0 when it is accepted). */
export function connectStatus(stack: TestStack, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${stack.stack.websocket.url}${query}`);
    socket.once('open', () => {
      socket.close();
      resolve(0);
    });
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      resolve(response.statusCode ?? -1);
    });
    socket.once('error', reject);
  });
}

/**
 * A real `ws` client of the bridge that keeps every JSON frame it receives, so a test can wait for
 * one without missing any that arrived in between.
 */
export class BridgeClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number }>;
  /** The gateway's id for this connection, known once it is open. */
  connectionId = '';
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly socket: WebSocket,
    readonly subject: string,
  ) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve({ code })));
  }

  static connect(
    stack: TestStack,
    subject: string,
    // A user agent of its own lets the client find its connection id in the gateway's list.
    { token = tokenFor(stack, subject), userAgent = `bridge-test/${subject}-${randomUUID()}` } = {},
  ): Promise<BridgeClient> {
    const socket = new WebSocket(`${stack.stack.websocket.url}?token=${encodeURIComponent(token)}`, {
      headers: { 'User-Agent': userAgent },
    });
    const client = new BridgeClient(socket, subject);
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        const mine = stack.stack.websocket.connections().find((c) => c.userAgent === userAgent);
        client.connectionId = mine?.connectionId ?? '';
        resolve(client);
      });
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`refused with ${response.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendMessage(message: string): void {
    this.send({ action: 'sendmessage', message });
  }

  /** Resolves with the first frame (seen or still to come) matching `predicate`. */
  async next(predicate: (frame: Frame) => boolean, what = 'a matching frame'): Promise<Frame> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() >= deadline) throw new Error(`${this.subject} never received ${what}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, deadline - Date.now());
        this.waiters.add(wake);
      });
    }
  }

  ofType(type: string): Frame[] {
    return this.frames.filter((frame) => frame.type === type);
  }

  async close(): Promise<void> {
    this.socket.close(1000, 'bye');
    await this.closed;
  }
}

/**
 * Everything written to stdout and stderr while it is on (the functions log JSON lines to stdout),
 * so a test can wait for a log entry or check that a secret never appears.
 */
export class OutputCapture {
  readonly text: string[] = [];
  private readonly restore: Array<() => void> = [];

  start(): this {
    for (const stream of [process.stdout, process.stderr]) {
      const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        this.text.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return true;
      });
      this.restore.push(() => spy.mockRestore());
    }
    return this;
  }

  stop(): void {
    for (const undo of this.restore.splice(0)) undo();
  }

  entries(): Frame[] {
    return this.text
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Frame);
  }

  /** Waits for a JSON log entry matching `predicate`. */
  async entry(predicate: (entry: Frame) => boolean, what = 'a matching log entry'): Promise<Frame> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = this.entries().find(predicate);
      if (found !== undefined) return found;
      if (Date.now() >= deadline) throw new Error(`never logged ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
