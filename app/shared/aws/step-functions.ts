import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * One Step Functions client per container. Endpoints come from the SDK's standard settings
 * (`AWS_ENDPOINT_URL_SFN`); the host prefix is off so StartSyncExecution reaches a custom endpoint
 * as it is instead of `sync-<host>`. On AWS the prefix is unnecessary too: the regional endpoint
 * accepts StartSyncExecution.
 */
export const stepFunctions = new SFNClient({ disableHostPrefix: true });
