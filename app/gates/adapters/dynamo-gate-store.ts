import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Approval, approvalFromRow, type DecisionOutput, RECORD_ATTRIBUTES } from '../../approvals';
import type { StoredKey } from '../api-keys';
import type { GateRequest } from '../gate-request';
import type { GateStore, IdempotencyClaim } from '../ports';

/** How long an Idempotency-Key holds: a day covers any client's retries. */
const IDEMPOTENCY_SECONDS = 24 * 3600;
// `status` and `comment` are DynamoDB reserved words: expressions name them through placeholders.
const RESERVED = new Set<string>(['status', 'comment']);
const PROJECTION = RECORD_ATTRIBUTES.map((name) => (RESERVED.has(name) ? `#${name}` : name)).join(', ');
const PROJECTION_NAMES = { '#status': 'status', '#comment': 'comment' };

export const keyItem = (keyId: string) => `key#${keyId}`;
const idempotencyItem = (caller: string, key: string) => `idempotency#${caller}#${key}`;

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/**
 * The gates table (API keys, idempotency keys; key `pk`, TTL `purgeAt`) and the approval records
 * the API creates, withdraws and reads. A record is written with exactly the attributes the
 * command workflow's CreateRecord writes, plus the gate's origin and policy.
 */
export class DynamoGateStore implements GateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { gates: string; approvals: string },
  ) {}

  async findKey(keyId: string): Promise<StoredKey | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.gates, Key: { pk: keyItem(keyId) }, ConsistentRead: true }),
    );
    if (Item === undefined || typeof Item.keyHash !== 'string' || typeof Item.name !== 'string')
      return undefined;
    return {
      keyId,
      name: Item.name,
      hash: Item.keyHash,
      createdAt: String(Item.createdAt ?? ''),
      ...(typeof Item.lastUsedAt === 'string' ? { lastUsedAt: Item.lastUsedAt } : {}),
      ...(typeof Item.revokedAt === 'string' ? { revokedAt: Item.revokedAt } : {}),
    };
  }

  async touchKey(keyId: string, at: Date): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tables.gates,
          Key: { pk: keyItem(keyId) },
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async claimIdempotencyKey(input: {
    caller: string;
    key: string;
    fingerprint: string;
    approvalId: string;
    at: Date;
  }): Promise<IdempotencyClaim> {
    const pk = idempotencyItem(input.caller, input.key);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.gates,
          Item: {
            pk,
            approvalId: input.approvalId,
            fingerprint: input.fingerprint,
            createdAt: input.at.toISOString(),
            purgeAt: Math.floor(input.at.getTime() / 1000) + IDEMPOTENCY_SECONDS,
          },
          // An item past its purge time may linger until DynamoDB's TTL removes it: it no longer holds.
          ConditionExpression: 'attribute_not_exists(pk) OR purgeAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(input.at.getTime() / 1000) },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.gates, Key: { pk }, ConsistentRead: true }),
    );
    return {
      claimed: false,
      approvalId: String(Item?.approvalId ?? ''),
      fingerprint: String(Item?.fingerprint ?? ''),
    };
  }

  async createRecord(request: GateRequest, correlationId: string): Promise<'created' | 'exists'> {
    const { approval, origin, policy } = request;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.approvals,
          Item: {
            pk: approval.id,
            status: 'PENDING',
            title: approval.title,
            ...(approval.details ? { details: approval.details } : {}),
            requester: approval.requester,
            openRequester: approval.requester,
            unsettled: 'open',
            // A policy's approvers (its groups resolved) are written by the workflow's first task.
            ...(policy === undefined ? { approvers: new Set(approval.approvers) } : {}),
            channelId: approval.channelId,
            createdAt: approval.createdAt,
            expiresAt: approval.expiresAt,
            expiresAtEpoch: approval.expiresAtEpoch,
            timeoutSeconds: approval.timeoutSeconds,
            email: approval.email,
            correlationId,
            origin: JSON.stringify(origin),
            ...(policy ? { policy } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  async get(id: string): Promise<Approval | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tables.approvals,
        Key: { pk: id },
        ConsistentRead: true,
        ProjectionExpression: PROJECTION,
        ExpressionAttributeNames: PROJECTION_NAMES,
      }),
    );
    return Item ? approvalFromRow(Item) : undefined;
  }

  async withdraw(
    id: string,
    cancellation: DecisionOutput,
  ): Promise<{ won: true; taskToken: string | undefined } | { won: false }> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tables.approvals,
          Key: { pk: id },
          // As /greenlight cancel's WithdrawRecord: one conditional write, and out of the open index.
          UpdateExpression:
            'SET #status = :cancelled, decider = :decider, decidedAt = :at, decidedVia = :via, trail = list_append(if_not_exists(trail, :none), :entry) REMOVE openRequester',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'CANCELLED',
            ':pending': 'PENDING',
            ':decider': cancellation.decider,
            ':at': cancellation.decidedAt,
            ':via': 'system',
            // The trail is appended to, never rewritten (app/approvals/record.ts).
            ':none': [],
            ':entry': [
              { kind: 'cancelled', at: cancellation.decidedAt, by: cancellation.decider, via: 'api' },
            ],
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const token = Attributes?.taskToken;
      return { won: true, taskToken: typeof token === 'string' ? token : undefined };
    } catch (error) {
      if (isConditionFailure(error)) return { won: false };
      throw error;
    }
  }
}
