/** Every action and view id the app listens for, defined once. */
export const APPROVE_ACTION = 'approval_approve';
export const REJECT_ACTION = 'approval_reject';
/** The modal that asks a rejecting approver to confirm, with an optional comment. */
export const REJECT_VIEW = 'approval_reject_confirm';
/** The request form `/greenlight` opens. */
export const REQUEST_VIEW = 'greenlight_request';
/**
 * The block of the Approve and Reject buttons. Its id also carries the request's correlation id
 * (`approval_decision:<id>`, see views/approval-message.ts), so a click logs under the request's id.
 */
export const DECISION_BLOCK = 'approval_decision';
/** Approve where the request's policy requires a comment: it opens a modal that asks for one. */
export const APPROVE_COMMENT_ACTION = 'approval_approve_comment';
/** The modal that asks an approving approver for their comment. */
export const APPROVE_VIEW = 'approval_approve_confirm';
/** The global shortcut: opens the request form from anywhere in Slack. */
export const REQUEST_SHORTCUT = 'request_approval';
/** The message shortcut: opens the request form about one message, linking back to it. */
export const MESSAGE_SHORTCUT = 'request_approval_for_message';
/** App Home: the "New request" button, and Cancel beside each of the person's open requests. */
export const HOME_NEW_REQUEST = 'home_new_request';
export const HOME_CANCEL_REQUEST = 'home_cancel_request';

/**
 * A Home lists many requests, each with its own buttons; the stand-in (like a strict reading of
 * Block Kit) wants every action_id of a surface unique, so there each carries its request's id
 * after a colon. Listeners match the base id and read the request from the button's value.
 */
export const perRequest = (actionId: string, approvalId: string) => `${actionId}:${approvalId}`;
export const baseActionId = (actionId: string) => actionId.split(':', 1)[0] ?? actionId;
/** The Workflow Builder custom step (manifest.json `functions`). */
export const REQUEST_APPROVAL_STEP = 'request_approval';
