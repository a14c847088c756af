import { APPROVAL_STATUSES } from '../approvals';
import { managementApi } from '../shared/aws/api-gateway-management';
import { dynamodb } from '../shared/aws/dynamodb';
import { EnvReader } from '../shared/config';
import { type Logger, log } from '../shared/log';
import { type BroadcastResult, broadcast } from './broadcast';
import { type ConnectionSender, encodeFrame, managementApiSender } from './connection-sender';
import { type ConnectionsStore, dynamoBroadcastStore } from './connections-store';
import { DEFAULT_BROADCAST_CONCURRENCY } from './limits';
import type { ApprovalChange, ApprovalFrame, ApprovalStatus } from './server-frames';

export type { BroadcastResult } from './broadcast';
export type { ApprovalChange, ApprovalStatus } from './server-frames';

const STATUSES: ReadonlySet<ApprovalStatus> = new Set(APPROVAL_STATUSES);

export interface ApprovalPushDeps {
  store: Pick<ConnectionsStore, 'livePages' | 'removeGone'>;
  sender: ConnectionSender;
  logger: Logger;
  concurrency?: number;
  now?: () => number;
}

/**
 * The frame clients get. Fields are copied one by one, so whatever else a caller's object holds
 * (a task token on an approval record, say) never reaches a client.
 */
export function approvalFrame(change: ApprovalChange): ApprovalFrame {
  if (typeof change.id !== 'string' || change.id === '')
    throw new TypeError('An approval change needs an id');
  if (!STATUSES.has(change.status)) throw new TypeError(`Unknown approval status ${String(change.status)}`);
  return {
    type: 'approval',
    id: change.id,
    status: change.status,
    title: change.title,
    requester: change.requester,
    ...(change.decider !== undefined ? { decider: change.decider } : {}),
    ...(change.comment !== undefined ? { comment: change.comment } : {}),
    at: change.at,
  };
}

/** A pusher with its dependencies given (tests, or a function that already has them). */
export function approvalPusher(deps: ApprovalPushDeps): (change: ApprovalChange) => Promise<BroadcastResult> {
  return async function pushApproval(change) {
    const result = await broadcast({
      store: deps.store,
      sender: deps.sender,
      data: encodeFrame(approvalFrame(change)),
      concurrency: deps.concurrency ?? DEFAULT_BROADCAST_CONCURRENCY,
      logger: deps.logger,
      ...(deps.now ? { now: deps.now } : {}),
    });
    deps.logger.info('approval_pushed', { approvalId: change.id, status: change.status, ...result });
    return result;
  };
}

let fromEnvironment: ((change: ApprovalChange) => Promise<BroadcastResult>) | undefined;

/**
 * Broadcasts an approval change to every connected WebSocket client, from any Lambda function.
 * Configured from `CONNECTIONS_TABLE` and `WEBSOCKET_CALLBACK_URL` (the stage's
 * `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`), read on first use; a missing one
 * throws a ConfigError that names it. The function needs `dynamodb:Scan` and `dynamodb:DeleteItem`
 * on the table and `execute-api:ManageConnections` on the stage's `POST/@connections/*`.
 */
export function pushApprovalChange(change: ApprovalChange): Promise<BroadcastResult> {
  fromEnvironment ??= pusherFromEnvironment(process.env);
  return fromEnvironment(change);
}

function pusherFromEnvironment(env: NodeJS.ProcessEnv) {
  const reader = new EnvReader(env);
  const table = reader.required('CONNECTIONS_TABLE');
  const callbackUrl = reader.required('WEBSOCKET_CALLBACK_URL');
  reader.done();
  return approvalPusher({
    store: dynamoBroadcastStore(dynamodb, table),
    sender: managementApiSender(managementApi(callbackUrl)),
    logger: log.child({ component: 'approval-push' }),
  });
}
