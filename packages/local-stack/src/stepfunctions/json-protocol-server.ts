import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Operation } from './operations';
import { SfnApiError } from './sfn-error';

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
// Requests carry at most a 256 KB payload plus a little framing.
const MAX_BODY_BYTES = 1_048_576;

/** An HTTP server speaking the AWS JSON 1.0 protocol: `X-Amz-Target` names the operation. */
export function createJsonProtocolServer(operations: Record<string, Operation>): Server {
  return createServer((request, response) => {
    handle(operations, request, response).catch((error: unknown) => {
      console.error('[stepfunctions] unexpected error', error);
      send(response, 500, { __type: 'InternalFailure', message: 'Internal failure' });
    });
  });
}

async function handle(
  operations: Record<string, Operation>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let body: Record<string, unknown>;
  try {
    body = await readJsonBody(request);
  } catch (error) {
    sendError(
      response,
      error instanceof SfnApiError ? error : new SfnApiError('SerializationException', 'Malformed JSON body'),
    );
    return;
  }
  const target = request.headers['x-amz-target'];
  const name =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
  if (request.method !== 'POST' || operation === undefined) {
    sendError(
      response,
      new SfnApiError('UnknownOperationException', `Unknown operation: '${String(target)}'`),
    );
    return;
  }
  try {
    send(response, 200, await operation(body));
  } catch (error) {
    if (!(error instanceof SfnApiError)) throw error;
    sendError(response, error);
  }
}

async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new SfnApiError('ValidationException', 'Request body is too large', 413);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('not a JSON object');
  return parsed as Record<string, unknown>;
}

function sendError(response: ServerResponse, error: SfnApiError): void {
  send(response, error.statusCode, { __type: error.code, message: error.message });
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload, epochSeconds);
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(body);
}

// AWS JSON protocols send timestamps as epoch seconds. JSON.stringify has already called
// Date#toJSON when the replacer runs, so look at the original value on the holder.
function epochSeconds(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}
