import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMAIL_DOCUMENT_POLICY } from '@greenlight/local-stack/sandbox/email-view';
import type { LiveEvent } from '@greenlight/local-stack/sandbox/protocol';
import { SlackCaller, SlackRequestTimeout } from '@greenlight/local-stack/slack-requests/slack-caller';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { verifyToken } from '../../app/shared/signed-token';
import { LiveEvents } from '../helpers/live-events';
import { TestStack } from '../helpers/local-stack';

const RITA = 'U0REQUESTR';
const SAM = 'U0BYSTANDR';
const APPROVALS = 'C0APPROVAL';

describe('the sandbox server', () => {
  let stack: TestStack;
  let sandbox: string;

  beforeAll(async () => {
    stack = await TestStack.start();
    sandbox = stack.endpoints.sandbox;
  });

  afterAll(async () => {
    await stack.stop();
  });

  const api = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${sandbox}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("serves the page, its script and its endpoints without any of the stack's secrets", async () => {
    const [page, script, styles, endpoints] = await Promise.all(
      ['/', '/app.js', '/app.css', '/endpoints.json'].map((path) => fetch(`${sandbox}${path}`)),
    );
    const bodies = await Promise.all([page, script, styles, endpoints].map((response) => response?.text()));

    for (const secret of Object.values(stack.stack.secrets)) {
      for (const body of bodies) expect(body).not.toContain(secret);
    }
    expect(page?.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(page?.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(script?.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(JSON.parse(bodies[3] ?? '{}')).toMatchObject({ slackEvents: stack.endpoints.slackEvents });
  });

  it('refuses to act for anything but the page itself: JSON, from its own origin, on its own host name', async () => {
    const form = await fetch(`${sandbox}/api/commands`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'user=U0REQUESTR',
    });
    const crossSite = await api(
      '/api/commands',
      { user: RITA, channel: APPROVALS, text: '/greenlight help' },
      {
        Origin: 'http://attacker.test',
      },
    );
    // fetch keeps its own Host header; a DNS-rebound page would send its own name.
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      get(`${sandbox}/`, { headers: { Host: 'attacker.test' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).once('error', reject);
    });

    expect(form.status).toBe(403);
    expect(crossSite).toEqual({
      status: 403,
      body: { ok: false, error: 'Requests from other sites are refused.' },
    });
    expect(rebound).toBe(403);
  });

  it("runs a slash command signed with the stack's secret and shows the answer only to whoever typed it", async () => {
    const rita = await LiveEvents.open(sandbox, RITA);
    const sam = await LiveEvents.open(sandbox, SAM);

    const answer = await api('/api/commands', {
      user: RITA,
      channel: APPROVALS,
      text: '/greenlight request "Printer toner" <@U0APPROVER>',
    });
    const ephemeral = await rita.next((event) => event.type === 'ephemeral');
    const posted = (event: LiveEvent) =>
      event.type === 'message' && event.message.text.startsWith('Approval needed: Printer toner (GL-');
    await Promise.all([rita.next(posted), sam.next(posted)]);
    rita.close();
    sam.close();

    // The Slack function checks the v0 signature first: an unsigned command would be a 401.
    expect(answer).toEqual({ status: 200, body: { ok: true, shown: 'ephemeral' } });
    expect(ephemeral).toMatchObject({
      ephemeral: {
        user: RITA,
        text: expect.stringMatching(/Asked <@U0APPROVER> to approve `GL-\w{6}` \*Printer toner\*/),
      },
    });
    expect(sam.events.some((event) => event.type === 'ephemeral')).toBe(false);
  });

  it('sends each person a snapshot of what they may see: their ephemerals, not those of others', async () => {
    await api('/api/commands', { user: SAM, channel: APPROVALS, text: '/greenlight help' });

    const rita = await LiveEvents.open(sandbox, RITA);
    const sam = await LiveEvents.open(sandbox, SAM);
    rita.close();
    sam.close();
    const snapshotOf = (live: LiveEvents) => {
      const [first] = live.events;
      if (first?.type !== 'snapshot') throw new Error('the stream starts with a snapshot');
      return first.snapshot;
    };

    expect(snapshotOf(sam).ephemerals.map((ephemeral) => ephemeral.user)).toEqual([SAM]);
    expect(snapshotOf(rita).ephemerals.every((ephemeral) => ephemeral.user === RITA)).toBe(true);
    expect(snapshotOf(rita).channels.map((channel) => channel.id)).toEqual(
      expect.arrayContaining([APPROVALS, 'C0MIRROR', 'C0GENERAL']),
    );
  });

  it('says precisely what is wrong with a request, and sends nothing', async () => {
    const { slack } = stack.stack;
    const sentBefore = [
      slack.messages(APPROVALS).length,
      slack.responses().length,
      slack.deliveries().length,
    ];

    const responses = await Promise.all([
      api('/api/commands', { user: RITA, channel: APPROVALS, text: 'greenlight help' }),
      api('/api/commands', { user: 'U0GLBOT', channel: APPROVALS, text: '/greenlight help' }),
      api('/api/messages', { user: RITA, channel: APPROVALS, text: 'hi', threadTs: '1.000001' }),
      api('/api/actions', {
        user: RITA,
        surface: { kind: 'message', channel: APPROVALS, ts: '1.000001' },
        blockId: 'decision',
        actionId: 'nope',
      }),
      api('/api/views/submit', { user: RITA, viewId: 'V404', values: {} }),
      api('/api/commands', '{not json'),
    ]);

    expect(responses.map((response) => [response.status, response.body.error])).toEqual([
      [400, 'A slash command starts with "/" and a command name.'],
      [400, 'U0GLBOT is not a person in this workspace.'],
      [400, 'Slack refused the message: thread_not_found.'],
      [400, 'That message is no longer there.'],
      [400, 'That modal is not open any more.'],
      [400, 'The request is not valid JSON.'],
    ]);
    expect([slack.messages(APPROVALS).length, slack.responses().length, slack.deliveries().length]).toEqual(
      sentBefore,
    );
  });

  it("offers the manifest's shortcuts and sends only those, each from its own menu, to messages that exist", async () => {
    const live = await LiveEvents.open(sandbox, RITA);
    const [first] = live.events;
    live.close();
    const views = stack.stack.slack.views().length;

    const responses = await Promise.all([
      api('/api/shortcuts', { user: RITA, callbackId: 'not_ours' }),
      api('/api/shortcuts', { user: RITA, callbackId: 'request_approval_for_message' }),
      api('/api/shortcuts', {
        user: RITA,
        callbackId: 'request_approval_for_message',
        message: { channel: APPROVALS, ts: '1.000001' },
      }),
      api('/api/shortcuts', { user: RITA, callbackId: 'request_approval' }),
    ]);

    expect(
      first?.type === 'snapshot' && first.snapshot.shortcuts.map((shortcut) => shortcut.callbackId),
    ).toEqual(['request_approval', 'request_approval_for_message']);
    expect(responses.map((response) => [response.status, response.body.error ?? 'ok'])).toEqual([
      [400, 'The app has no global shortcut not_ours.'],
      [400, 'The app has no global shortcut request_approval_for_message.'],
      [400, 'That message is no longer there.'],
      [200, 'ok'],
    ]);
    expect(
      stack.stack.slack
        .views()
        .slice(views)
        .map((record) => record.view.callback_id),
    ).toEqual(['greenlight_request']);
  });

  it('mints a WebSocket token for the person, signed with the stack key, which the gateway accepts', async () => {
    const before = Math.floor(Date.now() / 1000);
    const minted = await api('/api/websocket/token', { user: RITA });
    const url = new URL(String(minted.body.url));
    const check = verifyToken(stack.stack.secrets.websocketTokenKey, url.searchParams.get('token'), {
      audience: 'websocket',
    });
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.close();

    expect(`${url.origin}${url.pathname}`).toBe(stack.endpoints.websocket);
    expect(check).toEqual({
      ok: true,
      claims: { aud: 'websocket', sub: RITA, exp: expect.any(Number) },
    });
    const exp = check.ok ? check.claims.exp : 0;
    expect(exp - before).toBeGreaterThanOrEqual(3600);
    expect(exp - before).toBeLessThanOrEqual(3660);
  });

  it('serves each e-mail in a document whose policy runs no script', async () => {
    const sent = new Promise<string>((resolve) => {
      const stop = stack.stack.ses.onMessage((message) => {
        stop();
        resolve(message.messageId);
      });
    });
    await api('/api/commands', {
      user: RITA,
      channel: APPROVALS,
      text: '/greenlight request "Mail check" <@U0APPROVER> --email',
    });

    const response = await fetch(`${sandbox}/api/outbox/${await sent}/document`);
    const body = await response.text();

    expect(response.headers.get('content-security-policy')).toBe(EMAIL_DOCUMENT_POLICY);
    expect(body).toContain('<base target="_blank">');
    expect(body).toMatch(/GL-[0-9A-Z]{6}/);
  });
});

describe("Slack's deadline", () => {
  let silent: Server;

  beforeAll(async () => {
    // An app that never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up on an app that does not answer in time, as Slack does with operation_timeout', async () => {
    const stack = await TestStack.start();
    const caller = new SlackCaller({
      slack: stack.stack.slack,
      signingSecret: stack.stack.secrets.signingSecret,
      requestUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slack/events`,
      app: { teamId: 'T0GREENLT', teamDomain: 'greenlight-local', appId: 'A0GREENLT' },
      timeoutMs: 50,
    });

    const outcome = caller.slashCommand({
      command: '/greenlight',
      text: 'help',
      user: RITA,
      channel: APPROVALS,
    });

    await expect(outcome).rejects.toBeInstanceOf(SlackRequestTimeout);
    await stack.stop();
  });
});
