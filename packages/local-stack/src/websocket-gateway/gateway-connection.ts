import type { Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import { describeCloseCode, type GatewayClose, GOING_AWAY, MESSAGE_TOO_BIG } from './close-codes';
import { FrameSizeGuard } from './frame-size-guard';
import type { ConnectionContext, Disconnection } from './websocket-proxy-event';

/** What `connections()` and `@connections` GET report about a connection. */
export interface ConnectionInfo {
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly lastActiveAt: number;
}

export interface ConnectionLimits {
  readonly idleTimeoutMs: number;
  readonly maxFrameBytes: number;
  readonly maxConnectionMs: number;
  /** How long a client may take to answer our close frame before the socket is dropped. */
  readonly closeHandshakeMs: number;
}

export interface ConnectionCallbacks {
  onMessage(data: Buffer, isBinary: boolean, receivedAt: number): void;
  onClosed(disconnection: Disconnection): void;
}

/** Thrown by `send` when the connection is no longer open; the management API maps it to 410. */
export class ConnectionGoneError extends Error {
  constructor(connectionId: string, options?: ErrorOptions) {
    super(`Connection ${connectionId} is gone`, options);
    this.name = 'ConnectionGoneError';
  }
}

// `ws` reports the close it started after a protocol violation only through these error codes.
const CLOSE_FOR_WS_ERROR: Readonly<Record<string, GatewayClose>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: MESSAGE_TOO_BIG,
  WS_ERR_INVALID_UTF8: { code: 1007, reason: 'Invalid frame payload data' },
};

/**
 * One accepted client: enforces API Gateway's per-connection limits (frame size, idle time,
 * lifetime) and turns however the connection ends into one `$disconnect` status.
 */
export class GatewayConnection {
  readonly connectionId: string;
  readonly context: ConnectionContext;
  /** Settles once the socket is closed and `onClosed` has run. */
  readonly closed: Promise<void>;
  private lastActiveAt: number;
  private gatewayClose: GatewayClose | undefined;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly lifetimeTimer: NodeJS.Timeout;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private readonly stopWatchingFrames: () => void;

  constructor(
    private readonly webSocket: WebSocket,
    socket: Socket,
    context: ConnectionContext,
    limits: ConnectionLimits,
    private readonly callbacks: ConnectionCallbacks,
  ) {
    this.connectionId = context.connectionId;
    this.context = context;
    this.lastActiveAt = context.connectedAt;
    this.idleTimer = setTimeout(() => this.close(GOING_AWAY, limits.closeHandshakeMs), limits.idleTimeoutMs);
    this.lifetimeTimer = setTimeout(
      () => this.close(GOING_AWAY, limits.closeHandshakeMs),
      limits.maxConnectionMs,
    );

    const guard = new FrameSizeGuard(limits.maxFrameBytes);
    const watchFrames = (chunk: Buffer) => {
      if (guard.exceeded(chunk)) this.close(MESSAGE_TOO_BIG, limits.closeHandshakeMs);
    };
    // Ahead of `ws`'s own listener, so an oversized frame is caught before `ws` can deliver it.
    socket.prependListener('data', watchFrames);
    this.stopWatchingFrames = () => socket.removeListener('data', watchFrames);

    webSocket.on('message', (data, isBinary) => this.receive(data, isBinary));
    webSocket.on('error', (error: Error & { code?: string }) => {
      this.gatewayClose ??= CLOSE_FOR_WS_ERROR[error.code ?? ''] ?? {
        code: 1002,
        reason: 'Protocol error',
      };
    });
    this.closed = new Promise((resolve) => {
      webSocket.once('close', (code, reason) => {
        this.finish(code, reason.toString('utf8'));
        resolve();
      });
    });
  }

  get isOpen(): boolean {
    return this.gatewayClose === undefined && this.webSocket.readyState === this.webSocket.OPEN;
  }

  info(): ConnectionInfo {
    return {
      connectionId: this.connectionId,
      connectedAt: this.context.connectedAt,
      sourceIp: this.context.identity.sourceIp,
      userAgent: this.context.identity.userAgent,
      lastActiveAt: this.lastActiveAt,
    };
  }

  /** Sends one frame to the client; text when `isBinary` is false. */
  send(data: Buffer | string, isBinary: boolean): Promise<void> {
    if (!this.isOpen) return Promise.reject(new ConnectionGoneError(this.connectionId));
    return new Promise((resolve, reject) => {
      this.webSocket.send(data, { binary: isBinary }, (error) => {
        if (error) reject(new ConnectionGoneError(this.connectionId, { cause: error }));
        else resolve();
      });
    });
  }

  /**
   * Starts a close from the gateway's side. The connection stops counting as open at once (so
   * `@connections` answers 410) while the close handshake finishes.
   */
  close(close: GatewayClose, handshakeMs: number): void {
    if (this.gatewayClose !== undefined || this.webSocket.readyState >= this.webSocket.CLOSING) return;
    this.gatewayClose = close;
    this.webSocket.close(close.code, close.reason);
    this.handshakeTimer = setTimeout(() => this.webSocket.terminate(), handshakeMs);
  }

  private receive(data: RawData, isBinary: boolean): void {
    // `ws` may still hand over a message that arrived with the frame that made us close.
    if (!this.isOpen) return;
    const receivedAt = Date.now();
    this.lastActiveAt = receivedAt;
    this.idleTimer.refresh();
    this.callbacks.onMessage(toBuffer(data), isBinary, receivedAt);
  }

  private finish(code: number, reason: string): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.lifetimeTimer);
    clearTimeout(this.handshakeTimer);
    this.stopWatchingFrames();
    // A close the gateway started is reported with the gateway's code, whatever the client echoed.
    const statusCode = this.gatewayClose?.code ?? code;
    const statusReason = this.gatewayClose?.reason ?? (reason || describeCloseCode(code));
    this.callbacks.onClosed({ statusCode, reason: statusReason, at: Date.now() });
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
