import type { App } from '@slack/bolt';
import { type GreenlightCommandDeps, greenlightCommand } from './greenlight-command';

export function register(app: App, deps: GreenlightCommandDeps): void {
  app.command('/greenlight', greenlightCommand(deps));
}
