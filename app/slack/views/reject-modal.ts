import type { View } from '@slack/types';
import { MAX_COMMENT_LENGTH } from '../../approvals';
import { escapeSlackText } from '../../shared/slack-text';
import { REJECT_VIEW } from '../action-ids';

export const REJECT_COMMENT = { block: 'comment', action: 'comment_input' } as const;

/** Where the reject confirmation came from, so the submission can answer in the right place. */
export interface RejectContext {
  approvalId: string;
  channelId: string;
  messageTs?: string;
  /** The request's, read from the clicked button's block: the submission logs under it too. */
  correlationId?: string;
}

/** Reject asks to confirm, and takes an optional comment for the requester. */
export function rejectModal(context: RejectContext, title: string): View {
  return {
    type: 'modal',
    callback_id: REJECT_VIEW,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: 'Reject request' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `Reject \`${context.approvalId}\` *${escapeSlackText(title)}*?` },
      },
      {
        type: 'input',
        block_id: REJECT_COMMENT.block,
        optional: true,
        label: { type: 'plain_text', text: 'Comment for the requester' },
        element: {
          type: 'plain_text_input',
          action_id: REJECT_COMMENT.action,
          multiline: true,
          max_length: MAX_COMMENT_LENGTH,
        },
      },
    ],
  };
}
