import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { ANA, APPROVALS_CHANNEL as CHANNEL, RITA, useTestStack } from '../../helpers/people';

const useStack = useTestStack();

function formValues(overrides: Record<string, unknown> = {}) {
  return {
    title: { title_input: { type: 'plain_text_input', value: 'Order new laptops' } },
    details: { details_input: { type: 'plain_text_input', value: 'Three for the new hires.' } },
    approvers: { approvers_input: { type: 'multi_users_select', selected_users: [ANA] } },
    channel: { channel_input: { type: 'conversations_select', selected_conversation: CHANNEL } },
    timeout: { timeout_input: { type: 'static_select', selected_option: { value: '14400' } } },
    email: { email_input: { type: 'checkboxes', selected_options: [] } },
    ...overrides,
  };
}

describe('/greenlight with no text', () => {
  it('opens the request form, defaulting to the channel it was typed in', async () => {
    const answer = await useStack().slashCommand('', { user: RITA, channel: CHANNEL });
    expect(answer.status).toBe(200);
    const opened = await eventually(() =>
      useStack()
        .stack.slack.views()
        .find((view) => view.view.callback_id === 'greenlight_request' && view.userId === RITA),
    );
    expect(JSON.stringify(opened.view.blocks)).toContain(`"initial_conversation":"${CHANNEL}"`);
  });

  it('starts the same flow on submission: the request is posted and the requester told privately', async () => {
    const submitted = await useStack().submitView({
      user: RITA,
      callbackId: 'greenlight_request',
      values: formValues(),
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const message = await eventually(() =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((candidate) => candidate.text.includes('Order new laptops')),
    );
    expect(JSON.stringify(message.blocks)).toContain('Three for the new hires.');
    const told = await eventually(() =>
      useStack()
        .stack.slack.ephemerals(CHANNEL)
        .find((ephemeral) => ephemeral.user === RITA && ephemeral.text.includes('Order new laptops')),
    );
    expect(told.text).toContain(`Asked <@${ANA}> to approve`);
  });

  it('shows errors under the fields and starts nothing when the form is not right', async () => {
    const before = useStack().stack.stepFunctions.executions().length;
    const submitted = await useStack().submitView({
      user: RITA,
      callbackId: 'greenlight_request',
      values: formValues({
        title: { title_input: { type: 'plain_text_input', value: '   ' } },
        approvers: { approvers_input: { type: 'multi_users_select', selected_users: [RITA] } },
      }),
    });
    expect(submitted.json()).toEqual({
      response_action: 'errors',
      // Every field that is wrong, each under its own field (the domain checks them all at once).
      errors: {
        title: 'Say what needs approval.',
        approvers: 'You cannot approve your own request; name someone else as approver.',
      },
    });
    const onlyMe = await useStack().submitView({
      user: RITA,
      callbackId: 'greenlight_request',
      values: formValues({
        approvers: { approvers_input: { type: 'multi_users_select', selected_users: [RITA] } },
      }),
    });
    expect(onlyMe.json()).toEqual({
      response_action: 'errors',
      errors: { approvers: 'You cannot approve your own request; name someone else as approver.' },
    });
    expect(useStack().stack.stepFunctions.executions()).toHaveLength(before);
  });

  it('shows an error under the timeout, not a failure, when the form sends no valid choice', async () => {
    const submitted = await useStack().submitView({
      user: RITA,
      callbackId: 'greenlight_request',
      values: formValues({
        timeout: { timeout_input: { type: 'static_select', selected_option: { value: '1e300' } } },
      }),
    });
    expect({ status: submitted.status, body: submitted.json() }).toEqual({
      status: 200,
      body: { response_action: 'errors', errors: { timeout: 'Pick how long the request stays open.' } },
    });
  });
});
