import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { WebClient } from '@slack/web-api';
import {
  RESPONSE_URL_LIFETIME_MS,
  type SlackApi,
  type SlackApiChange,
  startSlackApi,
  TRIGGER_ID_LIFETIME_MS,
} from '../../src/slack-api';
import {
  ALICE,
  APPROVALS,
  BOB,
  platformFailureOf,
  TEST_WORKSPACE,
  webClientFor,
} from '../helpers/slack-api-workspace';

// A clock the tests move by hand, so expiry is exercised without waiting.
let clockMs = Date.parse('2025-11-22T12:00:00Z');
let api: SlackApi;
let client: WebClient;

beforeAll(async () => {
  api = await startSlackApi({ ...TEST_WORKSPACE, now: () => clockMs });
  client = webClientFor(api);
});

afterAll(async () => {
  await api.close();
});

beforeEach(() => {
  clockMs += 60 * 60_000;
});

const requestModal = {
  type: 'modal' as const,
  callback_id: 'request_modal',
  title: { type: 'plain_text' as const, text: 'New request' },
  submit: { type: 'plain_text' as const, text: 'Request' },
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: { type: 'plain_text', text: 'What needs approval?' },
      element: { type: 'plain_text_input', action_id: 'title_input' },
    },
  ],
};

async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function postApprovalMessage(): Promise<string> {
  const posted = await client.chat.postMessage({ channel: APPROVALS, text: 'Approve the deploy?' });
  return posted.ts ?? '';
}

describe('views.open and trigger ids', () => {
  it('opens a modal for a fresh trigger id and records who opened it', async () => {
    const triggerId = api.createTriggerId({ userId: ALICE });

    const result = await client.views.open({ trigger_id: triggerId, view: requestModal });

    expect(result.view?.id).toMatch(/^V/);
    expect(api.views()).toContainEqual(
      expect.objectContaining({
        userId: ALICE,
        view: expect.objectContaining({ callback_id: 'request_modal' }),
      }),
    );
  });

  it('refuses an unknown trigger id with invalid_trigger_id', async () => {
    const failure = await platformFailureOf(
      client.views.open({ trigger_id: '123.456.abcdef', view: requestModal }),
    );

    expect(failure.error).toBe('invalid_trigger_id');
  });

  it('refuses a trigger id older than 3 seconds with expired_trigger_id', async () => {
    const triggerId = api.createTriggerId();
    clockMs += TRIGGER_ID_LIFETIME_MS + 1;

    const failure = await platformFailureOf(client.views.open({ trigger_id: triggerId, view: requestModal }));

    expect(failure.error).toBe('expired_trigger_id');
  });

  it('refuses a trigger id already exchanged for a modal', async () => {
    const triggerId = api.createTriggerId();
    await client.views.open({ trigger_id: triggerId, view: requestModal });

    const failure = await platformFailureOf(client.views.open({ trigger_id: triggerId, view: requestModal }));

    expect(failure.error).toBe('exchanged_trigger_id');
  });

  it('refuses a modal title longer than 24 characters with invalid_arguments, pointing at it', async () => {
    const view = {
      ...requestModal,
      title: { type: 'plain_text' as const, text: 'A title far too long for Slack' },
    };

    const failure = await platformFailureOf(client.views.open({ trigger_id: api.createTriggerId(), view }));

    expect(failure.error).toBe('invalid_arguments');
    expect(failure.messages).toContainEqual(expect.stringContaining('[json-pointer:/view/title/text]'));
  });

  it('refuses views.update with a stale hash with hash_conflict', async () => {
    const opened = await client.views.open({ trigger_id: api.createTriggerId(), view: requestModal });
    await client.views.update({
      view_id: opened.view?.id ?? '',
      hash: opened.view?.hash ?? '',
      view: requestModal,
    });

    const failure = await platformFailureOf(
      client.views.update({
        view_id: opened.view?.id ?? '',
        hash: opened.view?.hash ?? '',
        view: requestModal,
      }),
    );

    expect(failure.error).toBe('hash_conflict');
  });
});

describe('response_url', () => {
  it('replaces the original message on replace_original', async () => {
    const ts = await postApprovalMessage();
    const url = api.createResponseUrl({ channel: APPROVALS, userId: ALICE, messageTs: ts });

    const answer = await postJson(url, {
      replace_original: true,
      text: 'Approved by Alice',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Approved by <@U0ALICE01>' } }],
    });

    const message = api.messages(APPROVALS).find((candidate) => candidate.ts === ts);
    expect(answer.status).toBe(200);
    expect(message?.text).toBe('Approved by Alice');
    expect(message?.blocks).toHaveLength(1);
  });

  it('posts an ephemeral message to the user by default', async () => {
    const url = api.createResponseUrl({ channel: APPROVALS, userId: BOB });

    await postJson(url, { text: 'Request apr-42 created' });

    expect(api.ephemerals(APPROVALS)).toContainEqual(
      expect.objectContaining({ user: BOB, text: 'Request apr-42 created', source: 'response_url' }),
    );
    expect(api.messages(APPROVALS).map((message) => message.text)).not.toContain('Request apr-42 created');
  });

  it('posts to the channel as the bot when response_type is in_channel', async () => {
    const url = api.createResponseUrl({ channel: APPROVALS, userId: BOB });

    await postJson(url, { response_type: 'in_channel', text: 'Bob asked for approval' });

    expect(api.messages(APPROVALS).at(-1)).toMatchObject({
      text: 'Bob asked for approval',
      bot_id: TEST_WORKSPACE.botId,
    });
  });

  it('replaces its own earlier ephemeral answer when the command has no original message', async () => {
    const url = api.createResponseUrl({ channel: APPROVALS, userId: BOB });
    await postJson(url, { text: 'Working on it…' });

    await postJson(url, { replace_original: true, text: 'Done: apr-43' });

    const texts = api.ephemerals(APPROVALS).map((ephemeral) => ephemeral.text);
    expect(texts).toContain('Done: apr-43');
    expect(texts).not.toContain('Working on it…');
  });

  it('deletes the original message on delete_original', async () => {
    const ts = await postApprovalMessage();
    const url = api.createResponseUrl({ channel: APPROVALS, userId: ALICE, messageTs: ts });

    await postJson(url, { delete_original: true });

    expect(api.messages(APPROVALS).map((message) => message.ts)).not.toContain(ts);
  });

  it('accepts five uses and refuses the sixth with used_url', async () => {
    const url = api.createResponseUrl({ channel: APPROVALS, userId: BOB });
    const statuses: number[] = [];
    for (let use = 1; use <= 5; use += 1) statuses.push((await postJson(url, { text: `use ${use}` })).status);

    const sixth = await postJson(url, { text: 'use 6' });

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(sixth.body.error).toBe('used_url');
  });

  it('refuses a response_url older than 30 minutes with expired_url', async () => {
    const url = api.createResponseUrl({ channel: APPROVALS, userId: BOB });
    clockMs += RESPONSE_URL_LIFETIME_MS + 1;

    const answer = await postJson(url, { text: 'too late' });

    expect(answer.body.error).toBe('expired_url');
  });

  it('refuses malformed blocks with invalid_blocks and records the rejection', async () => {
    const url = api.createResponseUrl({ channel: APPROVALS, userId: BOB });

    const answer = await postJson(url, { text: 'x', blocks: [{ type: 'header' }] });

    expect(answer.body.error).toBe('invalid_blocks');
    expect(api.responses().at(-1)).toMatchObject({ url, outcome: 'rejected', error: 'invalid_blocks' });
  });
});

describe('live changes', () => {
  it('tells listeners about a posted message until they unsubscribe', async () => {
    const changes: SlackApiChange[] = [];
    const unsubscribe = api.onChange((change) => changes.push(change));

    await client.chat.postMessage({ channel: APPROVALS, text: 'Watched' });
    unsubscribe();
    await client.chat.postMessage({ channel: APPROVALS, text: 'Unwatched' });

    const posted = changes.flatMap((change) =>
      change.type === 'message_posted' ? [change.message.text] : [],
    );
    expect(posted).toEqual(['Watched']);
  });
});

describe('failures asked for by a test', () => {
  it('fails the next call of a method with the error asked for, leaving its trigger id unspent', async () => {
    const triggerId = api.createTriggerId({ userId: ALICE });
    api.failMethod('views.open', 'invalid_trigger_id');

    const failure = await platformFailureOf(client.views.open({ trigger_id: triggerId, view: requestModal }));
    const retried = await client.views.open({ trigger_id: triggerId, view: requestModal });

    expect({ error: failure.error, reopened: retried.ok }).toEqual({
      error: 'invalid_trigger_id',
      reopened: true,
    });
  });

  it('fails as many calls as asked, and only calls of that method', async () => {
    api.failMethod('chat.postEphemeral', 'channel_not_found', { times: 2 });

    const other = await client.chat.postMessage({ channel: APPROVALS, text: 'Unaffected' });
    const first = await platformFailureOf(
      client.chat.postEphemeral({ channel: APPROVALS, user: ALICE, text: 'a' }),
    );
    const second = await platformFailureOf(
      client.chat.postEphemeral({ channel: APPROVALS, user: ALICE, text: 'b' }),
    );
    const third = await client.chat.postEphemeral({ channel: APPROVALS, user: ALICE, text: 'c' });

    expect({ other: other.ok, first: first.error, second: second.error, third: third.ok }).toEqual({
      other: true,
      first: 'channel_not_found',
      second: 'channel_not_found',
      third: true,
    });
  });

  it('stops failing once the failure is withdrawn', async () => {
    const withdraw = api.failMethod('users.info', 'user_not_found', { times: 5 });
    withdraw();

    const result = await client.users.info({ user: ALICE });

    expect(result.user?.id).toBe(ALICE);
  });
});
