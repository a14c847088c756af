import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { appendLogLine, readLog } from './durable-file';
import { checkEventEntry } from './eventbridge-entry';
import { listen, readBody } from './http';
import type { RecordedEvent } from './stepfunctions';

/**
 * EventBridge's `PutEvents` over the AWS JSON 1.1 protocol (`X-Amz-Target: AWSEvents.PutEvents`),
 * reached by the SDK through AWS_ENDPOINT_URL_EVENTBRIDGE. Nothing routes the events onwards:
 * they are kept, in order, for the tests and the sandbox to read, like the Step Functions
 * `events:putEvents` integration's; with a data directory, also in `events.jsonl` there, so a
 * restarted stack still has them.
 */
export interface LocalEventBridge {
  url: string;
  events(): ReadonlyArray<RecordedEvent>;
  close(): Promise<void>;
}

const TARGET = 'AWSEvents.PutEvents';
// PutEvents takes at most 10 entries and 256 KB in all.
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export async function startEventBridge(options: {
  port: number;
  host: string;
  /** Where the events persist; undefined keeps them in memory only. */
  dataDir?: string | undefined;
}): Promise<LocalEventBridge> {
  const log = options.dataDir === undefined ? undefined : join(options.dataDir, 'events.jsonl');
  const recorded: RecordedEvent[] =
    log === undefined
      ? []
      : (readLog(log, (message) => console.warn(`[eventbridge] ${message}`)) as RecordedEvent[]);

  const putEvents = (body: Record<string, unknown>) => {
    const entries = body.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES)
      throw new ApiError('ValidationException', `Entries must hold 1 to ${MAX_ENTRIES} entries`);
    const time = new Date().toISOString();
    const results: EntryResult[] = entries.map((raw) => {
      const entry = (raw ?? {}) as Record<string, unknown>;
      const problem = checkEventEntry(entry);
      if (problem !== undefined) return { ErrorCode: 'InvalidArgument', ErrorMessage: problem };
      const event: RecordedEvent = {
        Source: String(entry.Source),
        DetailType: String(entry.DetailType),
        Detail: String(entry.Detail),
        EventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
        time,
      };
      if (log !== undefined) appendLogLine(log, event);
      recorded.push(event);
      return { EventId: randomUUID() };
    });
    return { Entries: results, FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || request.headers['x-amz-target'] !== TARGET)
      throw new ApiError(
        'UnknownOperationException',
        `Unknown operation ${String(request.headers['x-amz-target'])}`,
      );
    const raw = await readBody(request, MAX_REQUEST_BYTES);
    if (raw === 'too_large')
      throw new ApiError('ValidationException', 'Total size of the entries exceeds 256 KB');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      throw new ApiError('SerializationException', 'Malformed JSON body');
    }
    send(response, 200, putEvents(body));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const apiError =
        error instanceof ApiError ? error : new ApiError('InternalException', 'Internal failure');
      send(response, apiError.type === 'InternalException' ? 500 : 400, {
        __type: apiError.type,
        message: apiError.message,
      });
    });
  });
  const address = await listen(server, options.port, options.host);
  return {
    url: `http://${options.host}:${address.port}`,
    events: () => [...recorded],
    close: () =>
      new Promise((resolve) => {
        // An SDK client keeps its connection alive; close() alone would wait for it.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(body);
}
