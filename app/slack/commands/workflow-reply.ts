import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Approval, approvalFromRow } from '../../approvals';
import type { CommandReply } from '../views/command-reply';

type Item = Record<string, AttributeValue>;

/** The reply as workflows/command.asl.json writes it: DynamoDB items as the service returns them. */
type WorkflowReply =
  | Exclude<CommandReply, { kind: 'status' | 'list' | 'cancel-refused' }>
  | { kind: 'status'; item: Item }
  | { kind: 'list'; mine: Item[]; waiting: Item[] }
  | { kind: 'cancel-refused'; id: string; found: { Item?: Item } };

const toApproval = (item: Item): Approval => approvalFromRow(unmarshall(item));

/**
 * The command workflow's reply decoded into domain values, once, where it enters: the Slack
 * function's command runner and the late reply the workflow hands to the task function. Undefined:
 * not a reply the workflow gives (an unknown kind, or items that are not items).
 */
export function decodeWorkflowReply(value: unknown): CommandReply | undefined {
  const reply = value as WorkflowReply | undefined;
  try {
    switch (reply?.kind) {
      case 'status':
        return { kind: 'status', approval: toApproval(reply.item) };
      case 'list':
        return { kind: 'list', mine: reply.mine.map(toApproval), waiting: reply.waiting.map(toApproval) };
      case 'cancel-refused':
        return { ...reply, found: reply.found.Item && toApproval(reply.found.Item) };
      case 'requested':
      case 'not-found':
      case 'cancelled':
      case 'failed':
        return reply;
      default:
        return undefined;
    }
  } catch {
    // unmarshall and map throw on what is not a list of items: the same answer as an unknown kind.
    return undefined;
  }
}
