import type { App } from '@slack/bolt';
import type { SlackConfig } from '../../config';
import { lazyReplyRelay } from './lazy-reply-relay';
import { relayThreadReply } from './thread-reply';

export function register(app: App, config: Pick<SlackConfig, 'websocketReplies'>): void {
  const replies = config.websocketReplies;
  // Without the bridge's configuration the Slack function runs as before; message events are acknowledged.
  if (replies === undefined) return;
  app.event(
    'message',
    relayThreadReply({ mirrorChannelId: replies.mirrorChannelId, relay: lazyReplyRelay(replies) }),
  );
}
