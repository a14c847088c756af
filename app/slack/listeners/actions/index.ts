import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import {
  APPROVE_ACTION,
  APPROVE_COMMENT_ACTION,
  baseActionId,
  HOME_CANCEL_REQUEST,
  HOME_NEW_REQUEST,
  REJECT_ACTION,
} from '../../action-ids';
import {
  approveButton,
  approveWithCommentButton,
  type ButtonArgs,
  type ButtonDeps,
  rejectButton,
} from './approval-buttons';
import { cancelFromHomeButton, type HomeButtonDeps, newRequestButton } from './home-buttons';

/**
 * One Bolt listener for both buttons, dispatching on the action id: Bolt runs every registered
 * listener's matchers on every request, slash commands included (about 3.5 µs each, measured by
 * `npm run bench`), so listeners of one kind share one registration.
 */
export function register(app: App, deps: ButtonDeps, home?: HomeButtonDeps): void {
  const handlers: Record<string, (args: ButtonArgs) => Promise<void>> = {
    [APPROVE_ACTION]: approveButton(deps),
    [REJECT_ACTION]: rejectButton(deps),
    [APPROVE_COMMENT_ACTION]: approveWithCommentButton(deps),
    // The App Home's own buttons, where a Home is configured.
    ...(home
      ? { [HOME_NEW_REQUEST]: newRequestButton(), [HOME_CANCEL_REQUEST]: cancelFromHomeButton(home) }
      : {}),
  };
  // A Home's buttons carry their request's id after the base id (see action-ids.ts).
  const actionIds = new RegExp(`^(${Object.keys(handlers).join('|')})(:[A-Z0-9-]{1,32})?$`);
  app.action<BlockAction<ButtonAction>>(
    { action_id: actionIds },
    async function dispatchApprovalButton(args) {
      await handlers[baseActionId(args.action.action_id)]?.(args);
    },
  );
}
