import { Worker } from 'node:worker_threads';
import { readBody } from './http';

/**
 * The REST emulation's front door: an HTTP server on a thread of its own, so a request is stamped
 * the moment it arrives, as API Gateway stamps `requestTimeEpoch`. The functions run in the main
 * thread; when it is busy (a burst of commands), requests wait in the queue between the two threads,
 * and that wait counts against a function's budget as it would on AWS, instead of going unseen.
 */

/** A request as the front door hands it over, body read (or found too large). */
export interface ReceivedRequest {
  type: 'request';
  id: number;
  /** Epoch ms when the front door received it. */
  receivedAt: number;
  method: string;
  url: string;
  httpVersion: string;
  rawHeaders: string[];
  remoteAddress: string | undefined;
  body: Uint8Array | 'too_large';
}

export interface FrontDoorReply {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Uint8Array;
}

export interface FrontDoor {
  port: number;
  close(): Promise<void>;
}

type FromDoor =
  | ReceivedRequest
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string; code: string | undefined }
  | { type: 'closed' };
type ToDoor = ({ type: 'reply'; id: number } & FrontDoorReply) | { type: 'close' };

interface DoorSettings {
  port: number;
  host: string;
  maxBytes: number;
}

/**
 * Runs in the worker. It reaches nothing of this module but its arguments and Node's built-ins
 * (it is sent to the worker as source text), so it stays small: receive, stamp, pass on, answer.
 */
function runFrontDoor(read: typeof readBody): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { createServer } = require('node:http') as typeof import('node:http');
  const settings = workerData as DoorSettings;
  const port = parentPort as NonNullable<typeof parentPort>;
  const waiting = new Map<number, import('node:http').ServerResponse>();
  let nextId = 0;
  const server = createServer((request, response) => {
    const receivedAt = Date.now();
    read(request, settings.maxBytes).then(
      (body) => {
        const id = nextId++;
        waiting.set(id, response);
        const message: ReceivedRequest = {
          type: 'request',
          id,
          receivedAt,
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          httpVersion: request.httpVersion,
          rawHeaders: request.rawHeaders,
          remoteAddress: request.socket.remoteAddress,
          body,
        };
        port.postMessage(message);
      },
      () => response.destroy(),
    );
  });
  port.on('message', (message: ToDoor) => {
    if (message.type === 'close') {
      server.closeAllConnections();
      server.close(() => port.postMessage({ type: 'closed' }));
      return;
    }
    const response = waiting.get(message.id);
    waiting.delete(message.id);
    response?.writeHead(message.statusCode, message.headers);
    response?.end(Buffer.from(message.body));
  });
  server.once('error', (error: NodeJS.ErrnoException) =>
    port.postMessage({ type: 'failed', message: error.message, code: error.code }),
  );
  server.listen(settings.port, settings.host, () => {
    const address = server.address();
    port.postMessage({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });
}

export function startFrontDoor(options: {
  port: number;
  host: string;
  maxBytes: number;
  /** Called in the main thread for each request; its answer goes back to the client. */
  handle: (request: ReceivedRequest) => Promise<FrontDoorReply>;
}): Promise<FrontDoor> {
  // The transpiler may wrap named functions in `__name(...)` (esbuild's keepNames, used by tsx);
  // the worker has no such helper, so it gets one that does nothing.
  const source = [
    'const __name = (target) => target;',
    `const readBody = ${readBody.toString()};`,
    `(${runFrontDoor.toString()})(readBody);`,
  ].join('\n');
  const settings: DoorSettings = { port: options.port, host: options.host, maxBytes: options.maxBytes };
  const worker = new Worker(source, { eval: true, workerData: settings });
  const reply = (message: ToDoor) => worker.postMessage(message);

  return new Promise((resolve, reject) => {
    let closed: (() => void) | undefined;
    worker.on('error', reject);
    worker.on('message', (message: FromDoor) => {
      switch (message.type) {
        case 'listening':
          resolve({
            port: message.port,
            close: () =>
              new Promise<void>((done) => {
                closed = done;
                reply({ type: 'close' });
              }).then(() => worker.terminate().then(() => undefined)),
          });
          return;
        case 'failed':
          // The code (EADDRINUSE, say) is what the stack's start decides on, as for a listen() in this thread.
          reject(Object.assign(new Error(`REST gateway: ${message.message}`), { code: message.code }));
          void worker.terminate();
          return;
        case 'closed':
          closed?.();
          return;
        case 'request':
          options.handle(message).then(
            (answer) => reply({ type: 'reply', id: message.id, ...answer }),
            (error: unknown) => {
              console.error('[rest] request failed', error);
              reply({
                type: 'reply',
                id: message.id,
                statusCode: 500,
                headers: { 'Content-Type': 'application/json' },
                body: Buffer.from(JSON.stringify({ message: 'Internal server error' })),
              });
            },
          );
          return;
      }
    });
  });
}
