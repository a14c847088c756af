import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HomeHistory } from '../home';
import type { Approval } from '../model';
import { decidedKey } from '../record';
import { batchWriteAll } from './dynamo-approval-store';

/** How long a person's entry of a closed request stays listed before DynamoDB's TTL removes it. */
const HISTORY_RETENTION_SECONDS = 90 * 86_400;

/** The entries App Home's "Recently decided" reads (the DecidedByPerson index), written at the outcome. */
export class DynamoHomeHistory implements HomeHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One entry per person, carrying what "Recently decided" shows; a repeat writes the same entries. */
  async recordDecided(approval: Approval, people: readonly string[]): Promise<void> {
    const decidedAt = approval.decidedAt ?? new Date().toISOString();
    const purgeAt = Math.floor(Date.parse(decidedAt) / 1000) + HISTORY_RETENTION_SECONDS;
    // Only the votes of the trail: the tally a quorum's entry shows, not the reminders and the rest.
    const votes = (approval.trail ?? []).filter(
      (entry) => entry.kind === 'approved' || entry.kind === 'rejected',
    );
    await batchWriteAll(
      this.client,
      this.tableName,
      people.map((person) => ({
        PutRequest: {
          Item: {
            pk: decidedKey(approval.id, person),
            approvalId: approval.id,
            decidedFor: person,
            status: approval.status,
            title: approval.title,
            requester: approval.requester,
            approvers: new Set(approval.approvers),
            channelId: approval.channelId,
            createdAt: approval.createdAt,
            expiresAt: approval.expiresAt,
            decidedAt,
            ...(approval.decider ? { decider: approval.decider } : {}),
            ...(approval.comment ? { comment: approval.comment } : {}),
            ...(approval.decidedVia ? { decidedVia: approval.decidedVia } : {}),
            ...((approval.need ?? 1) > 1 ? { need: approval.need, trail: votes } : {}),
            purgeAt,
          },
        },
      })),
    );
  }
}
