import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type SlackApi, startSlackApi } from '../../src/slack-api';
import { ALICE, APPROVALS, TEST_WORKSPACE } from '../helpers/slack-api-workspace';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Stands in for the app's `POST /slack/events`: records each delivery and answers as scripted. */
class EventsEndpoint {
  readonly deliveries: Delivery[] = [];
  /** Status per delivery, in order; 200 once the script runs out. */
  statuses: number[] = [];
  /** Milliseconds to hold each answer, in order. */
  delays: number[] = [];
  private server: Server | undefined;
  private readonly heldAnswers = new Set<NodeJS.Timeout>();
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const index = this.deliveries.length;
        this.deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const timer = setTimeout(() => {
          this.heldAnswers.delete(timer);
          response.writeHead(this.statuses[index] ?? 200).end();
        }, this.delays[index] ?? 0);
        this.heldAnswers.add(timer);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slack/events`;
  }

  reset(): void {
    this.deliveries.length = 0;
    this.statuses = [];
    this.delays = [];
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    for (const timer of this.heldAnswers) clearTimeout(timer);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/** The receiving side's check, written independently of the signer under test. */
function hasValidSignature(delivery: Delivery, signingSecret: string): boolean {
  const timestamp = String(delivery.headers['x-slack-request-timestamp']);
  const signature = Buffer.from(String(delivery.headers['x-slack-signature']));
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${delivery.body}`).digest('hex')}`,
  );
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}

const endpoint = new EventsEndpoint();
let api: SlackApi;

beforeAll(async () => {
  await endpoint.start();
  api = await startSlackApi({
    ...TEST_WORKSPACE,
    eventsUrl: endpoint.url,
    eventDelivery: { timeoutMs: 200, retryDelaysMs: [0, 5, 5] },
  });
});

afterEach(() => {
  api.setEventsUrl(endpoint.url);
  endpoint.reset();
});

afterAll(async () => {
  await api.close();
  await endpoint.close();
});

describe('messages people type, delivered to the app through the Events API', () => {
  it('stores the message like Slack and delivers a message event signed with the signing secret', async () => {
    const { message, delivery } = api.postAsUser({
      userId: ALICE,
      channel: APPROVALS,
      text: 'Looks good to me',
    });

    const report = await delivery;

    const [received] = endpoint.deliveries;
    expect(report.delivered).toBe(true);
    expect(received !== undefined && hasValidSignature(received, TEST_WORKSPACE.signingSecret)).toBe(true);
    expect(api.messages(APPROVALS).at(-1)).toMatchObject({
      ts: message.ts,
      user: ALICE,
      text: 'Looks good to me',
    });
    expect(JSON.parse(received?.body ?? '{}')).toMatchObject({
      type: 'event_callback',
      event_id: report.eventId,
      event_time: expect.any(Number),
      team_id: TEST_WORKSPACE.team.id,
      api_app_id: TEST_WORKSPACE.appId,
      authorizations: [expect.objectContaining({ user_id: TEST_WORKSPACE.botUserId, is_bot: true })],
      event: {
        type: 'message',
        user: ALICE,
        text: 'Looks good to me',
        ts: message.ts,
        event_ts: message.ts,
        channel: APPROVALS,
        channel_type: 'channel',
      },
    });
  });

  it('puts thread_ts in the event of a reply and counts the reply on the root', async () => {
    const root = api.postAsUser({ userId: ALICE, channel: APPROVALS, text: 'Root' });
    await root.delivery;

    const reply = api.postAsUser({
      userId: ALICE,
      channel: APPROVALS,
      text: 'Reply',
      threadTs: root.message.ts,
    });
    await reply.delivery;

    const event = (JSON.parse(endpoint.deliveries[1]?.body ?? '{}') as { event: Record<string, unknown> })
      .event;
    expect(event.thread_ts).toBe(root.message.ts);
    expect(api.thread(APPROVALS, root.message.ts).map((message) => message.text)).toEqual(['Root', 'Reply']);
    expect(api.messages(APPROVALS).at(-1)).toMatchObject({ ts: root.message.ts, reply_count: 1 });
  });

  it('delivers a DM to the app as an im event when the channel is the bot', async () => {
    const { channel, delivery } = api.postAsUser({
      userId: ALICE,
      channel: TEST_WORKSPACE.botUserId,
      text: 'hi',
    });

    await delivery;

    const event = (JSON.parse(endpoint.deliveries[0]?.body ?? '{}') as { event: Record<string, unknown> })
      .event;
    expect(channel).toMatch(/^D/);
    expect(event).toMatchObject({ channel, channel_type: 'im' });
  });

  it('retries after a 500 with X-Slack-Retry-Num and X-Slack-Retry-Reason, keeping the event id', async () => {
    endpoint.statuses = [500, 200];

    const report = await api.postAsUser({ userId: ALICE, channel: APPROVALS, text: 'retry me' }).delivery;

    const [first, retry] = endpoint.deliveries;
    expect(report.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
    expect(first?.headers['x-slack-retry-num']).toBeUndefined();
    expect(retry?.headers['x-slack-retry-num']).toBe('1');
    expect(retry?.headers['x-slack-retry-reason']).toBe('http_error');
    expect(retry?.body).toBe(first?.body);
    expect(retry !== undefined && hasValidSignature(retry, TEST_WORKSPACE.signingSecret)).toBe(true);
  });

  it('gives up after three retries and reports every attempt', async () => {
    endpoint.statuses = [503, 503, 503, 503, 503];

    const report = await api.postAsUser({ userId: ALICE, channel: APPROVALS, text: 'never lands' }).delivery;

    expect(endpoint.deliveries.map((delivery) => delivery.headers['x-slack-retry-num'])).toEqual([
      undefined,
      '1',
      '2',
      '3',
    ]);
    expect(report).toMatchObject({ delivered: false, stoppedBecause: 'retries_exhausted' });
    expect(api.deliveries()).toContainEqual(
      expect.objectContaining({ eventId: report.eventId, delivered: false }),
    );
  });

  it('treats an answer slower than the timeout as failed and retries with reason http_timeout', async () => {
    endpoint.delays = [1_000, 0];

    const report = await api.postAsUser({ userId: ALICE, channel: APPROVALS, text: 'slow app' }).delivery;

    expect(report.attempts.map((attempt) => attempt.failure)).toEqual(['http_timeout', undefined]);
    expect(endpoint.deliveries[1]?.headers['x-slack-retry-reason']).toBe('http_timeout');
  });

  it('reports no_events_url, and still stores the message, when the app has no events URL', async () => {
    api.setEventsUrl(undefined);

    const { message, delivery } = api.postAsUser({
      userId: ALICE,
      channel: APPROVALS,
      text: 'into the void',
    });

    expect(await delivery).toMatchObject({ delivered: false, stoppedBecause: 'no_events_url' });
    expect(api.messages(APPROVALS).at(-1)?.ts).toBe(message.ts);
  });
});
