import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mintConnectionToken } from '../../app/websocket/connection-token';
import { TestStack } from '../helpers/local-stack';

describe('the local stack on the real template', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it("creates every table template.yaml declares, with the template's keys", async () => {
    const { TableNames } = await stack.stack.dynamodb.client.send(new ListTablesCommand({}));
    const declared = Object.entries(stack.stack.template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
      .map(([logicalId]) => logicalId);
    expect([...(TableNames ?? [])].sort()).toEqual(declared.sort());
    const { Table } = await stack.stack.dynamodb.client.send(
      new DescribeTableCommand({ TableName: 'ApprovalsTable' }),
    );
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual([
      'DecidedByPerson',
      'OpenByApprover',
      'OpenByRequester',
      'Unsettled',
    ]);
  });

  it('answers a signed slash command through the REST emulation with the unchanged Slack function', async () => {
    const answer = await stack.slashCommand('help');
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Greenlight'),
    });
  });

  it('refuses an unsigned request with the Slack function’s 401', async () => {
    const answer = await stack.post('/slack/events', 'command=%2Fgreenlight', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(401);
  });

  it("turns a person's thread reply in the Slack stand-in into a signed Events API delivery the function accepts", async () => {
    const { delivery } = stack.stack.slack.postAsUser({
      userId: 'U0APPROVER',
      channel: 'C0MIRROR',
      text: 'hello from Slack',
    });
    const report = await delivery;
    expect(report.delivered).toBe(true);
    expect(report.attempts.map((attempt) => attempt.status)).toEqual([200]);
  });

  it('publishes its endpoints, the dev secrets in use and the seeded users', () => {
    const { endpoints } = stack;
    expect(endpoints.slackEvents).toBe(`${endpoints.rest}/slack/events`);
    expect(endpoints.signingSecret).toBe(stack.stack.secrets.signingSecret);
    expect(endpoints.users.map((user) => user.name)).toEqual(expect.arrayContaining(['rita', 'ana']));
    for (const key of [
      'rest',
      'websocket',
      'dynamodb',
      'stepfunctions',
      'ses',
      'slackApi',
      'sandbox',
    ] as const) {
      expect(endpoints[key]).toMatch(/^(http|ws):\/\/(127\.0\.0\.1|localhost):\d+/);
    }
  });
});

describe('the test harness', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // A second stack in this file: its functions get fresh containers, whose AWS clients reach it.
    jest.resetModules();
    stack = await TestStack.start();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('submits a modal as a signed view_submission that the Slack function acknowledges', async () => {
    const answer = await stack.submitView({ user: 'U0REQUESTR', callbackId: 'unknown_view', values: {} });
    expect(answer).toMatchObject({ status: 200, text: '' });
  });

  it('opens a WebSocket client against the gateway', async () => {
    // The WebSocket function refuses a connection without a signed token (401).
    const token = mintConnectionToken(stack.stack.secrets.websocketTokenKey, 'harness', Date.now() + 60_000);
    const socket = await stack.connectWebSocket(`?token=${token}`);
    const connections = stack.stack.websocket.connections().length;
    socket.close();
    expect(connections).toBe(1);
  });
});
