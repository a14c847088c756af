/**
 * Remembers which Events API deliveries were handled, so Slack's retries (`X-Slack-Retry-Num`) do
 * not run a listener twice. A claim is released when handling fails, so the retry gets its turn.
 */
export interface EventDedup {
  /** True when this call is the first to claim the event id. */
  claim(eventId: string): Promise<boolean>;
  release(eventId: string): Promise<void>;
}

/**
 * The DynamoDB client and its module graph are loaded when the first Events API delivery arrives:
 * slash commands and button clicks never need them, and loading them costs every cold start
 * about 8 ms (measured by `npm run bench`).
 */
export function lazyDynamoEventDedup(tableName: string): EventDedup {
  let dedup: Promise<EventDedup> | undefined;
  const load = () => {
    dedup ??= Promise.all([import('../../shared/aws/dynamodb'), import('./dynamo-event-dedup')]).then(
      ([{ dynamodb }, { dynamoEventDedup }]) => dynamoEventDedup(dynamodb, tableName),
    );
    return dedup;
  };
  return {
    claim: async (eventId) => (await load()).claim(eventId),
    release: async (eventId) => (await load()).release(eventId),
  };
}
