import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridge } from './eventbridge';

/**
 * The EventBridge client, bundled as a file of its own beside the Slack function's handler
 * (template.yaml: one more entry point, and external to the handler), so a cold start does not
 * parse it: only a recorded vote publishes an event. app/shared/load-eventbridge.ts requires it.
 */
export { eventBridge, PutEventsCommand };
