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
export { type DecideDeps, type DecideInput, type DecideResult, decide, updateOf } from './decide';
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
  type ApprovalOrigin,
  type ApprovalStatus,
  type ApproverGroup,
  ARTIFACT_KINDS,
  type Artifact,
  type ArtifactKind,
  type Decision,
  type DecisionOutput,
  type GateCallback,
  type GitHubCallback,
  MAX_COMMENT_LENGTH,
  type PipelineCallback,
  type Stage,
  type TrailEntry,
  type Vote,
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
export { commentRequired, type DecisionPolicy, type Refusal, refusalFor } from './policy';
export type { ApprovalStore, ApprovalUpdate, CloseOutHandoff, TaskCallbacks, UpdateEvents } from './ports';
export { APPROVALS_TABLE, approvalFromRow, RECORD_ATTRIBUTES } from './record';
export type {
  ApprovalNotifier,
  ChannelDirectory,
  Delivery,
  GateCallbacks,
  PersonDirectory,
} from './workflow-ports';
export {
  STEP_DEFAULT_TIMEOUT_HOURS,
  type StepCompletions,
  type StepInputs,
  type StepOutputs,
  type StepResult,
  stepRequest,
  stepResult,
} from './workflow-step';
