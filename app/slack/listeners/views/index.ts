import type { App } from '@slack/bolt';
import { APPROVE_VIEW, REJECT_VIEW, REQUEST_VIEW } from '../../action-ids';
import type { ButtonDeps } from '../actions/approval-buttons';
import { decisionSubmission, type ViewArgs } from './reject-submission';
import { type RequestSubmissionDeps, requestSubmission } from './request-submission';

/** One Bolt listener for the app's modals, dispatching on callback_id (see ../actions/index.ts for why). */
export function register(
  app: App,
  deps: { reject?: ButtonDeps | undefined; request?: RequestSubmissionDeps | undefined },
): void {
  const handlers: Record<string, (args: ViewArgs) => Promise<void>> = {};
  if (deps.reject) {
    handlers[REJECT_VIEW] = decisionSubmission(deps.reject, 'reject');
    handlers[APPROVE_VIEW] = decisionSubmission(deps.reject, 'approve');
  }
  if (deps.request) handlers[REQUEST_VIEW] = requestSubmission(deps.request);
  const ids = Object.keys(handlers);
  if (ids.length === 0) return;
  app.view(
    { callback_id: new RegExp(`^(${ids.join('|')})$`), type: 'view_submission' },
    async function dispatchModal(args) {
      await handlers[args.view.callback_id]?.(args as ViewArgs);
    },
  );
}
