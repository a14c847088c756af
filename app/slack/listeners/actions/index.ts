import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { APPROVE_ACTION, REJECT_ACTION } from '../../action-ids';
import { approveButton, type ButtonDeps, rejectButton } from './approval-buttons';

export function register(app: App, deps: ButtonDeps): void {
  app.action<BlockAction<ButtonAction>>(APPROVE_ACTION, approveButton(deps));
  app.action<BlockAction<ButtonAction>>(REJECT_ACTION, rejectButton(deps));
}
