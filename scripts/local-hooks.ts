import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ExecutionOutcome,
  FunctionDefinition,
  ProductHooks,
  ShortcutDefinition,
} from '@greenlight/local-stack/product-hooks';
import type { ApprovalStatus } from '../app/approvals/model';
import { signToken } from '../app/shared/signed-token';

const OUTCOMES: Record<Exclude<ApprovalStatus, 'PENDING'>, Pick<ExecutionOutcome, 'label' | 'tone'>> = {
  APPROVED: { label: 'Approved', tone: 'positive' },
  REJECTED: { label: 'Rejected', tone: 'negative' },
  EXPIRED: { label: 'Expired', tone: 'neutral' },
  CANCELLED: { label: 'Cancelled', tone: 'neutral' },
};

/**
 * The approval workflow succeeds whatever was decided, with the approval as its output
 * (workflows/approval.asl.json, state Outcome): its status is the outcome the sandbox shows.
 */
function approvalOutcome(output: unknown): ExecutionOutcome | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const { status, decider, comment } = output as { status?: unknown; decider?: unknown; comment?: unknown };
  const outcome = typeof status === 'string' ? OUTCOMES[status as keyof typeof OUTCOMES] : undefined;
  if (outcome === undefined) return undefined;
  return {
    ...outcome,
    ...(typeof decider === 'string' && decider !== '' ? { by: decider } : {}),
    ...(typeof comment === 'string' && comment !== '' ? { comment } : {}),
  };
}

type Parameters = Record<string, { type: string; title?: string; is_required?: boolean }>;

interface Manifest {
  features?: {
    shortcuts?: Array<{ type: 'global' | 'message'; callback_id: string; name: string; description: string }>;
  };
  functions?: Record<
    string,
    { title: string; description: string; input_parameters: Parameters; output_parameters: Parameters }
  >;
}

const readManifest = (): Manifest => JSON.parse(readFileSync(join(__dirname, '..', 'manifest.json'), 'utf8'));

/** The shortcuts manifest.json declares: what Slack would list in its menus for this app. */
function manifestShortcuts(): ShortcutDefinition[] {
  return (readManifest().features?.shortcuts ?? []).map((shortcut) => ({
    type: shortcut.type,
    callbackId: shortcut.callback_id,
    name: shortcut.name,
    description: shortcut.description,
  }));
}

/** The custom steps manifest.json declares, as Workflow Builder lists them (parameters by name). */
export function manifestFunctions(): FunctionDefinition[] {
  const list = (parameters: Parameters) =>
    Object.entries(parameters).map(([name, parameter]) => ({ ...parameter, name }));
  return Object.entries(readManifest().functions ?? {}).map(([callbackId, definition]) => ({
    callbackId,
    title: definition.title,
    description: definition.description,
    inputParameters: list(definition.input_parameters),
    outputParameters: list(definition.output_parameters),
  }));
}

/**
 * What the local stack needs from the product: its WebSocket token format, for the sandbox's client
 * panel, how an approval workflow's execution ended, for its Workflows pane, and the manifest's
 * shortcuts, for its menus.
 */
export const PRODUCT_HOOKS: ProductHooks = {
  websocketToken: (key, claims) => signToken(key, { aud: 'websocket', ...claims }),
  executionOutcome: ({ stateMachineName, output }) =>
    stateMachineName === 'ApprovalStateMachine' ? approvalOutcome(output) : undefined,
  shortcuts: manifestShortcuts(),
  functions: manifestFunctions(),
};
