import { SESClient } from '@aws-sdk/client-ses';

/** One SES client per container; the endpoint comes from the SDK's standard settings. */
export const ses = new SESClient({});
