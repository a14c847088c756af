import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onFirstUse } from '../on-first-use';

/**
 * One DynamoDB document client per container; the endpoint comes from the SDK's standard settings.
 * It is built on first use: the Slack function answers slash commands without DynamoDB, and building
 * the client cost each of its cold starts about a millisecond (`npm run bench`).
 */
export const dynamodb = onFirstUse(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
);
