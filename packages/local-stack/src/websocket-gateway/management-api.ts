import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http';
import { newRequestUuid } from './aws-ids';
import { ConnectionGoneError, type ConnectionInfo } from './gateway-connection';

/** What the `@connections` API needs from a live connection. */
export interface ManagedConnection {
  info(): ConnectionInfo;
  send(data: Buffer, isBinary: boolean): Promise<void>;
  disconnect(): void;
}

export interface ManagementApiOptions {
  readonly stage: string;
  readonly maxMessageBytes: number;
  /** The connection with this id if it is still open. */
  readonly findOpenConnection: (connectionId: string) => ManagedConnection | undefined;
  readonly logError: (message: string, error: unknown) => void;
}

type Operation = 'POST' | 'GET' | 'DELETE';

/**
 * The `@connections` management API, served at `/{stage}/@connections/{connectionId}` because
 * that is where `ApiGatewayManagementApiClient` sends requests when its `endpoint` is the stage URL.
 * Errors carry `x-amzn-ErrorType`, which is how the SDK picks the exception class it throws.
 */
export function createManagementApi(
  options: ManagementApiOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      options.logError('websocket-gateway: @connections request failed', error);
      if (!response.headersSent)
        sendError(response, 500, 'InternalServerErrorException', 'Internal server error');
      else response.destroy();
    });
  };
}

async function handle(options: ManagementApiOptions, request: IncomingMessage, response: ServerResponse) {
  const connectionId = connectionIdOf(request.url, options.stage);
  const operation = request.method;
  if (connectionId === undefined || !isOperation(operation) || request.headers.authorization === undefined) {
    // API Gateway answers unsigned requests and unknown resources alike, without saying which.
    request.resume();
    sendError(response, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    return;
  }

  if (operation === 'POST') {
    const body = await readBody(request, options.maxMessageBytes);
    if (body === 'too_large') {
      sendError(
        response,
        413,
        'PayloadTooLargeException',
        `Message is larger than ${options.maxMessageBytes} bytes`,
      );
      return;
    }
    const connection = options.findOpenConnection(connectionId);
    if (connection === undefined) return sendGone(response, connectionId);
    try {
      // API Gateway sends text frames; a payload that is not UTF-8 could not be a text frame.
      await connection.send(body, !isUtf8(body));
    } catch (error) {
      if (error instanceof ConnectionGoneError) return sendGone(response, connectionId);
      throw error;
    }
    return sendJson(response, 200, undefined);
  }

  request.resume();
  const connection = options.findOpenConnection(connectionId);
  if (connection === undefined) return sendGone(response, connectionId);
  if (operation === 'DELETE') {
    connection.disconnect();
    return sendJson(response, 204, undefined);
  }
  const info = connection.info();
  // The wire names are camelCase (the model's jsonName); the SDK presents them as ConnectedAt, Identity…
  return sendJson(response, 200, {
    connectedAt: new Date(info.connectedAt).toISOString(),
    identity: { sourceIp: info.sourceIp, userAgent: info.userAgent },
    lastActiveAt: new Date(info.lastActiveAt).toISOString(),
  });
}

function isOperation(method: string | undefined): method is Operation {
  return method === 'POST' || method === 'GET' || method === 'DELETE';
}

function connectionIdOf(url: string | undefined, stage: string): string | undefined {
  const path = (url ?? '').split('?')[0] ?? '';
  const segments = path.split('/');
  if (segments.length !== 4 || segments[0] !== '') return undefined;
  try {
    const [, stageSegment, resource, id] = segments.map((segment) => decodeURIComponent(segment));
    if (stageSegment !== stage || resource !== '@connections' || !id) return undefined;
    return id;
  } catch {
    // A malformed percent-escape names no resource we serve.
    return undefined;
  }
}

function sendGone(response: ServerResponse, connectionId: string): void {
  sendError(response, 410, 'GoneException', `Connection ${connectionId} is gone`);
}

function sendError(response: ServerResponse, statusCode: number, errorType: string, message: string): void {
  response.setHeader('x-amzn-ErrorType', errorType);
  sendJson(response, statusCode, { message });
}

function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': newRequestUuid(),
  });
  response.end(payload);
}
