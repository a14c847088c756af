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
  HOME_LIMITS,
  type HomeContents,
  type HomeHistory,
  type HomePublisher,
  type HomeReader,
  type HomeRefreshDeps,
  homeContents,
  peopleConcerned,
  refreshHomes,
} from './home';
export {
  APPROVAL_STATUSES,
  type Approval,
  type ApprovalChange,
  type ApprovalStatus,
  type Decision,
  MAX_COMMENT_LENGTH,
} from './model';
export {
  approverCountError,
  isFunctionExecutionId,
  type NewApproval,
  newApproval,
  REQUEST_LIMITS,
  type RequestCheck,
  type RequestError,
  type RequestField,
  type RequestInput,
  requestErrorText,
  timeoutError,
  titleError,
} from './new-request';
export { type DecisionPolicy, type Refusal, refusalFor } from './policy';
export type { ApprovalStore, CloseOutHandoff } from './ports';
export { APPROVALS_TABLE, approvalFromRow, RECORD_ATTRIBUTES } from './record';
export type { ApprovalNotifier, ChannelDirectory, Delivery, PersonDirectory } from './workflow-ports';
export {
  STEP_DEFAULT_TIMEOUT_HOURS,
  type StepCompletions,
  type StepInputs,
  type StepOutputs,
  type StepResult,
  stepRequest,
  stepResult,
} from './workflow-step';
