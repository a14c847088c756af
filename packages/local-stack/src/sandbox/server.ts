import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, readBody } from '../http';
import type {
  FunctionDefinition,
  OutcomeNamer,
  ShortcutDefinition,
  WebSocketTokenMinter,
} from '../product-hooks';
import type { Ses } from '../ses';
import type { SlackApi } from '../slack-api';
import { SlackApiError } from '../slack-api/slack-api-error';
import { appInstall } from '../slack-requests/interaction-payloads';
import { SlackCaller } from '../slack-requests/slack-caller';
import type { Endpoints } from '../stack';
import type { StepFunctionsServer } from '../stepfunctions';
import { browserBundle } from './browser-bundle';
import { EMAIL_DOCUMENT_POLICY, emailDocument } from './email-view';
import { PAGE_HTML } from './page-shell';
import type { LiveEvent } from './protocol';
import {
  actionRequest,
  closeRequest,
  commandRequest,
  homeRequest,
  InputError,
  messageRequest,
  shortcutRequest,
  submitRequest,
  tokenRequest,
  workflowRunRequest,
} from './request-input';
import { AppFailure, SandboxApi } from './sandbox-api';
import { SandboxState } from './sandbox-state';

export interface LocalSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SandboxOptions {
  port: number;
  host: string;
  /** Served at /endpoints.json without the secrets in it. */
  endpoints: Endpoints;
  slack: SlackApi;
  ses: Ses;
  stepFunctions: StepFunctionsServer;
  websocketUrl: string;
  /** Signs what the page asks the server to send; never sent to the page. */
  signingSecret: string;
  /** Signs the WebSocket tokens the page mints; never sent to the page. */
  websocketToken: WebSocketTokenMinter;
  /** The product's names for how executions ended (see product-hooks.ts). */
  executionOutcome?: OutcomeNamer | undefined;
  /** The app's shortcuts, listed in the page's menus (see product-hooks.ts). */
  shortcuts?: ReadonlyArray<ShortcutDefinition> | undefined;
  /** The app's custom steps, run from the Workflow Builder pane (see product-hooks.ts). */
  functions?: ReadonlyArray<FunctionDefinition> | undefined;
  appId: string;
  botUserId: string;
  /** How long Slack waits for the app: 3 s, after which the person sees `operation_timeout`. */
  slackTimeoutMs?: number;
}

const SLACK_TIMEOUT_MS = 3_000;
/** The page's requests are small; a modal's values are the largest. */
const MAX_API_BODY_BYTES = 64 * 1024;
const HEARTBEAT_MS = 25_000;

const SECRET_ENDPOINT_KEYS = new Set(['signingSecret', 'botToken', 'githubWebhookSecret']);

function send(
  response: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...headers,
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

/** The page's policy: its own script and styles only, live updates from itself, the gateway for the WebSocket panel. */
function pagePolicy(websocketUrl: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    'img-src http: https: data:',
    `connect-src 'self' ${new URL(websocketUrl).origin}`,
    "frame-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The Slack sandbox at http://localhost:3000: the page, a JSON API that does what a person in Slack
 * would do (each request to the app signed here, with the stack's secret), and live updates as
 * Server-Sent Events. SSE rather than a WebSocket: updates flow one way, the page's own actions are
 * plain POSTs, and EventSource reconnects (and resynchronises from a fresh snapshot) by itself.
 */
export async function startSandbox(options: SandboxOptions): Promise<LocalSandbox> {
  const timeoutMs = options.slackTimeoutMs ?? SLACK_TIMEOUT_MS;
  const state = new SandboxState({
    slack: options.slack,
    ses: options.ses,
    stepFunctions: options.stepFunctions,
    team: options.endpoints.team,
    botUserId: options.botUserId,
    websocketUrl: options.websocketUrl,
    executionOutcome: options.executionOutcome,
    shortcuts: options.shortcuts,
    functions: options.functions,
  });
  const caller = new SlackCaller({
    slack: options.slack,
    signingSecret: options.signingSecret,
    requestUrl: options.endpoints.slackEvents,
    app: appInstall(options.endpoints.team, options.appId),
    timeoutMs,
  });
  const api = new SandboxApi({
    slack: options.slack,
    caller,
    state,
    botUserId: options.botUserId,
    websocketUrl: options.websocketUrl,
    websocketToken: options.websocketToken,
    shortcuts: options.shortcuts ?? [],
    functions: options.functions ?? [],
    timeoutMs,
  });
  let allowedHosts = new Set<string>();

  const isPerson = (userId: string | null) =>
    userId !== null && options.slack.users().some((user) => user.id === userId && !user.isBot);

  const live = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const user = url.searchParams.get('user');
    if (!isPerson(user) || user === null) {
      sendJson(response, 400, { ok: false, error: 'Say which person the page acts as: ?user=<user id>.' });
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    const write = (event: LiveEvent) => response.write(`data: ${JSON.stringify(event)}\n\n`);
    const unsubscribe = state.subscribe(user, write);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    request.once('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
    });
  };

  const postRoutes: Record<string, (body: unknown) => unknown> = {
    '/api/commands': (body) => api.command(commandRequest(body)),
    '/api/messages': (body) => api.message(messageRequest(body)),
    '/api/actions': (body) => api.action(actionRequest(body)),
    '/api/views/submit': (body) => api.submit(submitRequest(body)),
    '/api/views/close': (body) => api.close(closeRequest(body)),
    '/api/websocket/token': (body) => api.websocketToken(tokenRequest(body)),
    '/api/shortcuts': (body) => api.shortcut(shortcutRequest(body)),
    '/api/home/open': (body) => api.openHome(homeRequest(body)),
    '/api/workflow-builder/run': (body) => api.runWorkflow(workflowRunRequest(body)),
  };

  /** Only the page itself may ask for signed requests: JSON from this origin, never a cross-site form. */
  const refusal = (request: IncomingMessage): string | undefined => {
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return 'Send JSON.';
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^https?:\/\//, ''))) {
      return 'Requests from other sites are refused.';
    }
    if (request.headers['sec-fetch-site'] === 'cross-site') return 'Requests from other sites are refused.';
    return undefined;
  };

  const post = async (
    request: IncomingMessage,
    response: ServerResponse,
    handler: (body: unknown) => unknown,
  ) => {
    const refused = refusal(request);
    if (refused !== undefined) {
      sendJson(response, 403, { ok: false, error: refused });
      return;
    }
    const raw = await readBody(request, MAX_API_BODY_BYTES);
    if (raw === 'too_large') {
      sendJson(response, 413, {
        ok: false,
        error: `The request is larger than ${MAX_API_BODY_BYTES} bytes.`,
      });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      sendJson(response, 400, { ok: false, error: 'The request is not valid JSON.' });
      return;
    }
    sendJson(response, 200, await handler(body));
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Refuses DNS rebinding: a page on another name that resolves here must not drive the stack.
    if (!allowedHosts.has(request.headers.host ?? '')) {
      send(response, 403, 'Unknown host', 'text/plain; charset=utf-8');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const { pathname } = url;
    if (request.method === 'POST') {
      const handler = postRoutes[pathname];
      if (handler !== undefined) return post(request, response, handler);
      sendJson(response, 404, { ok: false, error: `No such API: ${pathname}` });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'Method not allowed', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD, POST' });
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      send(response, 200, PAGE_HTML, 'text/html; charset=utf-8', {
        'Content-Security-Policy': pagePolicy(options.websocketUrl),
      });
      return;
    }
    if (pathname === '/app.js' || pathname === '/app.css') {
      const bundle = await browserBundle();
      if (pathname === '/app.js') send(response, 200, bundle.js, 'text/javascript; charset=utf-8');
      else send(response, 200, bundle.css, 'text/css; charset=utf-8');
      return;
    }
    if (pathname === '/endpoints.json') {
      const published = Object.fromEntries(
        Object.entries(options.endpoints).filter(([key]) => !SECRET_ENDPOINT_KEYS.has(key)),
      );
      send(response, 200, JSON.stringify(published, null, 2), 'application/json; charset=utf-8');
      return;
    }
    if (pathname === '/api/live') {
      live(request, response, url);
      return;
    }
    const outbox = /^\/api\/outbox\/([\w-]+)\/document$/.exec(pathname);
    if (outbox !== null) {
      const message = options.ses.outbox().find((candidate) => candidate.messageId === outbox[1]);
      if (message === undefined) {
        send(response, 404, 'No such e-mail', 'text/plain; charset=utf-8');
        return;
      }
      send(response, 200, emailDocument(message), 'text/html; charset=utf-8', {
        'Content-Security-Policy': EMAIL_DOCUMENT_POLICY,
      });
      return;
    }
    send(response, 404, 'Not found', 'text/plain; charset=utf-8');
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // Errors map to answers in this one place: the page shows `error` as it is.
      if (response.headersSent) {
        response.end();
        return;
      }
      if (error instanceof InputError) sendJson(response, 400, { ok: false, error: error.message });
      else if (error instanceof AppFailure) sendJson(response, 502, { ok: false, error: error.message });
      else if (error instanceof SlackApiError)
        sendJson(response, 400, { ok: false, error: `Slack refused: ${error.code}` });
      else {
        console.error('sandbox: request failed', error);
        sendJson(response, 500, {
          ok: false,
          error: 'The sandbox failed; see the terminal running the stack.',
        });
      }
    });
  });
  const { port } = await listen(server, options.port, options.host);
  allowedHosts = new Set([
    `localhost:${port}`,
    `127.0.0.1:${port}`,
    `[::1]:${port}`,
    `${options.host}:${port}`,
  ]);
  return {
    url: `http://${options.host === '127.0.0.1' ? 'localhost' : options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        state.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
