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
