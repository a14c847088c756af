import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';

/**
 * Whether the SDK will send Step Functions calls to an endpoint of our choosing (the local stack, a
 * VPC endpoint) rather than AWS's regional one: the SDK's standard settings, `AWS_ENDPOINT_URL_SFN`
 * or `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` tells it to ignore both.
 */
export function hasCustomEndpoint(env: NodeJS.ProcessEnv): boolean {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL_SFN || env.AWS_ENDPOINT_URL);
}

/**
 * On AWS, StartSyncExecution belongs on `sync-states.<region>` (the SDK's host prefix), the
 * endpoint built for synchronous Express runs. A custom endpoint is one host for every operation,
 * so there the prefix is turned off and the call reaches it as configured.
 */
export function stepFunctionsConfig(env: NodeJS.ProcessEnv): SFNClientConfig {
  return hasCustomEndpoint(env) ? { disableHostPrefix: true } : {};
}

/** One Step Functions client per container; the endpoint comes from the SDK's standard settings. */
export const stepFunctions = new SFNClient(stepFunctionsConfig(process.env));
