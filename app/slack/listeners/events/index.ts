import type { App } from '@slack/bolt';
import { relayThreadReply, type ThreadReplyOptions } from './thread-reply';

export function register(app: App, replies: ThreadReplyOptions | undefined): void {
  // Without the bridge's configuration the Slack function runs as before; message events are acknowledged.
  if (replies === undefined) return;
  app.event('message', relayThreadReply(replies));
}
