import { describe, expect, it } from '@jest/globals';
import { callbackUrlOf, managementApi } from '../../../app/shared/aws/api-gateway-management';

const AWS_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod';

async function endpointOf(client: ReturnType<typeof managementApi>): Promise<string> {
  const endpoint = await client.config.endpoint?.();
  return `${endpoint?.protocol}//${endpoint?.hostname}${endpoint?.port ? `:${endpoint.port}` : ''}${endpoint?.path}`;
}

describe('the @connections client', () => {
  it('is built from the callback URL of an event’s stage', () => {
    expect(callbackUrlOf({ domainName: 'abc123.execute-api.eu-west-1.amazonaws.com', stage: 'prod' })).toBe(
      AWS_URL,
    );
  });

  it('talks to the callback URL, one client per URL', async () => {
    const client = managementApi(AWS_URL, {});
    expect(managementApi(AWS_URL, {})).toBe(client);
    expect(await endpointOf(client)).toBe(AWS_URL);
  });

  it('follows the SDK’s endpoint setting for the service when there is one, as every other client does', async () => {
    const client = managementApi(AWS_URL, {
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'http://127.0.0.1:3002/local',
    });
    expect(await endpointOf(client)).toBe('http://127.0.0.1:3002/local');
  });
});
