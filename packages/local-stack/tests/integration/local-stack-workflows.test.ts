import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalStack } from '../../src/stack';
import { localStepFunctionsClient } from '../helpers/aws-clients';
import { startFixtureStack } from '../helpers/fixture-stack';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe("state machines from the template, with the template's substitutions", () => {
  let stack: LocalStack;
  let sfn: SFNClient;

  beforeAll(async () => {
    stack = await startFixtureStack();
    sfn = localStepFunctionsClient(stack.endpoints.stepfunctions);
  });

  afterAll(async () => {
    sfn.destroy();
    await stack.stop();
  });

  it('runs a Lambda task in-process and writes to the local table through the DynamoDB integration', async () => {
    const result = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: stack.stepFunctions.stateMachineArn('GreetMachine'),
        input: JSON.stringify({ name: 'ana' }),
      }),
    );
    const { Item } = await stack.dynamodb.client.send(
      new GetItemCommand({ TableName: 'ThingsTable', Key: { pk: { S: 'ana' } } }),
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '{}')).toEqual({ name: 'ana', result: { greeting: 'hello ana' } });
    expect(Item?.greeting).toEqual({ S: 'hello ana' });
  });

  it("reports the handler's error as the execution's error", async () => {
    const result = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: stack.stepFunctions.stateMachineArn('GreetMachine'),
        input: '{}',
      }),
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'NameMissing' });
  });
});

describe('a stack with a data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'greenlight-stack-'));

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps DynamoDB items and the e-mail outbox across restarts', async () => {
    const first = await startFixtureStack({ dataDir });
    await first.dynamodb.client.send(
      new PutItemCommand({ TableName: 'ThingsTable', Item: { pk: { S: 'kept' }, owner: { S: 'rita' } } }),
    );
    const ses = new SESClient({ endpoint: first.endpoints.ses, region: 'us-east-1', credentials });
    await ses.send(
      new SendEmailCommand({
        Source: 'greenlight@greenlight.test',
        Destination: { ToAddresses: ['ana@greenlight.test'] },
        Message: { Subject: { Data: 'Kept' }, Body: { Text: { Data: 'still here' } } },
      }),
    );
    ses.destroy();
    await first.stop();

    const second = await startFixtureStack({ dataDir });
    const { Item } = await second.dynamodb.client.send(
      new GetItemCommand({ TableName: 'ThingsTable', Key: { pk: { S: 'kept' } } }),
    );
    const subjects = second.ses.outbox().map((message) => message.subject);
    await second.stop();
    expect(Item?.owner).toEqual({ S: 'rita' });
    expect(subjects).toEqual(['Kept']);
  });
});
