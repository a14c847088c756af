import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ExecutionOutcome,
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

/** The shortcuts manifest.json declares: what Slack would list in its menus for this app. */
function manifestShortcuts(): ShortcutDefinition[] {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'manifest.json'), 'utf8')) as {
    features?: {
      shortcuts?: Array<{
        type: 'global' | 'message';
        callback_id: string;
        name: string;
        description: string;
      }>;
    };
  };
  return (manifest.features?.shortcuts ?? []).map((shortcut) => ({
    type: shortcut.type,
    callbackId: shortcut.callback_id,
    name: shortcut.name,
    description: shortcut.description,
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
};
