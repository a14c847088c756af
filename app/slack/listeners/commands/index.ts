import type { App } from '@slack/bolt';
import { type CommandRunner, greenlightCommand } from './greenlight-command';

export function register(app: App, deps: { runCommand?: CommandRunner | undefined }): void {
  app.command('/greenlight', greenlightCommand(deps.runCommand));
}
