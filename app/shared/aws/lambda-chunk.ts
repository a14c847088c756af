import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/**
 * The Lambda client, bundled as a file of its own beside the Slack function's handler (template.yaml:
 * one more entry point, and external to the handler), so a cold start does not parse it: a button
 * needs it only when the decision's workflow task is gone. app/shared/load-lambda.ts requires it.
 * One client per container; the endpoint comes from the SDK's standard settings.
 */
export const lambda = new LambdaClient({});
export { InvokeCommand };
