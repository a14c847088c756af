import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** One EventBridge client per container; the endpoint comes from the SDK's standard settings. */
export const eventBridge = new EventBridgeClient({});
