import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { LOCAL_REGION } from './dev-config';
import { type FrontDoorReply, type ReceivedRequest, startFrontDoor } from './rest-front-door';
import { checkSigV4, type IamCheck } from './rest-iam-auth';
import type { RestRoute } from './template';

const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024; // API Gateway's limit
const INTEGRATION_TIMEOUT_MS = 29_000; // API Gateway's default integration timeout
const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript)|[^;]*\+json)/i;

export type RestIntegration = (functionId: string, event: APIGatewayProxyEvent) => Promise<unknown>;

export interface RestGateway {
  url: string;
  port: number;
  close(): Promise<void>;
  onRequest(listener: (entry: RestLogEntry) => void): () => void;
}

export interface RestLogEntry {
  method: string;
  path: string;
  functionId: string | undefined;
  statusCode: number;
  durationMs: number;
  at: string;
}

interface CompiledRoute extends RestRoute {
  pattern: RegExp;
  params: string[];
}

function compile(route: RestRoute): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{(\w+)(\\\+)?\\?\}/g, (_m, name: string, greedy) => {
      params.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
  return { ...route, pattern: new RegExp(`^${source}/?$`), params };
}

function isUtf8Text(contentType: string | undefined, body: Buffer): boolean {
  if (body.length === 0) return true;
  if (contentType && !TEXT_TYPES.test(contentType)) return false;
  return Buffer.from(body.toString('utf8'), 'utf8').equals(body);
}

function headersOf(rawHeaders: ReadonlyArray<string>) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const value = rawHeaders[i + 1] ?? '';
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  return { headers, multiValueHeaders };
}

function queryOf(url: URL) {
  if ([...url.searchParams.keys()].length === 0) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    single[key] = value;
    multi[key] = [...(multi[key] ?? []), value];
  }
  return { single, multi };
}

function replyOf(result: APIGatewayProxyResult): FrontDoorReply {
  const headers: Record<string, string | string[]> = {
    ...(result.multiValueHeaders as Record<string, string[]>),
  };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64')
    : Buffer.from(result.body ?? '', 'utf8');
  return { statusCode: result.statusCode, headers, body };
}

function apiError(statusCode: number, message: string, errorType: string): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': errorType },
    body: JSON.stringify({ message }),
  };
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { statusCode?: unknown }).statusCode === 'number'
  );
}

/**
 * API Gateway REST API (Lambda proxy integration, payload v1) for the routes template.yaml
 * declares. Paths are served under `/{stage}` as on AWS; an unknown route answers 403 "Missing
 * Authentication Token", a handler that throws or returns no proxy result answers 502, one that
 * outlasts 29 s answers 504, as API Gateway does.
 */
export async function startRestGateway(options: {
  routes: ReadonlyArray<RestRoute>;
  stage: string;
  invoke: RestIntegration;
  port?: number;
  host?: string;
  apiId?: string;
  integrationTimeoutMs?: number;
  region?: string;
}): Promise<RestGateway> {
  // API Gateway matches a literal path segment before a {parameter} one (GET /approvals/keys before
  // GET /approvals/{id}), whatever order the template lists them in.
  const routes = options.routes.map(compile).sort((a, b) => a.params.length - b.params.length);
  const host = options.host ?? '127.0.0.1';
  const apiId = options.apiId ?? 'gl0ca1rest';
  const listeners = new Set<(entry: RestLogEntry) => void>();

  // Stamped by the front door on arrival: time spent queued before the function runs is the
  // function's to account for, as on API Gateway, where requestTimeEpoch is the receipt time.
  const handle = async (request: ReceivedRequest): Promise<FrontDoorReply> => {
    const started = request.receivedAt;
    const { headers, multiValueHeaders } = headersOf(request.rawHeaders);
    const header = (wanted: string) =>
      Object.entries(headers).find(([name]) => name.toLowerCase() === wanted)?.[1];
    const hostHeader = header('host');
    const contentType = header('content-type');
    const userAgent = header('user-agent');
    const url = new URL(request.url, `http://${hostHeader ?? host}`);
    const stagePrefix = `/${options.stage}`;
    const path = url.pathname.startsWith(`${stagePrefix}/`)
      ? url.pathname.slice(stagePrefix.length)
      : url.pathname;
    const method = request.method;
    const route = routes.find((candidate) => candidate.method === method && candidate.pattern.test(path));
    const log = (statusCode: number) => {
      const entry = {
        method,
        path: url.pathname,
        functionId: route?.functionId,
        statusCode,
        durationMs: Date.now() - started,
        at: new Date().toISOString(),
      };
      for (const listener of listeners) listener(entry);
    };

    if (request.body === 'too_large') {
      log(413);
      return replyOf(apiError(413, 'Request Too Long', 'RequestTooLongException'));
    }
    const body = Buffer.from(request.body);
    if (!route) {
      log(403);
      return replyOf(apiError(403, 'Missing Authentication Token', 'MissingAuthenticationTokenException'));
    }
    const match = route.pattern.exec(path);
    const pathParameters = route.params.length
      ? Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(match?.[i + 1] ?? '')]))
      : null;
    let identity: Extract<IamCheck, { ok: true }>['identity'] | undefined;
    if (route.iam) {
      const checked = checkSigV4(
        {
          method,
          rawPath: url.pathname,
          query: url.searchParams,
          headers,
          body,
          now: Date.now(),
        },
        options.region ?? LOCAL_REGION,
      );
      if (!checked.ok) {
        log(checked.status);
        return replyOf(apiError(checked.status, checked.message, 'AccessDeniedException'));
      }
      identity = checked.identity;
    }
    const text = isUtf8Text(contentType, body);
    const query = queryOf(url);
    const requestId = randomUUID();
    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters,
      stageVariables: null,
      body: body.length === 0 ? null : text ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: !text,
      requestContext: {
        accountId: '000000000000',
        apiId,
        authorizer: null,
        protocol: `HTTP/${request.httpVersion}`,
        httpMethod: method,
        identity: {
          accessKey: identity?.accessKey ?? null,
          accountId: identity?.accountId ?? null,
          apiKey: null,
          apiKeyId: null,
          caller: identity?.caller ?? null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: request.remoteAddress ?? '127.0.0.1',
          user: identity?.user ?? null,
          userAgent: userAgent ?? null,
          userArn: identity?.userArn ?? null,
        },
        path: `${stagePrefix}${path}`,
        stage: options.stage,
        requestId,
        requestTimeEpoch: started,
        resourceId: 'local',
        resourcePath: route.path,
        domainName: hostHeader ?? host,
      },
    };

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS);
    });
    let result: APIGatewayProxyResult;
    try {
      const outcome = await Promise.race([options.invoke(route.functionId, event), timeout]);
      if (outcome === 'timeout')
        result = apiError(504, 'Endpoint request timed out', 'IntegrationTimeoutException');
      else if (isProxyResult(outcome)) result = outcome;
      else {
        console.error(`[rest] ${route.functionId} returned a malformed proxy result`);
        result = apiError(502, 'Internal server error', 'InternalServerErrorException');
      }
    } catch (error) {
      console.error(`[rest] ${route.functionId} failed:`, error);
      result = apiError(502, 'Internal server error', 'InternalServerErrorException');
    } finally {
      clearTimeout(timer);
    }
    log(result.statusCode);
    return replyOf(result);
  };

  const door = await startFrontDoor({ port: options.port ?? 0, host, maxBytes: MAX_PAYLOAD_BYTES, handle });
  const { port } = door;
  return {
    url: `http://${host}:${port}/${options.stage}`,
    port,
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => door.close(),
  };
}
