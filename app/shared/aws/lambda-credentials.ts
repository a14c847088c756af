import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in every function's bundle (an esbuild alias,
 * scripts/lambda-functions.ts and template.yaml): each SDK client's default credentials. Lambda puts
 * the execution role's credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, reserved variables it sets in every execution environment), and the SDK's own
 * chain reads the environment first: on Lambda it never gets further. The rest of that chain (shared
 * ini files, SSO, web identity, `credential_process`, the container and instance metadata services)
 * pulls in STS, SSO and sign-in clients of its own: 115 KB of the Slack function's handler file that
 * every cold start parsed and no invocation ran (docs/cold-start.md). The local stack sets the same
 * variables for the functions it runs; code run from source (tests, scripts) keeps the SDK's chain.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
