import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { eventBridge } from './eventbridge';

/**
 * The Lambda client, bundled as a file of its own beside the Slack function's handler (template.yaml:
 * one more entry point, and external to the handler), so a cold start does not parse it: a button
 * needs it only when the decision's workflow task is gone. app/shared/load-lambda.ts requires it.
 * One client per container; the endpoint comes from the SDK's standard settings.
 */
export const lambda = new LambdaClient({});
/**
 * The EventBridge client rides in the same chunk, for a vote's "Approval Updated" event
 * (app/shared/load-eventbridge.ts): the two clients share the SDK's core, which a chunk of its own
 * would carry a second time.
 */
export { eventBridge, InvokeCommand, PutEventsCommand };
