import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { newAwsStyleId } from './aws-ids';
import { CLOSED_BY_MANAGEMENT_API, GOING_AWAY } from './close-codes';
import { ConnectionGoneError, type ConnectionInfo, GatewayConnection } from './gateway-connection';
import { gatewayErrorBody, refuseUpgrade } from './handshake-refusal';
import { createManagementApi } from './management-api';
import { type ResolvedOptions, resolveOptions, type WebSocketGatewayOptions } from './options';
import {
  connectHeaders,
  isWebSocketHandshake,
  resultHeader,
  sourceIpOf,
  stageQuery,
} from './upgrade-request';
import {
  type ConnectionContext,
  connectEvent,
  disconnectEvent,
  messageEvent,
  type WebSocketProxyEvent,
} from './websocket-proxy-event';

/** A frame that crossed the gateway, for the sandbox page's WebSocket panel. */
export interface GatewayFrame {
  readonly connectionId: string;
  readonly direction: 'in' | 'out';
  /** The text, or base64 when `isBase64Encoded`. */
  readonly data: string;
  readonly isBase64Encoded: boolean;
  readonly at: number;
}

export interface WebSocketGateway {
  /** `ws://host:port/stage`, what clients connect to (a query string may be added). */
  readonly url: string;
  /** `http://host:port/stage`, the `endpoint` for `ApiGatewayManagementApiClient`. */
  readonly managementEndpoint: string;
  readonly port: number;
  /** Closes every connection with 1001 (each gets its `$disconnect`), then stops listening. */
  close(): Promise<void>;
  connections(): ReadonlyArray<ConnectionInfo>;
  /** Calls `listener` for every data frame in or out; returns the unsubscribe function. */
  onFrame(listener: (frame: GatewayFrame) => void): () => void;
}

const JSON_CONTENT = { 'Content-Type': 'application/json' };

/**
 * Starts a local stand-in for an API Gateway WebSocket API whose routes have Lambda proxy
 * integrations: `$connect` decides the upgrade, messages are routed by the route selection
 * expression, `$disconnect` follows every registered connection, and the `@connections`
 * management API is served on the same port.
 */
export async function startWebSocketGateway(options: WebSocketGatewayOptions): Promise<WebSocketGateway> {
  const config = resolveOptions(options);
  const connections = new Map<string, GatewayConnection>();
  const frameListeners = new Set<(frame: GatewayFrame) => void>();
  const inFlight = new Set<Promise<unknown>>();
  // The subprotocol `$connect` chose, handed from the upgrade handler to `ws`'s protocol hook.
  const chosenProtocols = new WeakMap<IncomingMessage, string>();
  let shuttingDown = false;
  let closing: Promise<void> | undefined;

  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    const done = () => inFlight.delete(work);
    work.then(done, (error: unknown) => {
      done();
      // A frame for a client that has just left has nowhere to go; anything else is a bug to see.
      if (!(error instanceof ConnectionGoneError))
        config.logError('websocket-gateway: unexpected failure', error);
    });
  };

  const emitFrame = (frame: GatewayFrame) => {
    for (const listener of frameListeners) {
      try {
        listener(frame);
      } catch (error) {
        // An observer (the sandbox page) must not be able to break delivery to clients.
        config.logError('websocket-gateway: onFrame listener failed', error);
      }
    }
  };

  const findOpenConnection = (connectionId: string) => {
    const connection = connections.get(connectionId);
    return connection?.isOpen ? connection : undefined;
  };

  const sendFromGateway = (connection: GatewayConnection, data: Buffer | string, isBinary: boolean) => {
    const text = typeof data === 'string' ? data : data.toString(isBinary ? 'base64' : 'utf8');
    return connection.send(data, isBinary).then(() => {
      const { connectionId } = connection;
      emitFrame({ connectionId, direction: 'out', data: text, isBase64Encoded: isBinary, at: Date.now() });
    });
  };

  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    // API Gateway negotiates no extensions; compressed frames would also hide their real size.
    perMessageDeflate: false,
    maxPayload: config.maxMessageBytes,
    handleProtocols: (_offered, request) => chosenProtocols.get(request) ?? false,
  });

  const server = createServer(
    createManagementApi({
      stage: config.stage,
      maxMessageBytes: config.maxMessageBytes,
      logError: config.logError,
      findOpenConnection: (connectionId) => {
        const connection = findOpenConnection(connectionId);
        if (connection === undefined) return undefined;
        return {
          info: () => connection.info(),
          send: (data, isBinary) => sendFromGateway(connection, data, isBinary),
          disconnect: () => connection.close(CLOSED_BY_MANAGEMENT_API, config.closeHandshakeMs),
        };
      },
    }),
  );

  const register = (webSocket: WebSocket, socket: Socket, context: ConnectionContext) => {
    const connection = new GatewayConnection(webSocket, socket, context, config, {
      onMessage: (data, isBinary, receivedAt) => {
        emitFrame({
          connectionId: context.connectionId,
          direction: 'in',
          data: data.toString(isBinary ? 'base64' : 'utf8'),
          isBase64Encoded: isBinary,
          at: receivedAt,
        });
        const requestId = newAwsStyleId();
        const routeKey = routeFor(config, data, isBinary);
        if (routeKey === undefined) {
          track(
            sendFromGateway(
              connection,
              gatewayErrorBody('Forbidden', context.connectionId, requestId),
              false,
            ),
          );
          return;
        }
        const event = messageEvent(context, { routeKey, requestId, receivedAt, data, isBinary });
        // Route responses are not configured, so whatever the handler returns is dropped, as on AWS.
        track(
          invokeSafely(config, event).then(undefined, (error: unknown) => {
            config.logError(`websocket-gateway: ${routeKey} integration failed`, error);
            const body = gatewayErrorBody('Internal server error', context.connectionId, requestId);
            return sendFromGateway(connection, body, false);
          }),
        );
      },
      onClosed: (disconnection) => {
        connections.delete(context.connectionId);
        if (!config.routes.has('$disconnect')) return;
        // Best effort, as on AWS: a failing $disconnect is reported but changes nothing.
        track(
          invokeSafely(config, disconnectEvent(context, disconnection)).then(undefined, (error: unknown) => {
            config.logError('websocket-gateway: $disconnect integration failed', error);
          }),
        );
      },
    });
    connections.set(context.connectionId, connection);
  };

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const query = stageQuery(request.url, config.stage);
    if (query === undefined) return refuseUpgrade(socket, 403, '{"message":"Forbidden"}', JSON_CONTENT);
    if (!isWebSocketHandshake(request))
      return refuseUpgrade(socket, 400, '{"message":"Bad Request"}', JSON_CONTENT);
    if (shuttingDown) return refuseUpgrade(socket, 503);

    const connectedAt = Date.now();
    const sourceIp = sourceIpOf(request);
    const context: ConnectionContext = {
      connectionId: newAwsStyleId(),
      connectedAt,
      identity: { sourceIp, userAgent: request.headers['user-agent'] ?? '' },
      // The Host the client used, so `http://${domainName}/${stage}` reaches the management API.
      domainName: request.headers.host ?? `${config.host}:${port}`,
      stage: config.stage,
      apiId: config.apiId,
    };
    const requestId = newAwsStyleId();
    // A client that gives up while $connect runs must not crash the process with an unhandled error.
    const ignoreSocketError = () => {};
    socket.on('error', ignoreSocketError);

    let result: Awaited<ReturnType<typeof config.invoke>>;
    if (config.routes.has('$connect')) {
      const headers = connectHeaders(request, sourceIp, connectedAt);
      try {
        result = await invokeSafely(config, connectEvent(context, { requestId, query, ...headers }));
      } catch (error) {
        config.logError('websocket-gateway: $connect integration failed', error);
        const body = gatewayErrorBody('Internal server error', context.connectionId, requestId);
        return refuseUpgrade(socket, 500, body, JSON_CONTENT);
      }
    }
    socket.removeListener('error', ignoreSocketError);

    const statusCode = result?.statusCode ?? 200;
    if (statusCode < 200 || statusCode > 299) {
      return refuseUpgrade(socket, statusCode, result?.body ?? '', result?.headers ?? {});
    }
    if (shuttingDown) return refuseUpgrade(socket, 503);
    const protocol = resultHeader(result?.headers, 'Sec-WebSocket-Protocol');
    if (protocol !== undefined) chosenProtocols.set(request, protocol);
    // Nothing is registered if the client left while $connect ran: `ws` drops a closed socket.
    wss.handleUpgrade(request, socket, head, (webSocket) => register(webSocket, socket as Socket, context));
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    track(
      upgrade(request, socket, head).catch((error: unknown) => {
        config.logError('websocket-gateway: upgrade failed', error);
        refuseUpgrade(socket, 500);
      }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const authority = `${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  return {
    url: `ws://${authority}/${config.stage}`,
    managementEndpoint: `http://${authority}/${config.stage}`,
    port,
    connections: () => [...connections.values()].filter((c) => c.isOpen).map((c) => c.info()),
    onFrame: (listener) => {
      frameListeners.add(listener);
      return () => frameListeners.delete(listener);
    },
    close: () => {
      closing ??= shutDown();
      return closing;
    },
  };

  async function shutDown(): Promise<void> {
    shuttingDown = true;
    for (const connection of connections.values()) connection.close(GOING_AWAY, config.closeHandshakeMs);
    // Closing connections starts $disconnect invocations, so wait until nothing new appears.
    while (inFlight.size > 0 || connections.size > 0) {
      await Promise.allSettled([...inFlight, ...[...connections.values()].map((c) => c.closed)]);
    }
    wss.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

function routeFor(config: ResolvedOptions, data: Buffer, isBinary: boolean): string | undefined {
  // Binary frames have no JSON body to select on, so only $default can take them.
  const selected = isBinary ? undefined : config.selectRoute(data.toString('utf8'));
  // The lifecycle routes are the gateway's to call; a body naming one falls through to $default.
  if (
    selected !== undefined &&
    config.routes.has(selected) &&
    selected !== '$connect' &&
    selected !== '$disconnect'
  ) {
    return selected;
  }
  return config.routes.has('$default') ? '$default' : undefined;
}

/** Turns a synchronous throw from the integration into a rejection, like a failed Lambda invoke. */
async function invokeSafely(config: ResolvedOptions, event: WebSocketProxyEvent) {
  return config.invoke(event);
}
