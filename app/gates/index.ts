/**
 * Gates: Greenlight as the approval step of other systems. The approvals REST API (API keys or
 * IAM), and the adapters the api function wires. Requests pass the approvals domain's own checks and
 * run the same approval workflow as a request made in Slack.
 */
export { type MintedKey, mintApiKey, parseApiKey, type StoredKey } from './api-keys';
export {
  type ApiDeps,
  handleApprovalsApi,
  handlePipelineNotifications,
  MAX_BODY_BYTES,
  MAX_WAIT_SECONDS,
} from './approvals-api';
export { type ApiConfig, loadApiConfig } from './config';
export { gateCallbacks } from './gate-callbacks';
export { checkGateRequest, type FieldError, type GateRequest } from './gate-request';
export type { ApprovalStarter, Caller, GateStore } from './ports';
export {
  newReceiptSigningKey,
  type PublicJwk,
  type ReceiptCheck,
  type ReceiptKey,
  type ReceiptPayload,
  receiptKeyFrom,
  receiptPayload,
  signReceipt,
  verifyReceipt,
} from './receipts';
