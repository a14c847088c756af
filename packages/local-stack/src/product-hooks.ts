/**
 * The few things the local stack cannot know on its own because they are the product's protocol,
 * not AWS's or Slack's. The product passes them in (scripts/start.ts, the tests' TestStack), so this
 * package never imports the product's code.
 */
export interface WebSocketTokenClaims {
  sub: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

/** Mints a connection token the product's WebSocket function accepts, for the sandbox's client panel. */
export type WebSocketTokenMinter = (claims: WebSocketTokenClaims) => string;

export interface ProductHooks {
  websocketToken(key: string, claims: WebSocketTokenClaims): string;
}
