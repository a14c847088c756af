import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WebClient } from '@slack/web-api';
import { type SlackApi, startSlackApi } from '../../src/slack-api';
import {
  ALICE,
  APPROVALS,
  BOB,
  platformFailureOf,
  TEST_WORKSPACE,
  webClientFor,
} from '../helpers/slack-api-workspace';

const SLACK_TS = /^\d{10}\.\d{6}$/;

let api: SlackApi;
let client: WebClient;

beforeAll(async () => {
  api = await startSlackApi(TEST_WORKSPACE);
  client = webClientFor(api);
});

afterAll(async () => {
  await api.close();
});

const approvalBlocks = [
  { type: 'header', text: { type: 'plain_text', text: 'Deploy to production' } },
  { type: 'section', text: { type: 'mrkdwn', text: '*Requested by* <@U0BOB0001>' } },
  {
    type: 'actions',
    block_id: 'decision',
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        text: { type: 'plain_text', text: 'Approve' },
        style: 'primary',
        value: 'apr-1',
      },
      {
        type: 'button',
        action_id: 'reject',
        text: { type: 'plain_text', text: 'Reject' },
        style: 'danger',
        value: 'apr-1',
        confirm: {
          title: { type: 'plain_text', text: 'Reject?' },
          text: { type: 'mrkdwn', text: 'The requester will be told.' },
          confirm: { type: 'plain_text', text: 'Reject' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      },
    ],
  },
  { type: 'context', elements: [{ type: 'mrkdwn', text: 'Expires in 4 hours' }] },
];

describe('the Slack Web API stand-in, called through the real WebClient', () => {
  it('answers auth.test with the bot, its team and its app', async () => {
    const result = await client.auth.test();

    expect(result).toMatchObject({
      ok: true,
      user_id: TEST_WORKSPACE.botUserId,
      bot_id: TEST_WORKSPACE.botId,
      team_id: TEST_WORKSPACE.team.id,
      team: TEST_WORKSPACE.team.name,
    });
  });

  it('stores a posted message as the bot’s and returns it from conversations.history', async () => {
    const posted = await client.chat.postMessage({
      channel: APPROVALS,
      text: 'Approval needed',
      blocks: approvalBlocks,
    });

    const history = await client.conversations.history({ channel: APPROVALS, limit: 1 });

    expect(posted.ts).toMatch(SLACK_TS);
    expect(history.messages?.[0]).toMatchObject({
      ts: posted.ts,
      text: 'Approval needed',
      user: TEST_WORKSPACE.botUserId,
      bot_id: TEST_WORKSPACE.botId,
      app_id: TEST_WORKSPACE.appId,
      blocks: approvalBlocks,
    });
  });

  it('issues a unique, larger timestamp to each message posted after another', async () => {
    const stamps: number[] = [];
    for (const text of ['one', 'two', 'three']) {
      const posted = await client.chat.postMessage({ channel: APPROVALS, text });
      stamps.push(Number(posted.ts));
    }

    const [first = 0, second = 0, third = 0] = stamps;

    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
  });

  it('keeps thread replies out of the history and counts them on the root', async () => {
    const root = await client.chat.postMessage({ channel: APPROVALS, text: 'Root of a thread' });
    const reply = await client.chat.postMessage({
      channel: APPROVALS,
      text: 'First reply',
      thread_ts: root.ts ?? '',
    });

    const replies = await client.conversations.replies({ channel: APPROVALS, ts: root.ts ?? '' });
    const history = await client.conversations.history({ channel: APPROVALS, limit: 1 });

    expect(replies.messages?.map((message) => message.text)).toEqual(['Root of a thread', 'First reply']);
    expect(replies.messages?.[1]).toMatchObject({
      thread_ts: root.ts,
      parent_user_id: TEST_WORKSPACE.botUserId,
    });
    expect(history.messages?.[0]).toMatchObject({
      ts: root.ts,
      reply_count: 1,
      latest_reply: reply.ts,
      reply_users: [TEST_WORKSPACE.botUserId],
    });
  });

  it('replaces text and blocks on chat.update and marks the message edited', async () => {
    const posted = await client.chat.postMessage({
      channel: APPROVALS,
      text: 'Pending',
      blocks: approvalBlocks,
    });

    await client.chat.update({
      channel: APPROVALS,
      ts: posted.ts ?? '',
      text: 'Approved by Alice',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: Approved by <@U0ALICE01>' } },
      ],
    });

    const [message] = api.messages(APPROVALS).filter((candidate) => candidate.ts === posted.ts);
    expect(message?.text).toBe('Approved by Alice');
    expect(message?.blocks).toHaveLength(1);
    expect(message?.edited).toMatchObject({ user: TEST_WORKSPACE.botUserId });
  });

  it('keeps ephemeral messages apart from the channel’s messages', async () => {
    const result = await client.chat.postEphemeral({
      channel: APPROVALS,
      user: ALICE,
      text: 'Only Alice sees this',
    });

    expect(api.ephemerals(APPROVALS)).toContainEqual(
      expect.objectContaining({ ts: result.message_ts, user: ALICE, text: 'Only Alice sees this' }),
    );
    expect(api.messages(APPROVALS).map((message) => message.text)).not.toContain('Only Alice sees this');
  });

  it('removes a message on chat.delete', async () => {
    const posted = await client.chat.postMessage({ channel: APPROVALS, text: 'Short-lived' });

    await client.chat.delete({ channel: APPROVALS, ts: posted.ts ?? '' });

    expect(api.messages(APPROVALS).map((message) => message.ts)).not.toContain(posted.ts);
  });

  it('posts into the user’s DM when the channel is a user id', async () => {
    const posted = await client.chat.postMessage({ channel: BOB, text: 'Your request was approved' });

    const opened = await client.conversations.open({ users: BOB });

    expect(posted.channel).toMatch(/^D/);
    expect(opened.channel?.id).toBe(posted.channel);
    expect(api.messages(posted.channel ?? '').map((message) => message.text)).toEqual([
      'Your request was approved',
    ]);
  });

  it('returns the profile email from users.info', async () => {
    const result = await client.users.info({ user: ALICE });

    expect(result.user).toMatchObject({
      id: ALICE,
      real_name: 'Alice Approver',
      profile: { email: 'alice@example.com' },
    });
  });

  it('describes a channel on conversations.info', async () => {
    const result = await client.conversations.info({ channel: 'C0PRIVATE1' });

    expect(result.channel).toMatchObject({
      id: 'C0PRIVATE1',
      name: 'finance',
      is_private: true,
      is_channel: true,
    });
  });

  it('accepts a JSON body with a bearer token, as Slack does', async () => {
    const response = await fetch(`${api.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Authorization: `Bearer ${TEST_WORKSPACE.botToken}`,
      },
      body: JSON.stringify({ channel: APPROVALS, text: 'Sent as JSON', blocks: approvalBlocks.slice(0, 1) }),
    });

    const body = (await response.json()) as { ok: boolean; ts: string };

    expect(body.ok).toBe(true);
    expect(api.messages(APPROVALS).find((message) => message.ts === body.ts)?.text).toBe('Sent as JSON');
  });
});

describe('Web API errors, named as Slack names them', () => {
  it('refuses a call without a token with not_authed', async () => {
    const failure = await platformFailureOf(webClientFor(api, null).auth.test());

    expect(failure.error).toBe('not_authed');
  });

  it('refuses a wrong token with invalid_auth', async () => {
    const failure = await platformFailureOf(webClientFor(api, 'xoxb-wrong').auth.test());

    expect(failure.error).toBe('invalid_auth');
  });

  it('refuses an unknown method with unknown_method', async () => {
    const failure = await platformFailureOf(client.apiCall('chat.teleport', { channel: APPROVALS }));

    expect(failure.error).toBe('unknown_method');
  });

  it.each([
    ['a missing channel', { text: 'hello' }, 'channel_not_found'],
    ['an unknown channel', { channel: 'C0NOWHERE', text: 'hello' }, 'channel_not_found'],
    ['neither text nor blocks', { channel: APPROVALS }, 'no_text'],
  ])('refuses chat.postMessage with %s', async (_case, args, expected) => {
    const failure = await platformFailureOf(client.apiCall('chat.postMessage', args));

    expect(failure.error).toBe(expected);
  });

  it('refuses users.info for an unknown user with user_not_found', async () => {
    const failure = await platformFailureOf(client.users.info({ user: 'U0NOBODY' }));

    expect(failure.error).toBe('user_not_found');
  });

  it('refuses chat.update of an unknown ts with message_not_found', async () => {
    const failure = await platformFailureOf(
      client.chat.update({ channel: APPROVALS, ts: '1.000001', text: 'x' }),
    );

    expect(failure.error).toBe('message_not_found');
  });

  it('refuses chat.update without a ts with invalid_arguments', async () => {
    const failure = await platformFailureOf(client.apiCall('chat.update', { channel: APPROVALS, text: 'x' }));

    expect(failure.error).toBe('invalid_arguments');
  });

  it('refuses blocks that are not JSON with invalid_blocks_format', async () => {
    const failure = await platformFailureOf(
      client.apiCall('chat.postMessage', { channel: APPROVALS, blocks: '[{' }),
    );

    expect(failure.error).toBe('invalid_blocks_format');
  });
});

describe('Block Kit validation on chat.postMessage', () => {
  const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: 'Go' },
    ...extra,
  });

  it.each([
    [
      'a header longer than 150 characters',
      [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }],
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'a header with mrkdwn text',
      [{ type: 'header', text: { type: 'mrkdwn', text: '*bold*' } }],
      'must be plain_text [json-pointer:/blocks/0/text/type]',
    ],
    [
      'an unknown block type',
      [{ type: 'carousel' }],
      'unsupported block type: carousel [json-pointer:/blocks/0/type]',
    ],
    ['a section with neither text nor fields', [{ type: 'section' }], 'must provide one of: text, fields'],
    [
      'a section longer than 3000 characters',
      [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
      'must be less than 3001 characters',
    ],
    [
      'a section with 11 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    ],
    [
      'an actions block with 26 elements',
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, index) => button(`a${index}`)) }],
      'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
    ],
    [
      'a button with an unknown style',
      [{ type: 'actions', elements: [button('approve', { style: 'success' })] }],
      'must be one of: primary, danger [json-pointer:/blocks/0/elements/0/style]',
    ],
    [
      'a button text longer than 75 characters',
      [
        {
          type: 'actions',
          elements: [{ ...button('approve'), text: { type: 'plain_text', text: 'x'.repeat(76) } }],
        },
      ],
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ],
    [
      'a button value longer than 2000 characters',
      [{ type: 'actions', elements: [button('approve', { value: 'v'.repeat(2001) })] }],
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ],
    [
      'two buttons with the same action_id',
      [
        { type: 'actions', elements: [button('approve')] },
        { type: 'actions', elements: [button('approve')] },
      ],
      'duplicate action_id: approve',
    ],
    [
      'a confirm dialog without a deny button',
      [
        {
          type: 'actions',
          elements: [
            button('reject', {
              confirm: {
                title: { type: 'plain_text', text: 'Sure?' },
                text: { type: 'plain_text', text: 'Really?' },
                confirm: { type: 'plain_text', text: 'Yes' },
              },
            }),
          ],
        },
      ],
      'missing required field: deny [json-pointer:/blocks/0/elements/0/confirm]',
    ],
    [
      'more than 50 blocks',
      Array.from({ length: 51 }, () => ({ type: 'divider' })),
      'no more than 50 items allowed [json-pointer:/blocks]',
    ],
    [
      'an input block in an actions block',
      [{ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 'note' }] }],
      'plain_text_input is not a valid element in an actions block',
    ],
  ])('refuses %s with invalid_blocks and says why', async (_case, blocks, reason) => {
    const failure = await platformFailureOf(
      client.chat.postMessage({ channel: APPROVALS, text: 'fallback', blocks }),
    );

    expect(failure.error).toBe('invalid_blocks');
    expect(failure.messages).toContainEqual(expect.stringContaining(reason));
  });

  it('accepts well-formed blocks of every known type', async () => {
    const blocks = [
      ...approvalBlocks,
      { type: 'divider' },
      { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'chart' },
      {
        type: 'input',
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true },
      },
      {
        type: 'rich_text',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hello' }] }],
      },
    ];

    const result = await client.chat.postMessage({ channel: APPROVALS, text: 'All block types', blocks });

    expect(result.ok).toBe(true);
  });
});
