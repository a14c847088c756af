import { eventually } from '@greenlight/local-stack/testing/eventually';
import { describe, expect, it } from '@jest/globals';
import { ANA, APPROVALS_CHANNEL as CHANNEL, RITA, SAM, useTestStack } from '../../helpers/people';

const useStack = useTestStack();

/** The request form most recently opened for `user`, found in the Slack stand-in's views. */
function formOpenedFor(user: string, after: number) {
  return eventually(() =>
    useStack()
      .stack.slack.views()
      .slice(after)
      .find((record) => record.view.callback_id === 'greenlight_request' && record.userId === user),
  );
}

/** A text input's `initial_value` in a view's blocks, by block id. */
function initialValue(blocks: unknown[], blockId: string): unknown {
  const block = blocks.find((candidate) => (candidate as { block_id?: string }).block_id === blockId) as
    | { element?: { initial_value?: unknown } }
    | undefined;
  return block?.element?.initial_value;
}

const formValues = (title: string, details: string) => ({
  title: { title_input: { type: 'plain_text_input', value: title } },
  details: { details_input: { type: 'plain_text_input', value: details } },
  approvers: { approvers_input: { type: 'multi_users_select', selected_users: [ANA] } },
  channel: { channel_input: { type: 'conversations_select', selected_conversation: CHANNEL } },
  timeout: { timeout_input: { type: 'static_select', selected_option: { value: '3600' } } },
  email: { email_input: { type: 'checkboxes', selected_options: [] } },
});

describe('the global shortcut "Request approval"', () => {
  it('opens the empty request form for the person who chose it', async () => {
    const before = useStack().stack.slack.views().length;

    const answer = await useStack().slackCaller.globalShortcut({
      user: RITA,
      callbackId: 'request_approval',
    });

    expect({ status: answer.status, text: answer.text }).toEqual({ status: 200, text: '' });
    const opened = await formOpenedFor(RITA, before);
    expect(initialValue(opened.view.blocks, 'title')).toBeUndefined();
    expect(JSON.parse(opened.view.private_metadata)).toEqual({ channelId: '' });
  });

  it('is refused unsigned, and opens nothing', async () => {
    const before = useStack().stack.slack.views().length;
    const body = new URLSearchParams({
      payload: JSON.stringify({ type: 'shortcut', callback_id: 'request_approval', trigger_id: '1.2.3' }),
    }).toString();

    const answer = await useStack().post('/slack/events', body, {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
      'X-Slack-Signature': `v0=${'0'.repeat(64)}`,
    });

    expect(answer.status).toBe(401);
    expect(useStack().stack.slack.views()).toHaveLength(before);
  });
});

describe('the message shortcut "Request approval for this message"', () => {
  it('opens the form prefilled with the message and its permalink, and the request links back to it', async () => {
    const { message } = useStack().stack.slack.postAsUser({
      userId: SAM,
      channel: CHANNEL,
      text: 'Can we raise the staging budget to 400 €?\nThe load tests need two more nodes & a bigger DB.',
    });
    const before = useStack().stack.slack.views().length;

    const answer = await useStack().slackCaller.messageShortcut({
      user: RITA,
      callbackId: 'request_approval_for_message',
      channel: CHANNEL,
      messageTs: message.ts,
    });

    expect(answer.status).toBe(200);
    const opened = await formOpenedFor(RITA, before);
    const permalink = `${useStack().stack.slack.baseUrl}/archives/${CHANNEL}/p${message.ts.replace('.', '')}`;
    expect(initialValue(opened.view.blocks, 'title')).toBe('Can we raise the staging budget to 400 €?');
    expect(initialValue(opened.view.blocks, 'details')).toBe(
      'Can we raise the staging budget to 400 €?\nThe load tests need two more nodes & a bigger DB.',
    );
    expect(JSON.parse(opened.view.private_metadata)).toEqual({ channelId: CHANNEL, sourceUrl: permalink });
    expect(JSON.stringify(opened.view.blocks)).toContain(`<${permalink}|this message>`);

    const submitted = await useStack().submitView({
      user: RITA,
      callbackId: 'greenlight_request',
      values: formValues('Raise the staging budget', 'Two more nodes.'),
      privateMetadata: opened.view.private_metadata,
    });

    expect(submitted.status).toBe(200);
    const posted = await eventually(() =>
      useStack()
        .stack.slack.messages(CHANNEL)
        .find((candidate) => candidate.text.includes('Raise the staging budget')),
    );
    expect(JSON.stringify(posted.blocks)).toContain(`Requested about <${permalink}|this message>`);
  });

  it('refuses a source that is not a web link, under the details, and starts nothing', async () => {
    const before = useStack().stack.stepFunctions.executions().length;

    const submitted = await useStack().submitView({
      user: RITA,
      callbackId: 'greenlight_request',
      values: formValues('Sneaky', ''),
      privateMetadata: JSON.stringify({ channelId: CHANNEL, sourceUrl: 'javascript:alert(1)' }),
    });

    expect(submitted.json()).toEqual({
      response_action: 'errors',
      errors: { details: 'The source must be an http(s) link of at most 1000 characters.' },
    });
    expect(useStack().stack.stepFunctions.executions()).toHaveLength(before);
  });
});
