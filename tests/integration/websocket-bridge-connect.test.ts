import { execFileSync } from 'node:child_process';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signToken } from '../../app/shared/signed-token';
import { BridgeClient, connectStatus, OutputCapture, tokenFor } from '../helpers/bridge-client';
import { TestStack } from '../helpers/local-stack';

const MIRROR = 'C0MIRROR';
const TWO_HOURS_TEN_MINUTES = 2 * 3600 + 10 * 60;

describe('the WebSocket bridge on the local stack: connecting and disconnecting', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;
  const output = new OutputCapture();

  beforeAll(async () => {
    // Debug level, so every line the functions could log is checked for the token.
    stack = await TestStack.start({ environment: { LOG_LEVEL: 'debug' } });
    db = DynamoDBDocumentClient.from(stack.stack.dynamodb.client);
    output.start();
  });

  afterAll(async () => {
    await stack.stop();
    output.stop();
  });

  const row = async (connectionId: string) =>
    (await db.send(new GetCommand({ TableName: 'ConnectionsTable', Key: { connectionId } }))).Item;
  const rowIds = async () =>
    ((await db.send(new ScanCommand({ TableName: 'ConnectionsTable' }))).Items ?? []).map(
      (item) => item.connectionId as string,
    );
  const mirrorRoots = () => stack.stack.slack.messages(MIRROR);
  const closeAndWait = async (client: BridgeClient) => {
    await client.close();
    await output.entry(
      (entry) => entry.message === 'websocket_disconnected' && entry.connectionId === client.connectionId,
      `the $disconnect of ${client.subject}`,
    );
  };

  it('accepts a signed token and stores the connection with its subject, origin and a TTL of 2 h 10 min', async () => {
    const before = Math.floor(Date.now() / 1000);
    const client = await BridgeClient.connect(stack, 'alice', { userAgent: 'alice-browser/2.0' });
    const stored = await row(client.connectionId);
    const [connection] = stack.stack.websocket
      .connections()
      .filter((c) => c.userAgent === 'alice-browser/2.0');
    await closeAndWait(client);

    expect(stored).toMatchObject({
      connectionId: client.connectionId,
      subject: 'alice',
      sourceIp: '127.0.0.1',
      userAgent: 'alice-browser/2.0',
      connectedAt: connection?.connectedAt,
      mirrorChannel: MIRROR,
      threadTs: expect.any(String),
    });
    expect(stored?.expiresAt).toBeGreaterThanOrEqual(before + TWO_HOURS_TEN_MINUTES);
    expect(stored?.expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + TWO_HOURS_TEN_MINUTES);
  });

  it('announces the connection in the mirror channel as the root of its thread, without the token', async () => {
    const token = tokenFor(stack, 'bob');
    const client = await BridgeClient.connect(stack, 'bob', { token, userAgent: 'bob-cli/1.0' });
    const stored = await row(client.connectionId);
    await closeAndWait(client);

    const root = mirrorRoots().find((message) => message.ts === stored?.threadTs);
    expect(root?.text).toBe(
      ':electric_plug: *bob* connected over WebSocket.\n' +
        `Connection \`${client.connectionId}\` from 127.0.0.1, user agent: bob-cli/1.0\n` +
        'Reply in this thread to answer this client.',
    );
    expect(root?.bot_id).toBe('B0GLBOT');
    const thread = stack.stack.slack.thread(MIRROR, root?.ts ?? '');
    expect(thread.length).toBeGreaterThan(1);
    for (const message of thread) {
      for (const part of token.split('.')) expect(message.text).not.toContain(part);
    }
  });

  it('accepts a token minted by npm run ws-token with the configured key', async () => {
    const token = execFileSync(
      'node_modules/.bin/tsx',
      ['scripts/ws-token.ts', '--sub', 'erin', '--ttl', '5m'],
      {
        env: { ...process.env, WEBSOCKET_TOKEN_KEY: stack.stack.secrets.websocketTokenKey },
        encoding: 'utf8',
      },
    ).trim();

    const client = await BridgeClient.connect(stack, 'erin', { token });
    const stored = await row(client.connectionId);
    await closeAndWait(client);

    expect(stored?.subject).toBe('erin');
  });

  it('refuses a connection without a token with 401, storing and mirroring nothing', async () => {
    const [rowsBefore, rootsBefore] = [await rowIds(), mirrorRoots().length];

    const statuses = [await connectStatus(stack, ''), await connectStatus(stack, '?token=')];

    expect(statuses).toEqual([401, 401]);
    expect(rowsBefore).toEqual(expect.arrayContaining(await rowIds()));
    expect(mirrorRoots()).toHaveLength(rootsBefore);
  });

  it('refuses a tampered, forged, garbled, expired, wrong-purpose or subject-less token with 403, storing and mirroring nothing', async () => {
    const [rowsBefore, rootsBefore] = [await rowIds(), mirrorRoots().length];
    const genuine = tokenFor(stack, 'mallory');
    const [payload = '', signature = ''] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const promoted = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    const key = stack.stack.secrets.websocketTokenKey;
    const exp = Number(claims.exp);
    const refused = {
      tampered: `${promoted}.${signature}`,
      forged: signToken('not-the-key', { aud: 'websocket', sub: 'mallory', exp }),
      garbled: 'not-a-token',
      expired: tokenFor(stack, 'mallory', -1000),
      wrongPurpose: signToken(key, { aud: 'approval-link', sub: 'mallory', exp }),
      noSubject: signToken(key, { aud: 'websocket', exp }),
    };

    const statuses: Record<string, number> = {};
    for (const [name, token] of Object.entries(refused)) {
      statuses[name] = await connectStatus(stack, `?token=${encodeURIComponent(token)}`);
    }

    expect(statuses).toEqual({
      tampered: 403,
      forged: 403,
      garbled: 403,
      expired: 403,
      wrongPurpose: 403,
      noSubject: 403,
    });
    expect(rowsBefore).toEqual(expect.arrayContaining(await rowIds()));
    expect(mirrorRoots()).toHaveLength(rootsBefore);
    expect(mirrorRoots().some((message) => /mallory|admin/.test(message.text))).toBe(false);
  });

  it('deletes the row on disconnect and notes it in the thread', async () => {
    const client = await BridgeClient.connect(stack, 'carol');
    const threadTs = (await row(client.connectionId))?.threadTs as string;

    await closeAndWait(client);

    expect(await row(client.connectionId)).toBeUndefined();
    expect(stack.stack.slack.thread(MIRROR, threadTs).at(-1)?.text).toMatch(
      /^:wave: \*carol\* disconnected \(1000 bye\) after \d+ s\.$/,
    );
  });

  it('never writes a token, or its signature, to the logs', async () => {
    const token = tokenFor(stack, 'dave');
    const client = await BridgeClient.connect(stack, 'dave', { token });
    client.sendMessage('hello');
    await output.entry((entry) => entry.message === 'websocket_message_broadcast', 'the broadcast');
    const refusal = await connectStatus(stack, `?token=${encodeURIComponent(`${token}x`)}`);
    await closeAndWait(client);

    const everything = output.text.join('');
    expect(refusal).toBe(403);
    expect(output.entries().some((entry) => entry.message === 'websocket_connect_refused')).toBe(true);
    for (const part of token.split('.')) expect(everything).not.toContain(part);
    expect(everything).not.toContain(stack.stack.secrets.botToken);
  });
});
