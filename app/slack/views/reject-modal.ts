import type { View } from '@slack/types';
import { type Decision, MAX_COMMENT_LENGTH } from '../../approvals';
import { escapeSlackText } from '../../shared/slack-text';
import { APPROVE_VIEW, REJECT_VIEW } from '../action-ids';

export const REJECT_COMMENT = { block: 'comment', action: 'comment_input' } as const;

/** Where the reject confirmation came from, so the submission can answer in the right place. */
export interface RejectContext {
  approvalId: string;
  channelId: string;
  messageTs?: string;
  /** The request's, read from the clicked button's block: the submission logs under it too. */
  correlationId?: string;
  /** Opened from the decider's App Home: the submission answers there (a Home shows no ephemerals). */
  fromHome?: true;
}

/** Reject asks to confirm, and takes a comment for the requester (required where the policy says). */
export function rejectModal(context: RejectContext, title: string, commentRequired = false): View {
  return decisionModal(context, title, 'reject', commentRequired);
}

/**
 * The confirmation of a decision, with its comment: every Reject, and an Approve where the request's
 * policy requires a comment on approvals. The submission decides; the write checks the comment again.
 */
export function decisionModal(
  context: RejectContext,
  title: string,
  decision: Decision,
  commentRequired: boolean,
): View {
  const verb = decision === 'approve' ? 'Approve' : 'Reject';
  return {
    type: 'modal',
    callback_id: decision === 'approve' ? APPROVE_VIEW : REJECT_VIEW,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: `${verb} request` },
    submit: { type: 'plain_text', text: verb },
    close: { type: 'plain_text', text: 'Back' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${verb} \`${context.approvalId}\` *${escapeSlackText(title)}*?` },
      },
      {
        type: 'input',
        block_id: REJECT_COMMENT.block,
        optional: !commentRequired,
        label: {
          type: 'plain_text',
          text: commentRequired
            ? 'Comment (this request’s policy requires one)'
            : 'Comment for the requester',
        },
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
