import type { SFNClient } from '@aws-sdk/client-sfn';
import { StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { hasCustomEndpoint } from '../../../app/shared/aws/step-functions';

const ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_SFN',
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
] as const;
const saved = Object.fromEntries(ENDPOINT_VARIABLES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of ENDPOINT_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

class Captured extends Error {}

/**
 * The app's own client, loaded afresh under `env`, and the URL it would send `command` to: a
 * middleware after the SDK has resolved the endpoint and host prefix records the request and stops
 * it, so nothing leaves the process.
 */
async function urlCalledFor(
  env: Partial<Record<(typeof ENDPOINT_VARIABLES)[number], string>>,
  command: StartSyncExecutionCommand | StartExecutionCommand,
): Promise<string> {
  for (const name of ENDPOINT_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  let client: SFNClient | undefined;
  jest.isolateModules(() => {
    ({ stepFunctions: client } = require('../../../app/shared/aws/step-functions') as {
      stepFunctions: SFNClient;
    });
  });
  if (client === undefined) throw new Error('app/shared/aws/step-functions exported no client');
  let url = '';
  client.middlewareStack.add(
    (_next) => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number; path: string };
      url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`;
      throw new Captured();
    },
    { step: 'finalizeRequest', priority: 'high', name: 'captureUrl' },
  );
  await expect(client.send(command as StartSyncExecutionCommand)).rejects.toBeInstanceOf(Captured);
  return url;
}

const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:command';

describe('the Step Functions client', () => {
  test('sends StartSyncExecution to sync-states.<region> on AWS, as the SDK intends', async () => {
    const url = await urlCalledFor({}, new StartSyncExecutionCommand({ stateMachineArn }));
    expect(new URL(url).hostname).toBe(`sync-states.${process.env.AWS_REGION}.amazonaws.com`);
  });

  test('sends StartExecution to states.<region> on AWS', async () => {
    const url = await urlCalledFor({}, new StartExecutionCommand({ stateMachineArn }));
    expect(new URL(url).hostname).toBe(`states.${process.env.AWS_REGION}.amazonaws.com`);
  });

  test('sends StartSyncExecution to AWS_ENDPOINT_URL_SFN as it is, without the sync- prefix', async () => {
    const url = await urlCalledFor(
      { AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:4583' },
      new StartSyncExecutionCommand({ stateMachineArn }),
    );
    expect(new URL(url).host).toBe('127.0.0.1:4583');
  });

  test('sends StartSyncExecution to AWS_ENDPOINT_URL as it is when no SFN endpoint is set', async () => {
    const url = await urlCalledFor(
      { AWS_ENDPOINT_URL: 'http://localhost:4566' },
      new StartSyncExecutionCommand({ stateMachineArn }),
    );
    expect(new URL(url).host).toBe('localhost:4566');
  });

  test('goes back to sync-states.<region> when configured endpoints are to be ignored', async () => {
    const url = await urlCalledFor(
      { AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:4583', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      new StartSyncExecutionCommand({ stateMachineArn }),
    );
    expect(new URL(url).hostname).toBe(`sync-states.${process.env.AWS_REGION}.amazonaws.com`);
  });
});

describe('hasCustomEndpoint', () => {
  test.each([
    [{}, false],
    [{ AWS_ENDPOINT_URL_SFN: 'http://localhost:1' }, true],
    [{ AWS_ENDPOINT_URL: 'http://localhost:1' }, true],
    [{ AWS_ENDPOINT_URL_SFN: '' }, false],
    [{ AWS_ENDPOINT_URL: 'http://localhost:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' }, false],
  ] as const)('says %j is %s', (env, expected) => {
    expect(hasCustomEndpoint(env)).toBe(expected);
  });
});
