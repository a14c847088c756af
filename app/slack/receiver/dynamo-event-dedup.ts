import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EventDedup } from './event-dedup';

// Slack retries for about an hour and a half at most; a day is a comfortable margin.
const CLAIM_TTL_SECONDS = 24 * 60 * 60;

export function dynamoEventDedup(client: DynamoDBDocumentClient, tableName: string): EventDedup {
  const key = (eventId: string) => ({ pk: `slack-event#${eventId}` });
  return {
    async claim(eventId) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key(eventId), expiresAt: Math.floor(Date.now() / 1000) + CLAIM_TTL_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        // Compared by name: the document client re-throws the low-level client's error class.
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
    async release(eventId) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: key(eventId) }));
    },
  };
}
