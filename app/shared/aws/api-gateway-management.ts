import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';

// The SDK's standard setting for this service (what the local stack sets to reach its gateway).
const CONFIGURED_ENDPOINT = 'AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI';

const clients = new Map<string, ApiGatewayManagementApiClient>();

/**
 * The `@connections` API of one WebSocket API stage, one client per stage and container. The
 * callback URL is `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`: WebSocket handlers
 * build it from their event (`domainName`/`stage`), other functions read it from configuration.
 *
 * An explicit `endpoint` would override the SDK's standard endpoint setting, so that setting, when
 * present, is honoured here instead: as for every other client of this app, the environment can
 * point the calls elsewhere (the local stack points them at its gateway) without any code knowing.
 */
export function managementApi(
  callbackUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): ApiGatewayManagementApiClient {
  const endpoint = env[CONFIGURED_ENDPOINT]?.trim() || callbackUrl;
  let client = clients.get(endpoint);
  if (client === undefined) {
    client = new ApiGatewayManagementApiClient({ endpoint });
    clients.set(endpoint, client);
  }
  return client;
}

/** The callback URL of the stage a WebSocket event came through. */
export function callbackUrlOf(requestContext: { domainName: string; stage: string }): string {
  return `https://${requestContext.domainName}/${requestContext.stage}`;
}
