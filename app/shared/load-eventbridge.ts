import type * as AwsChunk from './aws/lambda-chunk';

export type EventBridgeChunkModule = Pick<typeof AwsChunk, 'eventBridge' | 'PutEventsCommand'>;

let loaded: EventBridgeChunkModule | undefined;

/**
 * The EventBridge client and PutEvents, loaded on the first vote. In the Slack function's deployment
 * they are in the file shared/aws/lambda-chunk.js (with the Lambda client: one copy of the SDK's
 * core for both), found from the handler's file as app/shared/load-lambda.ts explains; other
 * functions bundle the chunk in.
 */
export function loadEventBridge(): EventBridgeChunkModule {
  loaded ??= require('../shared/aws/lambda-chunk') as EventBridgeChunkModule;
  return loaded;
}
