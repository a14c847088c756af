import { SFNClient } from '@aws-sdk/client-sfn';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * The real Step Functions client pointed at a local endpoint. The host prefix is off because the
 * SDK would send StartSyncExecution to `sync-127.0.0.1`.
 */
export function localStepFunctionsClient(endpoint: string): SFNClient {
  return new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    disableHostPrefix: true,
  });
}
