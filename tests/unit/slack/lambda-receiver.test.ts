import blockActionsFixture from '@greenlight/local-stack/testing/fixtures/slack/block-actions.json';
import viewSubmissionFixture from '@greenlight/local-stack/testing/fixtures/slack/view-submission.json';
import { describe, expect, it } from '@jest/globals';
import { MAX_BODY_BYTES } from '../../../app/slack/receiver/lambda-receiver';
import eventFixture from '../../fixtures/slack/event-message.json';
import sslCheckFixture from '../../fixtures/slack/ssl-check.json';
import urlVerificationFixture from '../../fixtures/slack/url-verification.json';
import { TEST_BOT_TOKEN, testSlackApp } from '../../helpers/slack-app';
import {
  blockAction,
  FORM,
  formBody,
  JSON_TYPE,
  jsonRequest,
  lambdaContext,
  parseJsonBody,
  slackRequest,
  slashCommand,
  TEST_SIGNING_SECRET,
} from '../../helpers/slack-requests';

const now = () => Math.floor(Date.now() / 1000);

describe('Slack ingress on Lambda', () => {
  describe('signature', () => {
    it('answers a correctly signed /greenlight help with the help message', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(slashCommand('help'), lambdaContext());
      expect(result.statusCode).toBe(200);
      expect(parseJsonBody(result)).toMatchObject({ response_type: 'ephemeral', blocks: expect.any(Array) });
      expect(result.body).toContain('/greenlight request');
    });

    it('reads header names in any case, and from multiValueHeaders alone', async () => {
      const { receiver } = testSlackApp();
      const lower = slashCommand('help');
      lower.headers = Object.fromEntries(Object.entries(lower.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const multi = slashCommand('help', {}, { multiValueOnly: true });
      expect((await receiver.handle(lower, lambdaContext())).statusCode).toBe(200);
      expect((await receiver.handle(multi, lambdaContext())).statusCode).toBe(200);
    });

    it.each([
      ['more than five minutes old', -301],
      ['more than five minutes in the future', 301],
    ])('refuses a timestamp %s with 401 stale_timestamp', async (_name, offsetSeconds) => {
      const { receiver } = testSlackApp();
      // Taken when the test runs, not when the file is collected: seconds may pass in between.
      const timestamp = now() + offsetSeconds;
      const result = await receiver.handle(slashCommand('help', {}, { timestamp }), lambdaContext());
      expect(result.statusCode).toBe(401);
      expect(parseJsonBody(result).error).toBe('stale_timestamp');
    });

    it('refuses a body tampered with after signing with 401 invalid_signature', async () => {
      const { receiver } = testSlackApp();
      const signedBody = formBody({ command: '/greenlight', text: 'help' });
      const event = slackRequest(formBody({ command: '/greenlight', text: 'cancel GL-7K3F9Q' }), {
        contentType: FORM,
        signedBody,
      });
      const result = await receiver.handle(event, lambdaContext());
      expect(result.statusCode).toBe(401);
      expect(parseJsonBody(result).error).toBe('invalid_signature');
    });

    it('refuses a request signed with another secret with 401', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(
        slashCommand('help', {}, { secret: 'not-our-secret' }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(401);
      expect(parseJsonBody(result).error).toBe('invalid_signature');
    });

    it('refuses a request without signature headers with 401 missing_headers', async () => {
      const { receiver } = testSlackApp();
      const event = slashCommand('help');
      event.headers = { 'Content-Type': FORM };
      event.multiValueHeaders = {};
      const result = await receiver.handle(event, lambdaContext());
      expect(result.statusCode).toBe(401);
      expect(parseJsonBody(result).error).toBe('missing_headers');
    });

    it('refuses a garbled signature header with 401 malformed_headers', async () => {
      const { receiver } = testSlackApp();
      const event = slashCommand('help', {}, { headers: { 'X-Slack-Signature': 'v1=deadbeef' } });
      const result = await receiver.handle(event, lambdaContext());
      expect(result.statusCode).toBe(401);
      expect(parseJsonBody(result).error).toBe('malformed_headers');
    });

    it('checks the signature before parsing: an unsigned broken body gets 401, not 400', async () => {
      const { receiver } = testSlackApp();
      const event = slackRequest('{not json', { contentType: JSON_TYPE, secret: 'wrong' });
      expect((await receiver.handle(event, lambdaContext())).statusCode).toBe(401);
    });
  });

  describe('body', () => {
    it('decodes a base64 body as UTF-8 so non-ASCII text survives', async () => {
      const seen: unknown[] = [];
      const { receiver } = testSlackApp({
        runCommand: async (command) => {
          seen.push(command);
          return { onTime: true, reply: { response_type: 'ephemeral', text: 'ok' } };
        },
      });
      const event = slashCommand('request "Café déploiement ✅ 日本" <@U0ANA>', {}, { base64: true });
      const result = await receiver.handle(event, lambdaContext());
      expect(result.statusCode).toBe(200);
      expect(seen).toEqual([
        expect.objectContaining({
          kind: 'request',
          request: expect.objectContaining({ title: 'Café déploiement ✅ 日本', approvers: ['U0ANA'] }),
        }),
      ]);
    });

    it('accepts a content type with a charset parameter', async () => {
      const { receiver } = testSlackApp();
      const event = slashCommand(
        'help',
        {},
        { contentType: 'application/x-www-form-urlencoded; charset=utf-8' },
      );
      expect((await receiver.handle(event, lambdaContext())).statusCode).toBe(200);
    });

    it('refuses another content type with 415', async () => {
      const { receiver } = testSlackApp();
      const event = slackRequest('command=%2Fgreenlight&text=help', { contentType: 'text/plain' });
      const result = await receiver.handle(event, lambdaContext());
      expect(result.statusCode).toBe(415);
      expect(parseJsonBody(result).error).toBe('unsupported_media_type');
    });

    it('refuses a signed empty body with 400', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(slackRequest('', { contentType: FORM }), lambdaContext());
      expect(result.statusCode).toBe(400);
      expect(parseJsonBody(result).message).toBe('The request body is empty.');
    });

    it('refuses a valid signature over invalid JSON with 400', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(
        slackRequest('{"type":"event_callback",', { contentType: JSON_TYPE }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(400);
      expect(parseJsonBody(result)).toEqual({
        error: 'invalid_body',
        message: 'The request body is not valid JSON.',
      });
    });

    it('refuses an interactive payload field that is not JSON with 400', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(
        slackRequest(formBody({ payload: '{oops' }), { contentType: FORM }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(400);
      expect(parseJsonBody(result).message).toBe('The payload field is not valid JSON.');
    });

    it('refuses a JSON body that is not an object with 400', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(
        slackRequest('[1,2]', { contentType: JSON_TYPE }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(400);
    });

    it('refuses an oversized body with 413 before checking anything else', async () => {
      const { receiver } = testSlackApp();
      const event = slackRequest(`text=${'a'.repeat(MAX_BODY_BYTES)}`, {
        contentType: FORM,
        secret: 'unchecked',
      });
      const result = await receiver.handle(event, lambdaContext());
      expect(result.statusCode).toBe(413);
    });
  });

  describe("Slack's handshakes", () => {
    it('answers ssl_check with an empty 200', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(
        slackRequest(formBody(sslCheckFixture), { contentType: FORM }),
        lambdaContext(),
      );
      expect(result).toMatchObject({ statusCode: 200, body: '' });
    });

    it('answers url_verification with its challenge', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(jsonRequest(urlVerificationFixture), lambdaContext());
      expect(result.statusCode).toBe(200);
      expect(parseJsonBody(result)).toEqual({ challenge: urlVerificationFixture.challenge });
    });

    it('does not answer url_verification without a valid signature', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(
        jsonRequest(urlVerificationFixture, { secret: 'wrong' }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(401);
      expect(result.body).not.toContain(urlVerificationFixture.challenge);
    });
  });

  describe('Events API retries', () => {
    it('runs the listener once when Slack delivers the same event twice', async () => {
      const { app, receiver } = testSlackApp();
      const seen: string[] = [];
      app.event('message', async ({ event }) => {
        seen.push((event as { text?: string }).text ?? '');
      });
      const first = await receiver.handle(jsonRequest(eventFixture), lambdaContext());
      const retry = await receiver.handle(
        jsonRequest(eventFixture, {
          headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' },
        }),
        lambdaContext(),
      );
      expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
      expect(seen).toEqual([eventFixture.event.text]);
    });

    it('gives a failed event back so that the retry runs it', async () => {
      const { app, receiver } = testSlackApp();
      let attempts = 0;
      app.event('message', async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('downstream unavailable');
      });
      const first = await receiver.handle(jsonRequest(eventFixture), lambdaContext());
      const retry = await receiver.handle(
        jsonRequest(eventFixture, { headers: { 'X-Slack-Retry-Num': '1' } }),
        lambdaContext(),
      );
      expect([first.statusCode, retry.statusCode]).toEqual([500, 200]);
      expect(attempts).toBe(2);
    });

    it('refuses an event_callback without an event_id with 400', async () => {
      const { receiver } = testSlackApp();
      const { event_id: _omitted, ...withoutId } = eventFixture;
      const result = await receiver.handle(jsonRequest(withoutId), lambdaContext());
      expect({ status: result.statusCode, body: parseJsonBody(result) }).toEqual({
        status: 400,
        body: { error: 'invalid_payload', message: 'event_callback: event_id must be a Slack event id' },
      });
    });

    it("takes the bot user id from the event's authorizations, without calling auth.test", async () => {
      const { app, receiver } = testSlackApp();
      const botUserIds: unknown[] = [];
      app.event('message', async ({ context }) => {
        botUserIds.push(context.botUserId);
      });
      // The test config points the Web API at a closed port: any call (auth.test included) would fail the event.
      const result = await receiver.handle(jsonRequest(eventFixture), lambdaContext());
      expect(result.statusCode).toBe(200);
      expect(botUserIds).toEqual(['U0GLBOT']);
    });
  });

  describe('payload shapes', () => {
    it('refuses a signed payload of the wrong shape with a 400 naming the field, and runs no listener', async () => {
      const { app, receiver, logs } = testSlackApp();
      let ran = false;
      app.action(/.*/, async () => {
        ran = true;
      });
      const payload = { ...blockActionsFixture, user: null };
      const result = await receiver.handle(
        slackRequest(formBody({ payload: JSON.stringify(payload) }), { contentType: FORM }),
        lambdaContext(),
      );
      expect({ status: result.statusCode, body: parseJsonBody(result), ran }).toEqual({
        status: 400,
        body: { error: 'invalid_payload', message: 'block_actions: user must be an object' },
        ran: false,
      });
      expect(logs()).toContainEqual(
        expect.objectContaining({ message: 'slack_payload_rejected', requestId: expect.any(String) }),
      );
    });

    it('acknowledges a well-formed payload of a type the app does not serve with an empty 200', async () => {
      const { receiver, logs } = testSlackApp();
      const result = await receiver.handle(
        jsonRequest({ type: 'app_rate_limited', team_id: 'T0GREENLT', minute_rate_limited: 1763812380 }),
        lambdaContext(),
      );
      expect(result).toMatchObject({ statusCode: 200, body: '' });
      expect(logs()).toContainEqual(
        expect.objectContaining({ message: 'slack_payload_ignored', type: 'app_rate_limited' }),
      );
    });
  });

  describe('Slack refusing a Web API call during the request', () => {
    // The shape of the errors @slack/web-api throws (unit tests do not reach Slack or its stand-in).
    const refused = (error: string) =>
      Object.assign(new Error(`An API error occurred: ${error}`), {
        code: 'slack_webapi_platform_error',
        data: { ok: false, error },
      });
    const unreachable = () =>
      Object.assign(new Error('A request error occurred: ECONNRESET'), {
        code: 'slack_webapi_request_error',
      });

    it('answers a slash command with a 200 that says what to do, logged with the request id', async () => {
      const { app, receiver, logs } = testSlackApp();
      app.command('/deploy', async () => {
        throw refused('invalid_trigger_id');
      });
      const context = lambdaContext();
      const result = await receiver.handle(slashCommand('', { command: '/deploy' }), context);
      expect({ status: result.statusCode, body: parseJsonBody(result) }).toEqual({
        status: 200,
        body: {
          response_type: 'ephemeral',
          text: ':hourglass: The form could not open in time; run `/deploy` again.',
        },
      });
      expect(logs()).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: 'slack_web_api_failed',
          code: 'invalid_trigger_id',
          requestId: context.awsRequestId,
        }),
      );
    });

    it('answers a modal submission with a modal that says what to do', async () => {
      const { app, receiver } = testSlackApp();
      app.view('approval_request', async () => {
        throw refused('invalid_arguments');
      });
      const result = await receiver.handle(
        slackRequest(formBody({ payload: JSON.stringify(viewSubmissionFixture) }), { contentType: FORM }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(200);
      expect(parseJsonBody(result)).toMatchObject({ response_action: 'update' });
      expect(result.body).toContain('open the form and submit it again');
    });

    it('keeps an event Slack refused a call for, with a 200: its retry would be refused too', async () => {
      const { app, receiver, dedup } = testSlackApp();
      app.event('message', async () => {
        throw refused('channel_not_found');
      });
      const result = await receiver.handle(jsonRequest(eventFixture), lambdaContext());
      expect({ status: result.statusCode, claimed: dedup.claimed.has(eventFixture.event_id) }).toEqual({
        status: 200,
        claimed: true,
      });
    });

    it('gives back an event whose call did not reach Slack, with a 500 that asks Slack to retry', async () => {
      const { app, receiver, dedup } = testSlackApp();
      app.event('message', async () => {
        throw unreachable();
      });
      const result = await receiver.handle(jsonRequest(eventFixture), lambdaContext());
      expect({ status: result.statusCode, claimed: dedup.claimed.has(eventFixture.event_id) }).toEqual({
        status: 500,
        claimed: false,
      });
    });
  });

  describe('requests no listener handles', () => {
    it('acknowledges an unknown button with an empty 200 and logs it', async () => {
      const { receiver, logs } = testSlackApp();
      const result = await receiver.handle(
        blockAction({ action_id: 'retired_button', value: 'x' }),
        lambdaContext(),
      );
      expect(result).toMatchObject({ statusCode: 200, body: '' });
      expect(logs()).toContainEqual(
        expect.objectContaining({ message: 'slack_request_unhandled', actionIds: ['retired_button'] }),
      );
    });

    it('answers an unknown slash command with an ephemeral message', async () => {
      const { receiver } = testSlackApp();
      const result = await receiver.handle(slashCommand('help', { command: '/deploy' }), lambdaContext());
      expect(parseJsonBody(result)).toEqual({
        response_type: 'ephemeral',
        text: 'Greenlight does not handle `/deploy`.',
      });
    });

    it('answers a command it cannot parse with an ephemeral explanation and runs nothing', async () => {
      let ran = false;
      const { receiver } = testSlackApp({
        runCommand: async () => {
          ran = true;
          return { onTime: true, reply: { response_type: 'ephemeral', text: 'ran' } };
        },
      });
      const result = await receiver.handle(slashCommand('status nope'), lambdaContext());
      expect(parseJsonBody(result)).toEqual({
        response_type: 'ephemeral',
        text: ':warning: `nope` is not a request id. Ids look like `GL-7K3F9Q`.',
      });
      expect(ran).toBe(false);
    });
  });

  describe('failures', () => {
    it('turns a listener failure into a generic 500 and one log line with the request id', async () => {
      const { receiver, logs } = testSlackApp({
        runCommand: async () => {
          throw new Error('table greenlight-approvals is gone');
        },
      });
      const context = lambdaContext();
      const result = await receiver.handle(slashCommand('list'), context);
      expect(result.statusCode).toBe(500);
      expect(parseJsonBody(result)).toEqual({ error: 'internal_error', message: expect.any(String) });
      expect(result.body).not.toContain('greenlight-approvals');
      const failures = logs().filter((entry) => entry.message === 'slack_request_failed');
      expect(failures).toEqual([
        expect.objectContaining({ level: 'error', requestId: context.awsRequestId }),
      ]);
    });

    it('keeps the acknowledgement when a listener fails after acknowledging', async () => {
      const { app, receiver } = testSlackApp();
      app.command('/deploy', async ({ ack }) => {
        await ack({ response_type: 'ephemeral', text: 'Working on it…' });
        throw new Error('late failure');
      });
      const result = await receiver.handle(slashCommand('now', { command: '/deploy' }), lambdaContext());
      expect(result.statusCode).toBe(200);
      expect(parseJsonBody(result).text).toBe('Working on it…');
    });

    it('never writes the signing secret or the bot token to the logs', async () => {
      const { receiver, lines } = testSlackApp({
        runCommand: async () => {
          throw new Error('boom');
        },
      });
      await receiver.handle(slashCommand('list'), lambdaContext());
      await receiver.handle(slashCommand('help', {}, { secret: 'wrong' }), lambdaContext());
      await receiver.handle(jsonRequest(eventFixture), lambdaContext());
      const all = lines.join('\n');
      expect(lines.length).toBeGreaterThan(0);
      expect(all).not.toContain(TEST_SIGNING_SECRET);
      expect(all).not.toContain(TEST_BOT_TOKEN);
    });
  });

  describe('metrics', () => {
    it('counts a signed request and how long after receipt it was answered', async () => {
      let clock = Date.now();
      const { receiver, metricLines } = testSlackApp({ now: () => clock });
      const event = slashCommand('help');
      event.requestContext.requestTimeEpoch = clock - 40;
      clock += 2;
      await receiver.handle(event, lambdaContext());
      expect(metricLines()).toEqual([
        {
          _aws: {
            Timestamp: expect.any(Number),
            CloudWatchMetrics: [
              {
                Namespace: 'Greenlight',
                Dimensions: [[]],
                Metrics: [
                  { Name: 'SlackRequests', Unit: 'Count' },
                  { Name: 'SlackAckLatency', Unit: 'Milliseconds' },
                ],
              },
            ],
          },
          SlackRequests: 1,
          SlackAckLatency: 42,
        },
      ]);
    });

    it('does not count a request whose signature fails', async () => {
      const { receiver, metricLines } = testSlackApp();
      const event = slashCommand('help');
      event.headers['X-Slack-Signature'] = 'v0=0000';
      expect((await receiver.handle(event, lambdaContext())).statusCode).toBe(401);
      expect(metricLines()).toEqual([]);
    });
  });
});
