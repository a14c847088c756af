import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SweepStore, UnsettledRequest } from '../close-out';
import type { Approval, ApprovalStatus, TrailEntry } from '../model';
import type { NewApproval } from '../new-request';
import type { ApprovalStore, StagedVote, VoteMode } from '../ports';
import { approvalFromRow, inboxKey, optionalString, RECORD_ATTRIBUTES, UNSETTLED } from '../record';
import type { OnceStep, WorkflowStore } from '../workflow-ports';

// `status` and `comment` are DynamoDB reserved words: expressions name them through placeholders
// (and `stage`, so no expression depends on whether it is one).
const RESERVED = new Set<string>(['status', 'comment', 'stage']);
const PROJECTION = RECORD_ATTRIBUTES.map((name) => (RESERVED.has(name) ? `#${name}` : name)).join(', ');
const PROJECTION_NAMES = { '#status': 'status', '#comment': 'comment', '#stage': 'stage' };

/** How long a closed request stays in the table before DynamoDB's TTL removes it. */
const RETENTION_SECONDS = 400 * 86_400;

/**
 * The approvals table as app/approvals/record.ts defines it, read by every function. Deciding
 * (DynamoApprovalStore: the Slack and e-mail-link functions) and the approval workflow's writes
 * (DynamoWorkflowStore: its task function) are separate classes on top: a class's methods all come
 * along into every bundle that uses it, and each function parses its bundle at every cold start.
 */
abstract class ApprovalsTable {
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async get(id: string): Promise<Approval | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: id },
        ConsistentRead: true,
        ProjectionExpression: PROJECTION,
        ExpressionAttributeNames: PROJECTION_NAMES,
      }),
    );
    return Item ? approvalFromRow(Item) : undefined;
  }
}

/** Reading and deciding: one conditional write picks the winner. */
export class DynamoApprovalStore extends ApprovalsTable implements ApprovalStore {
  async recordVote(
    id: string,
    vote: {
      status: 'APPROVED' | 'REJECTED';
      decider: string;
      comment?: string;
      decidedAt: string;
      via: 'slack' | 'email';
    },
    mode: VoteMode,
    rules: { now: Date; allowSelfApproval: boolean },
    staged?: StagedVote,
  ): Promise<{ won: true; approval: Approval; taskToken: string | undefined } | { won: false }> {
    // Still pending, not yet expired, by a named approver who has not voted (and not the requester
    // unless the deployment or the request's policy allows it). The countdown makes the quorum one
    // write: only the vote that finds `remaining` at 1 closes the request, so exactly one wins.
    const conditions = [
      'attribute_exists(pk)',
      '#status = :pending',
      'expiresAtEpoch > :now',
      'contains(approvers, :decider)',
      'NOT contains(voters, :decider)',
      ...(rules.allowSelfApproval ? [] : ['(requester <> :decider OR selfApproval = :yes)']),
    ];
    const approving = vote.status === 'APPROVED';
    // A decision without a comment, where the request's policy requires one, is refused by the write.
    if (!vote.comment)
      conditions.push(
        '(attribute_not_exists(requireCommentOn) OR NOT (requireCommentOn IN (:ruleOf, :both)))',
      );
    if (approving) {
      conditions.push(
        mode === 'count' ? 'remaining > :one' : '(attribute_not_exists(remaining) OR remaining <= :one)',
      );
    }
    // A vote is cast in the stage it was judged in, so it never counts towards the next one. A
    // request without stages stores them as the empty text (or not at all, from before stages).
    conditions.push(staged ? '#stage = :stage' : '(attribute_not_exists(stages) OR stages = :unstaged)');
    const entry = {
      kind: approving ? 'approved' : 'rejected',
      at: vote.decidedAt,
      by: vote.decider,
      via: vote.via,
      ...(vote.comment ? { comment: vote.comment } : {}),
      ...(staged ? { stage: staged.stage } : {}),
    };
    const next = mode === 'advance' ? staged?.next : undefined;
    if (mode === 'advance' && next === undefined) throw new Error('Only a stage with a next one advances');
    const closing = mode === 'close';
    const comment = closing && vote.comment !== undefined;
    // The trail is appended to, never rewritten; `openRequester` leaves the open index on closing.
    // Advancing puts the next stage's approvers and quorum where a vote's write looks for them, and
    // forgets who voted, since "already voted" is per stage.
    const update = closing
      ? 'SET #status = :status, decider = :decider, decidedAt = :decidedAt, decidedVia = :via, ' +
        `trail = list_append(if_not_exists(trail, :none), :entry)${comment ? ', #comment = :comment' : ''}` +
        `${approving ? ', remaining = :zero' : ''} ADD voters :voter REMOVE openRequester`
      : next
        ? 'SET trail = list_append(trail, :entry), #stage = :nextStage, approvers = :nextApprovers, ' +
          'need = :nextNeed, remaining = :nextNeed REMOVE voters'
        : 'SET trail = list_append(if_not_exists(trail, :none), :entry) ADD voters :voter, remaining :minusOne';
    const started = staged && {
      kind: 'stage-started',
      at: vote.decidedAt,
      stage: staged.stage + 1,
      to: next?.approvers ?? [],
    };
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id },
          UpdateExpression: update,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(comment ? { '#comment': 'comment' } : {}),
            ...(staged ? { '#stage': 'stage' } : {}),
          },
          ExpressionAttributeValues: {
            ':pending': 'PENDING',
            ':decider': vote.decider,
            ':now': Math.floor(rules.now.getTime() / 1000),
            ':entry': next ? [entry, started] : [entry],
            ...(next ? {} : { ':none': [], ':voter': new Set([vote.decider]) }),
            ...(staged ? { ':stage': staged.stage } : { ':unstaged': '' }),
            ...(next
              ? {
                  ':nextStage': (staged?.stage ?? 0) + 1,
                  ':nextApprovers': new Set(next.approvers),
                  ':nextNeed': next.need,
                }
              : {}),
            ...(rules.allowSelfApproval ? {} : { ':yes': true }),
            ...(vote.comment ? {} : { ':ruleOf': approving ? 'approve' : 'reject', ':both': 'both' }),
            ...(approving ? { ':one': 1 } : {}),
            ...(closing
              ? {
                  ':status': vote.status,
                  ':decidedAt': vote.decidedAt,
                  ':via': vote.via,
                  ...(approving ? { ':zero': 0 } : {}),
                  ...(comment ? { ':comment': vote.comment } : {}),
                }
              : next
                ? {}
                : { ':minusOne': -1 }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const row = Attributes ?? {};
      return { won: true, approval: approvalFromRow(row), taskToken: optionalString(row.taskToken) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { won: false };
      throw error;
    }
  }
}

/** The approvals table for the approval workflow's tasks: reading, plus the workflow's own writes. */
export class DynamoWorkflowStore extends ApprovalsTable implements WorkflowStore {
  async openForDecision(
    request: NewApproval,
    taskToken: string,
  ): Promise<{ open: true; approval: Approval } | { open: false }> {
    // if_not_exists keeps what /greenlight already stored and fills in a record for a workflow
    // that another state machine started directly.
    const fields: Record<string, unknown> = {
      title: request.title,
      requester: request.requester,
      approvers: new Set(request.approvers),
      channelId: request.channelId,
      createdAt: request.createdAt,
      expiresAt: request.expiresAt,
      expiresAtEpoch: request.expiresAtEpoch,
      timeoutSeconds: request.timeoutSeconds,
      email: request.email,
      need: request.need,
      remaining: request.need,
      policy: request.policy,
      requireCommentOn: request.requireCommentOn,
      selfApproval: request.selfApproval,
      groups: request.groupsJson,
      schedule: request.scheduleJson,
      stages: request.stagesJson,
      stage: 0,
      trail: [{ kind: 'requested', at: request.createdAt, by: request.requester }],
      ...(request.details ? { details: request.details } : {}),
      ...(request.sourceUrl ? { sourceUrl: request.sourceUrl } : {}),
      ...(request.functionExecutionId ? { functionExecutionId: request.functionExecutionId } : {}),
    };
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':pending': 'PENDING', ':token': taskToken };
    const sets = [
      'taskToken = :token',
      '#status = if_not_exists(#status, :pending)',
      'openRequester = :f_requester',
      `${UNSETTLED.attribute} = :unsettled`,
    ];
    values[':unsettled'] = UNSETTLED.value;
    for (const [name, value] of Object.entries(fields)) {
      names[`#f_${name}`] = name;
      values[`:f_${name}`] = value;
      sets.push(`#f_${name} = if_not_exists(#f_${name}, :f_${name})`);
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: request.id },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :pending',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { open: true, approval: approvalFromRow(Attributes ?? {}) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { open: false };
      throw error;
    }
  }

  async writeInbox(approval: Approval): Promise<void> {
    const expiresAtEpoch = Math.floor(Date.parse(approval.expiresAt) / 1000);
    await this.batchWrite(
      approval.approvers.map((approver) => ({
        PutRequest: {
          Item: {
            pk: inboxKey(approval.id, approver),
            approvalId: approval.id,
            openApprover: approver,
            status: 'PENDING',
            title: approval.title,
            requester: approval.requester,
            approvers: new Set(approval.approvers),
            channelId: approval.channelId,
            createdAt: approval.createdAt,
            expiresAt: approval.expiresAt,
            // A safety net: an inbox entry the workflow never closed disappears a day after expiry.
            purgeAt: expiresAtEpoch + 86_400,
          },
        },
      })),
    );
  }

  async appendEvent(
    id: string,
    entry: TrailEntry,
    length: number,
    approvers: string[] = [],
  ): Promise<boolean> {
    const adding = approvers.length > 0;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id },
          UpdateExpression: `SET trail = list_append(trail, :entry)${adding ? ' ADD approvers :added' : ''}`,
          ConditionExpression: '#status = :pending AND size(trail) = :length',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':entry': [entry],
            ':pending': 'PENDING',
            ':length': length,
            ...(adding ? { ':added': new Set(approvers) } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async claimPosting(id: string, at: Date, leaseMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id },
          UpdateExpression: 'SET postingSince = :at',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(messageTs) AND ' +
            '(attribute_not_exists(postingSince) OR postingSince < :lapsed)',
          ExpressionAttributeValues: { ':at': at.getTime(), ':lapsed': at.getTime() - leaseMs },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async recordMessage(id: string, messageTs: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: id },
        UpdateExpression: 'SET messageTs = :ts',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':ts': messageTs },
      }),
    );
  }

  async recordDeliveryProblem(id: string, problem: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: id },
        UpdateExpression:
          'SET deliveryProblems = list_append(if_not_exists(deliveryProblems, :none), :problem)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':none': [], ':problem': [problem.slice(0, 500)] },
      }),
    );
  }

  async claimOnce(id: string, step: OnceStep, at: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id },
          UpdateExpression: 'SET #step = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#step)',
          ExpressionAttributeNames: { '#step': step },
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseClaim(id: string, step: OnceStep): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: id },
        UpdateExpression: 'REMOVE #step',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#step': step },
      }),
    );
  }

  async closeOut(approval: Approval, at: Date): Promise<void> {
    // The inboxes go first: once `unsettled` is gone the sweep no longer looks at this request.
    await this.batchWrite(
      approval.approvers.map((approver) => ({
        DeleteRequest: { Key: { pk: inboxKey(approval.id, approver) } },
      })),
    );
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: approval.id },
        UpdateExpression: `SET completedAt = if_not_exists(completedAt, :at), purgeAt = :purge REMOVE taskToken, openRequester, ${UNSETTLED.attribute}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':at': at.toISOString(),
          ':purge': Math.floor(at.getTime() / 1000) + RETENTION_SECONDS,
        },
      }),
    );
  }

  private batchWrite(requests: Array<Record<string, unknown>>): Promise<void> {
    return batchWriteAll(this.client, this.tableName, requests);
  }
}

/**
 * The close-out function's view: the workflow's writes (it runs the same announce code) and the
 * sweep's reads of the sparse index of unsettled requests (record.ts, UNSETTLED), which only it
 * makes, so only its bundle carries them.
 */
export class DynamoCloseOutStore extends DynamoWorkflowStore implements SweepStore {
  async *unsettled(): AsyncIterable<UnsettledRequest> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: UNSETTLED.index,
          KeyConditionExpression: '#unsettled = :value',
          ExpressionAttributeNames: { '#unsettled': UNSETTLED.attribute },
          ExpressionAttributeValues: { ':value': UNSETTLED.value },
          ExclusiveStartKey: start,
        }),
      );
      start = page.LastEvaluatedKey;
      for (const item of page.Items ?? []) {
        const decidedAt = optionalString(item.decidedAt);
        yield {
          id: String(item.pk),
          status: String(item.status) as ApprovalStatus,
          expiresAt: String(item.expiresAt),
          ...(decidedAt ? { decidedAt } : {}),
        };
      }
    } while (start !== undefined);
  }

  async expireIfPending(id: string, at: Date): Promise<boolean> {
    // The same write as the workflow's RecordExpiry state: only a request still pending expires.
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id },
          UpdateExpression:
            'SET #status = :expired, decidedAt = :now, decidedVia = :via REMOVE openRequester',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':expired': 'EXPIRED',
            ':pending': 'PENDING',
            ':now': at.toISOString(),
            ':via': 'timeout',
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** BatchWriteItem in chunks of 25, retrying what DynamoDB hands back unprocessed. */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: Array<Record<string, unknown>>,
): Promise<void> {
  for (let start = 0; start < requests.length; start += 25) {
    let pending: Array<Record<string, unknown>> = requests.slice(start, start + 25);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt === 5) throw new Error(`DynamoDB left ${pending.length} writes unprocessed after retries`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const { UnprocessedItems } = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []) as Array<Record<string, unknown>>;
    }
  }
}
