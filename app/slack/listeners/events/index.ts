import type { App } from '@slack/bolt';
import { type HomeOpenedDeps, publishHomeOnOpen } from './home-opened';
import { relayThreadReply, type ThreadReplyOptions } from './thread-reply';

export function register(app: App, replies: ThreadReplyOptions | undefined, home?: HomeOpenedDeps): void {
  if (home !== undefined) app.event('app_home_opened', publishHomeOnOpen(home));
  // Without the bridge's configuration the Slack function runs as before; message events are acknowledged.
  if (replies === undefined) return;
  app.event('message', relayThreadReply(replies));
}
