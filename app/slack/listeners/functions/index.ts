import type { App } from '@slack/bolt';
import { REQUEST_APPROVAL_STEP } from '../../action-ids';
import { type RequestStepDeps, requestApprovalStep } from './request-approval-step';

/** Workflow Builder's custom steps (manifest.json `functions`), through Bolt's custom-function support. */
export function register(app: App, deps: RequestStepDeps): void {
  // Acknowledged at once: the step's outcome comes much later, from the approval workflow.
  app.function(REQUEST_APPROVAL_STEP, { autoAcknowledge: true }, requestApprovalStep(deps));
}
