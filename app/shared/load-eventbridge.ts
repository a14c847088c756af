import type * as EventBridgeChunk from './aws/eventbridge-chunk';

export type EventBridgeChunkModule = typeof EventBridgeChunk;

let loaded: EventBridgeChunkModule | undefined;

/**
 * The EventBridge client and PutEvents, loaded on the first vote. In the Slack function's deployment
 * they are the file shared/aws/eventbridge-chunk.js, found from the handler's file as
 * app/shared/load-lambda.ts explains; other functions bundle the chunk in.
 */
export function loadEventBridge(): EventBridgeChunkModule {
  loaded ??= require('../shared/aws/eventbridge-chunk') as EventBridgeChunkModule;
  return loaded;
}
