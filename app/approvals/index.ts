/**
 * The approvals domain as other features see it: the model, its limits, the decisions and the ports
 * a feature implements (the Slack notifier, say). Nothing here loads an AWS SDK client or Bolt; the
 * adapters in ./adapters are wired by app/functions, which may reach them directly.
 */
export {
  type ApprovalSettings,
  type DecisionSettings,
  readApprovalSettings,
  readDecisionSettings,
} from './config';
export { type DecideDeps, type DecideInput, type DecideResult, decide } from './decide';
export {
  APPROVAL_STATUSES,
  type Approval,
  type ApprovalChange,
  type ApprovalStatus,
  type Decision,
  MAX_COMMENT_LENGTH,
  MAX_DETAILS_LENGTH,
} from './model';
export { type NewApproval, newApproval, type RequestInput } from './new-request';
export { type DecisionPolicy, type Refusal, refusalFor } from './policy';
export type { ApprovalStore, CloseOutHandoff } from './ports';
export { approvalFromRow } from './record-row';
export type { ApprovalNotifier, Delivery, PersonDirectory } from './workflow-ports';
