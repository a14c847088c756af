import type { ExecutionOutcome } from './sandbox/protocol';
import type { FunctionDefinition } from './slack-api/types';

export type { FunctionDefinition };

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

/** A finished execution, as the sandbox's Workflows pane asks the product to name its outcome. */
export interface FinishedExecution {
  stateMachineName: string;
  /** The execution's output, parsed. */
  output: unknown;
}

/** Names a finished execution's outcome in the product's terms; undefined when it has none. */
export type OutcomeNamer = (execution: FinishedExecution) => ExecutionOutcome | undefined;

export type { ExecutionOutcome };

/** A shortcut the app declares in its manifest, which Slack lists in its menus. */
export interface ShortcutDefinition {
  type: 'global' | 'message';
  callbackId: string;
  name: string;
  description: string;
}

export interface ProductHooks {
  websocketToken(key: string, claims: WebSocketTokenClaims): string;
  /** Optional: without it the Workflows pane shows each execution's Step Functions status alone. */
  executionOutcome?: OutcomeNamer;
  /** The app's shortcuts (its manifest's), for the sandbox's Shortcuts and "More actions" menus. */
  shortcuts?: ReadonlyArray<ShortcutDefinition>;
  /** The app's custom steps (its manifest's `functions`), for the sandbox's Workflow Builder pane. */
  functions?: ReadonlyArray<FunctionDefinition>;
}
