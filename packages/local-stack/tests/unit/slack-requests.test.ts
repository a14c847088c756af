import { describe, expect, it } from '@jest/globals';
import {
  actionDetails,
  blockIdOf,
  ChoiceError,
  findElement,
  findElementByActionId,
  stateValue,
} from '../../src/slack-requests/block-elements';
import {
  appInstall,
  blockActionsPayload,
  slashCommandForm,
  viewSubmissionPayload,
} from '../../src/slack-requests/interaction-payloads';
import blockActionsFixture from '../fixtures/slack/block-actions.json';
import slashCommandFixture from '../fixtures/slack/slash-command.json';
import viewSubmissionFixture from '../fixtures/slack/view-submission.json';

const app = appInstall({ id: 'T0GREENLT', name: 'Greenlight Local' }, 'A0GREENLT');
const rita = { id: 'U0REQUESTR', name: 'rita' };
const approvals = { id: 'C0APPROVAL', name: 'approvals' };

const priority = {
  type: 'static_select',
  action_id: 'priority_select',
  options: [
    { text: { type: 'plain_text', text: 'Low' }, value: 'low' },
    { text: { type: 'plain_text', text: 'High' }, value: 'high' },
  ],
};
const blocks = [
  { type: 'header', text: { type: 'plain_text', text: 'Approval requested' } },
  {
    type: 'actions',
    block_id: 'decision',
    elements: [
      {
        type: 'button',
        action_id: 'approval_approve',
        style: 'primary',
        text: { type: 'plain_text', text: 'Approve' },
        value: 'GL-1',
      },
    ],
  },
  { type: 'input', label: { type: 'plain_text', text: 'Priority' }, element: priority },
];

describe("Slack's requests, as the stack builds them", () => {
  it('names the team domain after the team', () => {
    expect(app).toEqual({ teamId: 'T0GREENLT', teamDomain: 'greenlight-local', appId: 'A0GREENLT' });
  });

  it('sends a slash command with every field Slack sends', () => {
    const form = new URLSearchParams(
      slashCommandForm(app, {
        command: '/greenlight',
        text: 'request Deploy & ship',
        user: rita,
        channel: approvals,
        responseUrl: 'http://127.0.0.1/response-url/x',
        triggerId: '1.2.abc',
      }),
    );

    expect([...form.keys()].sort()).toEqual(Object.keys(slashCommandFixture).sort());
    expect(form.get('text')).toBe('request Deploy & ship');
    expect(form.get('user_id')).toBe('U0REQUESTR');
  });

  it('sends a click in a message with the fields of a recorded block_actions payload', () => {
    const found = findElement(blocks, 'decision', 'approval_approve');
    if (found === undefined) throw new Error('the button is in the blocks');

    const payload = blockActionsPayload(app, {
      user: rita,
      container: {
        type: 'message',
        channel: approvals,
        messageTs: '1763812345.000200',
        message: { type: 'message', ts: '1763812345.000200', text: 'x', blocks },
        isEphemeral: false,
        responseUrl: 'http://127.0.0.1/response-url/y',
      },
      action: actionDetails(found),
      triggerId: '1.2.def',
    });

    expect(Object.keys(payload).sort()).toEqual(Object.keys(blockActionsFixture).sort());
    expect(payload.actions).toEqual([
      {
        action_id: 'approval_approve',
        block_id: 'decision',
        type: 'button',
        text: { type: 'plain_text', text: 'Approve' },
        value: 'GL-1',
        style: 'primary',
        action_ts: expect.stringMatching(/^\d+\.\d{6}$/),
      },
    ]);
    expect(payload.container).toEqual({
      type: 'message',
      message_ts: '1763812345.000200',
      channel_id: 'C0APPROVAL',
      is_ephemeral: false,
    });
  });

  it('leaves the message out of a click on an ephemeral message, as Slack does', () => {
    const payload = blockActionsPayload(app, {
      user: rita,
      container: {
        type: 'message',
        channel: approvals,
        messageTs: '1.2',
        message: undefined,
        isEphemeral: true,
        responseUrl: 'http://127.0.0.1/response-url/z',
      },
      action: { type: 'button', action_id: 'a', block_id: 'b' },
      triggerId: 't',
    });

    expect(payload).not.toHaveProperty('message');
    expect(payload.container).toMatchObject({ is_ephemeral: true });
  });

  it("sends a modal's submission with the view Slack would send and its state values", () => {
    const payload = viewSubmissionPayload(app, {
      user: rita,
      view: { id: 'V0001', callback_id: 'approval_request', private_metadata: 'C0APPROVAL' },
      stateValues: { title: { title_input: { type: 'plain_text_input', value: 'Deploy' } } },
      triggerId: 't',
    });
    const view = payload.view as Record<string, unknown>;

    expect(Object.keys(payload).sort()).toEqual(Object.keys(viewSubmissionFixture).sort());
    expect(Object.keys(view).sort()).toEqual(
      expect.arrayContaining(Object.keys(viewSubmissionFixture.view).sort()),
    );
    expect(view).toMatchObject({
      id: 'V0001',
      callback_id: 'approval_request',
      private_metadata: 'C0APPROVAL',
      state: { values: { title: { title_input: { type: 'plain_text_input', value: 'Deploy' } } } },
    });
  });
});

describe('interactive elements and what people choose in them', () => {
  it('derives the block id Slack gives a block sent without one', () => {
    expect(blockIdOf(blocks[2], 2)).toBe('block-2');
    expect(findElementByActionId(blocks, 'priority_select')?.blockId).toBe('block-2');
  });

  it("takes a select's chosen option from the element, never from the chooser", () => {
    expect(stateValue(priority, { value: 'high' })).toEqual({
      type: 'static_select',
      selected_option: { text: { type: 'plain_text', text: 'High' }, value: 'high' },
    });
    expect(() => stateValue(priority, { value: 'urgent' })).toThrow(ChoiceError);
  });

  it('shapes each element type as Slack does, empty values as null', () => {
    expect(stateValue({ type: 'plain_text_input' }, {})).toEqual({ type: 'plain_text_input', value: null });
    expect(stateValue({ type: 'multi_users_select' }, { values: ['U1', 'U2'] })).toEqual({
      type: 'multi_users_select',
      selected_users: ['U1', 'U2'],
    });
    expect(stateValue({ type: 'datepicker' }, { value: '2026-11-22' })).toEqual({
      type: 'datepicker',
      selected_date: '2026-11-22',
    });
    expect(stateValue({ type: 'datetimepicker' }, { value: '1763812345' })).toEqual({
      type: 'datetimepicker',
      selected_date_time: 1763812345,
    });
    expect(() => stateValue({ type: 'image' }, {})).toThrow(ChoiceError);
  });
});
