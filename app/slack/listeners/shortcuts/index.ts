import type { App } from '@slack/bolt';
import { MESSAGE_SHORTCUT, REQUEST_SHORTCUT } from '../../action-ids';
import {
  globalRequestShortcut,
  messageRequestShortcut,
  type ShortcutArgs,
  type ShortcutDeps,
} from './request-shortcuts';

/** One Bolt listener for both shortcuts, dispatching on callback_id (see ../actions/index.ts for why). */
export function register(app: App, deps: ShortcutDeps): void {
  const handlers: Record<string, (args: ShortcutArgs) => Promise<void>> = {
    [REQUEST_SHORTCUT]: globalRequestShortcut(),
    [MESSAGE_SHORTCUT]: messageRequestShortcut(deps),
  };
  app.shortcut(
    { callback_id: new RegExp(`^(${Object.keys(handlers).join('|')})$`) },
    async function dispatchShortcut(args) {
      await handlers[args.shortcut.callback_id]?.(args);
    },
  );
}
