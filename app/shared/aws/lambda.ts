import { LambdaClient } from '@aws-sdk/client-lambda';
import { onFirstUse } from '../on-first-use';

/**
 * One Lambda client per container; the endpoint comes from the SDK's standard settings. Built on
 * first use: the Slack function needs it only when a decision's workflow is gone, which is rare.
 */
export const lambda = onFirstUse(() => new LambdaClient({}));
