import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HomeReader } from '../home';
import type { Approval } from '../model';
import { APPROVALS_TABLE, approvalFromRow } from '../record';

/** A Home lists a few dozen open requests; past this many a person's inbox is read no further. */
const MAX_OPEN_ROWS = 500;

type IndexName = keyof typeof APPROVALS_TABLE.indexes;

/**
 * A Home's reads, from the sparse indexes only (never a Scan): OpenByApprover (the approvers' inbox
 * items), OpenByRequester (open records) and DecidedByPerson (each person's entries of closed
 * requests, written at the outcome by DynamoHomeHistory). The Slack function needs only these reads.
 */
export class DynamoHomeStore implements HomeReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  waitingFor(user: string): Promise<Approval[]> {
    return this.openRows('OpenByApprover', user);
  }

  openRequestsOf(user: string): Promise<Approval[]> {
    return this.openRows('OpenByRequester', user);
  }

  async recentlyDecidedFor(user: string, limit: number): Promise<Approval[]> {
    const index = APPROVALS_TABLE.indexes.DecidedByPerson;
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'DecidedByPerson',
        KeyConditionExpression: '#hash = :user',
        ExpressionAttributeNames: { '#hash': index.hash },
        ExpressionAttributeValues: { ':user': user },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(approvalFromRow);
  }

  private async openRows(index: IndexName, user: string): Promise<Approval[]> {
    const rows: Approval[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#hash = :user',
          ExpressionAttributeNames: { '#hash': APPROVALS_TABLE.indexes[index].hash },
          ExpressionAttributeValues: { ':user': user },
          ScanIndexForward: true,
          ExclusiveStartKey: start,
        }),
      );
      rows.push(...(page.Items ?? []).map(approvalFromRow));
      start = page.LastEvaluatedKey;
    } while (start !== undefined && rows.length < MAX_OPEN_ROWS);
    return rows;
  }
}
