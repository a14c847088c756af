import type { App } from '@slack/bolt';
import { REJECT_VIEW, REQUEST_VIEW } from '../../action-ids';
import type { ButtonDeps } from '../actions/approval-buttons';
import { rejectSubmission } from './reject-submission';
import { type RequestSubmissionDeps, requestSubmission } from './request-submission';

export function register(
  app: App,
  deps: { reject?: ButtonDeps | undefined; request?: RequestSubmissionDeps | undefined },
): void {
  if (deps.reject) app.view(REJECT_VIEW, rejectSubmission(deps.reject));
  if (deps.request) app.view(REQUEST_VIEW, requestSubmission(deps.request));
}
