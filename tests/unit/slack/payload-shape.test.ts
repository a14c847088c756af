import blockActions from '@greenlight/local-stack/testing/fixtures/slack/block-actions.json';
import slashCommand from '@greenlight/local-stack/testing/fixtures/slack/slash-command.json';
import viewSubmission from '@greenlight/local-stack/testing/fixtures/slack/view-submission.json';
import { describe, expect, it } from '@jest/globals';
import { checkPayloadShape } from '../../../app/slack/receiver/payload-shape';
import eventMessage from '../../fixtures/slack/event-message.json';
import messageAction from '../../fixtures/slack/message-action.json';
import shortcut from '../../fixtures/slack/shortcut.json';
import sslCheck from '../../fixtures/slack/ssl-check.json';
import urlVerification from '../../fixtures/slack/url-verification.json';
import viewClosed from '../../fixtures/slack/view-closed.json';

const copy = <T>(value: T): T => structuredClone(value);

describe('payload shapes', () => {
  it.each([
    ['slash_command', slashCommand],
    ['ssl_check', sslCheck],
    ['url_verification', urlVerification],
    ['event_callback', eventMessage],
    ['block_actions', blockActions],
    ['view_submission', viewSubmission],
    ['view_closed', viewClosed],
    ['shortcut', shortcut],
    ['message_action', messageAction],
  ])('accepts a real %s payload', (kind, fixture) => {
    expect(checkPayloadShape(copy(fixture) as Record<string, unknown>)).toEqual({ ok: true, kind });
  });

  it.each([
    [
      'a slash command without its user',
      { ...slashCommand, user_id: undefined },
      'The slash command: user_id must be a non-empty string',
    ],
    [
      'a slash command whose response_url is not a URL',
      { ...slashCommand, response_url: 'nope' },
      'The slash command: response_url must be an http(s) URL',
    ],
    [
      'a slash command that also carries an event field',
      { ...slashCommand, event: 'x' },
      'The slash command: event is not expected here',
    ],
    ['an ssl_check of another value', { ssl_check: '0' }, 'ssl_check must be "1".'],
    ['a body without a type', { token: 'x' }, 'The payload has no type.'],
    [
      'a url_verification without its challenge',
      { type: 'url_verification' },
      'url_verification: challenge must be a non-empty string',
    ],
    [
      'a block_actions payload whose user is a string',
      { ...blockActions, user: 'U0APPROVER' },
      'block_actions: user must be an object',
    ],
    [
      'a block_actions payload with no actions',
      { ...blockActions, actions: [] },
      'block_actions: actions must hold at least 1 item',
    ],
    [
      'a block_actions payload whose action_id is a number',
      { ...blockActions, actions: [{ ...blockActions.actions[0], action_id: 7 }] },
      'block_actions: actions[0].action_id must be a string',
    ],
    [
      'a block_actions payload whose team is a string',
      { ...blockActions, team: 'T0GREENLT' },
      'block_actions: team must be an object',
    ],
    [
      'a block_actions payload whose message ts is not a Slack timestamp',
      { ...blockActions, message: { ts: '2026-13-45' } },
      'block_actions: message.ts must be a Slack timestamp',
    ],
    [
      'a view_submission payload with a number for a text input',
      {
        ...viewSubmission,
        view: { ...viewSubmission.view, state: { values: { title: { title_input: { value: 3 } } } } },
      },
      'view_submission: view.state.values.title.title_input.value must be a string',
    ],
    [
      'a view_submission payload without its view',
      { ...viewSubmission, view: undefined },
      'view_submission: view must be an object',
    ],
    [
      'a view_submission payload with a null response_urls',
      { ...viewSubmission, response_urls: null },
      'view_submission: response_urls must be an array',
    ],
    [
      'a view_closed payload that also carries actions',
      { ...viewClosed, actions: [] },
      'view_closed: actions is not expected here',
    ],
    [
      'a shortcut without its trigger id',
      { ...shortcut, trigger_id: '' },
      'shortcut: trigger_id must be a non-empty string',
    ],
    [
      'a message_action without its channel',
      { ...messageAction, channel: undefined },
      'message_action: channel must be an object',
    ],
    [
      'an event_callback without an event_id',
      { ...eventMessage, event_id: undefined },
      'event_callback: event_id must be a Slack event id',
    ],
    [
      'an event_callback whose event_id would not fit a DynamoDB key',
      { ...eventMessage, event_id: 'E'.repeat(3000) },
      'event_callback: event_id must be a Slack event id',
    ],
    [
      'an event_callback whose event_time is a string',
      { ...eventMessage, event_time: '1763812400' },
      'event_callback: event_time must be seconds since the epoch',
    ],
    [
      'an event_callback whose event is a list',
      { ...eventMessage, event: [eventMessage.event] },
      'event_callback: event must be an object',
    ],
    [
      'a message event in a channel that is null',
      { ...eventMessage, event: { ...eventMessage.event, channel: null } },
      'event_callback: event.channel must be a channel id or a channel object',
    ],
    [
      'a message event with a thread_ts that is no timestamp',
      { ...eventMessage, event: { ...eventMessage.event, thread_ts: '-1' } },
      'event_callback: event.thread_ts must be a Slack timestamp',
    ],
    [
      'an event_callback whose authorizations hold a string',
      { ...eventMessage, authorizations: ['U0GLBOT'] },
      'event_callback: authorizations[0] must be an object',
    ],
  ])('refuses %s, naming the field', (_name, body, problem) => {
    expect(checkPayloadShape(copy(body) as Record<string, unknown>)).toEqual({ ok: false, problem });
  });

  it('lets other event types through with only the fields Bolt reads checked', () => {
    const reaction = {
      ...eventMessage,
      event: {
        type: 'reaction_added',
        user: 'U0APPROVER',
        reaction: 'tada',
        item: { type: 'message', channel: 'C0APPROVAL', ts: '1763812345.000200' },
        event_ts: '1763812400.000400',
      },
    };
    expect(checkPayloadShape(reaction)).toEqual({ ok: true, kind: 'event_callback' });
  });

  it.each(['app_rate_limited', 'block_suggestion', 'interactive_message'])(
    'marks a well-formed %s payload, which the app does not serve, as ignored',
    (type) => {
      expect(checkPayloadShape({ type, team_id: 'T0GREENLT' })).toEqual({ ok: true, kind: 'ignored', type });
    },
  );
});
