import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, readBody } from './http';
import type { LambdaRuntime } from './lambda-runtime';
import type { AsyncInvokeConfig } from './template';

/**
 * Lambda's `Invoke` API (REST-JSON, `POST /2015-03-31/functions/{name}/invocations`) for the
 * template's functions, reached by the SDK through AWS_ENDPOINT_URL_LAMBDA. `RequestResponse`
 * runs the handler and answers with its result (a thrown error is a 200 with
 * `X-Amz-Function-Error: Unhandled`, as on AWS); `Event` answers 202 at once and runs it in the
 * background with the function's asynchronous settings from the template: up to
 * MaximumRetryAttempts retries (default 2), then the event goes to its on-failure destination or
 * dead-letter queue, which here is a list the tests and the sandbox read.
 */
export interface DeadLetter {
  functionName: string;
  /** The ARN of the destination or DLQ the template names. */
  destination: string;
  event: unknown;
  error: { errorType: string; errorMessage: string };
  attempts: number;
  at: string;
}

export interface LambdaApi {
  url: string;
  /** Async invocations that are still running or waiting for a retry. */
  pending(): number;
  deadLetters(): ReadonlyArray<DeadLetter>;
  /** Runs the function as an `Event` invocation would (schedules use it). */
  invokeAsync(logicalId: string, event: unknown): void;
  close(): Promise<void>;
}

export interface LambdaApiOptions {
  port: number;
  host: string;
  runtime: LambdaRuntime;
  asyncConfig: (logicalId: string) => AsyncInvokeConfig;
  /** Waits before the first and second retry; AWS waits about a minute, then two. */
  retryDelaysMs?: readonly number[];
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
// Lambda's limits: 6 MB for a synchronous payload, 256 KB for an asynchronous one.
const MAX_SYNC_BYTES = 6 * 1024 * 1024;
const MAX_ASYNC_BYTES = 256 * 1024;
const AWS_RETRY_DELAYS_MS = [60_000, 120_000];

class LambdaApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function errorPayload(error: unknown): { errorType: string; errorMessage: string } {
  return error instanceof Error
    ? { errorType: error.name, errorMessage: error.message }
    : { errorType: 'Error', errorMessage: String(error) };
}

export async function startLambdaApi(options: LambdaApiOptions): Promise<LambdaApi> {
  const delays = options.retryDelaysMs ?? AWS_RETRY_DELAYS_MS;
  const deadLetters: DeadLetter[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let running = 0;
  let closed = false;

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const invokeAsync = (logicalId: string, event: unknown) => {
    const config = options.asyncConfig(logicalId);
    const firstAt = Date.now();
    const attempt = (number: number) => {
      if (closed) return;
      running += 1;
      options.runtime
        .invoke(logicalId, event)
        .then(
          () => undefined,
          (error: unknown) => errorPayload(error),
        )
        .then((failure) => {
          running -= 1;
          if (failure === undefined || closed) return;
          const delay = delays[Math.min(number - 1, delays.length - 1)] ?? 0;
          const tooOld = Date.now() + delay - firstAt > config.maximumEventAgeSeconds * 1000;
          if (number <= config.maximumRetryAttempts && !tooOld) {
            later(delay, () => attempt(number + 1));
            return;
          }
          console.warn(`[lambda] ${logicalId}: async event failed ${number} time(s): ${failure.errorType}`);
          if (config.onFailure !== undefined) {
            deadLetters.push({
              functionName: logicalId,
              destination: config.onFailure,
              event,
              error: failure,
              attempts: number,
              at: new Date().toISOString(),
            });
          }
        });
    };
    attempt(1);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const name = decodeURIComponent(PATH.exec(new URL(request.url ?? '/', 'http://x').pathname)?.[1] ?? '');
    if (request.method !== 'POST' || name === '')
      throw new LambdaApiError('UnknownOperationException', 'Unknown operation', 404);
    const logicalId = options.runtime.logicalIdOf(name);
    if (logicalId === undefined)
      throw new LambdaApiError('ResourceNotFoundException', `Function not found: ${name}`, 404);
    const type = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const body = await readBody(request, type === 'Event' ? MAX_ASYNC_BYTES : MAX_SYNC_BYTES);
    if (body === 'too_large')
      throw new LambdaApiError('RequestTooLargeException', 'Request payload is too large', 413);
    let event: unknown;
    try {
      event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new LambdaApiError(
        'InvalidRequestContentException',
        'Could not parse request body into json',
        400,
      );
    }
    switch (type) {
      case 'DryRun':
        send(response, 204, undefined);
        return;
      case 'Event':
        invokeAsync(logicalId, event);
        send(response, 202, undefined);
        return;
      case 'RequestResponse':
        try {
          send(response, 200, (await options.runtime.invoke(logicalId, event)) ?? null);
        } catch (error) {
          send(response, 200, errorPayload(error), { 'X-Amz-Function-Error': 'Unhandled' });
        }
        return;
      default:
        throw new LambdaApiError('InvalidParameterValueException', `Unknown InvocationType ${type}`, 400);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const apiError =
        error instanceof LambdaApiError
          ? error
          : new LambdaApiError('ServiceException', 'Internal failure', 500);
      send(
        response,
        apiError.status,
        { Type: apiError.status >= 500 ? 'Service' : 'User', message: apiError.message },
        { 'X-Amzn-ErrorType': apiError.type },
      );
    });
  });
  const address = await listen(server, options.port, options.host);
  return {
    url: `http://${options.host}:${address.port}`,
    pending: () => running + timers.size,
    deadLetters: () => [...deadLetters],
    invokeAsync,
    close: () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise((resolve) => {
        // An SDK client keeps its connection alive; close() alone would wait for it.
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function send(
  response: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'X-Amz-Executed-Version': '$LATEST',
  });
  response.end(body);
}
