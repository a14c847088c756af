import { compileRouteSelectionExpression, type RouteSelector } from './route-selection';
import type { WebSocketProxyEvent, WebSocketProxyResult } from './websocket-proxy-event';

/** The Lambda handler behind every route, called in-process by the caller's runtime. */
export type WebSocketIntegration = (
  event: WebSocketProxyEvent,
  // biome-ignore lint/suspicious/noConfusingVoidType: lets `async (event) => { … }` handlers that return nothing be passed as they are.
) => Promise<WebSocketProxyResult | undefined | void>;

export interface WebSocketGatewayOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The stage name, the first path segment of every URL, e.g. `local`. */
  stage: string;
  /** Default a fixed fake id. */
  apiId?: string;
  /** Default `$request.body.action`. */
  routeSelectionExpression?: string;
  /** Route keys that have an integration, e.g. `['$connect', '$disconnect', '$default', 'sendmessage']`. */
  routes: ReadonlySet<string> | readonly string[];
  invoke: WebSocketIntegration;
  /** Default 10 minutes (API Gateway's idle timeout). */
  idleTimeoutMs?: number;
  /** Default 32 KiB (API Gateway's frame limit). */
  maxFrameBytes?: number;
  /** Default 128 KiB (API Gateway's message limit, also applied to `@connections` POST bodies). */
  maxMessageBytes?: number;
  /** Default 2 hours (API Gateway's maximum connection duration). */
  maxConnectionMs?: number;
  /** Where failed integrations are reported; default `console.error`. */
  logError?: (message: string, error: unknown) => void;
}

export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly stage: string;
  readonly apiId: string;
  readonly routes: ReadonlySet<string>;
  readonly selectRoute: RouteSelector;
  readonly invoke: WebSocketIntegration;
  readonly idleTimeoutMs: number;
  readonly maxFrameBytes: number;
  readonly maxMessageBytes: number;
  readonly maxConnectionMs: number;
  readonly closeHandshakeMs: number;
  readonly logError: (message: string, error: unknown) => void;
}

export const DEFAULT_API_ID = 'gl0ca1wsid';
const KIB = 1024;
const MINUTE_MS = 60_000;
// setTimeout fires at once for longer delays, which would turn a long limit into an instant close.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Applies API Gateway's defaults and rejects a configuration that could not work, naming the option. */
export function resolveOptions(options: WebSocketGatewayOptions): ResolvedOptions {
  if (!/^[A-Za-z0-9_-]+$/.test(options.stage)) {
    throw new Error(
      `websocket-gateway: stage must be letters, digits, '-' or '_', got ${JSON.stringify(options.stage)}`,
    );
  }
  const routes = new Set(options.routes);
  for (const route of routes) {
    if (route.trim() === '') throw new Error('websocket-gateway: routes must not contain an empty route key');
  }
  return {
    port: integerOption('port', options.port ?? 0, 0, 65_535),
    host: options.host ?? '127.0.0.1',
    stage: options.stage,
    apiId: options.apiId ?? DEFAULT_API_ID,
    routes,
    selectRoute: compileRouteSelectionExpression(options.routeSelectionExpression ?? '$request.body.action'),
    invoke: options.invoke,
    idleTimeoutMs: integerOption('idleTimeoutMs', options.idleTimeoutMs ?? 10 * MINUTE_MS, 1, MAX_TIMER_MS),
    maxFrameBytes: integerOption(
      'maxFrameBytes',
      options.maxFrameBytes ?? 32 * KIB,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    maxMessageBytes: integerOption('maxMessageBytes', options.maxMessageBytes ?? 128 * KIB, 1, 2 ** 31 - 1),
    maxConnectionMs: integerOption(
      'maxConnectionMs',
      options.maxConnectionMs ?? 120 * MINUTE_MS,
      1,
      MAX_TIMER_MS,
    ),
    closeHandshakeMs: 1_000,
    logError: options.logError ?? ((message, error) => console.error(message, error)),
  };
}

function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`websocket-gateway: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
