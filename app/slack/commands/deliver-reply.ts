import type { WebClient } from '@slack/web-api';
import { type CommandReply, renderReply } from '../views/command-reply';
import { type ChannelMembers, visibleReply } from './visibility';

/** Where a late reply goes: the command's response_url, or an ephemeral message for a modal. */
export interface ReplyAddress {
  responseUrl?: string;
  channelId: string;
  userId: string;
}

export interface DeliverReplyDeps {
  slack: WebClient;
  /** The same visibility rule as the synchronous answer: a late reply must not show more. */
  members: ChannelMembers;
  fetch?: typeof fetch;
}

/**
 * Delivers a reply the listener could not wait for. `replace_original` swaps the "working on it"
 * message for the answer, so delivering twice (a retry, or a reply right at the deadline) shows
 * one answer, not two.
 */
export async function deliverReply(
  deps: DeliverReplyDeps,
  reply: CommandReply,
  to: ReplyAddress,
): Promise<void> {
  const message = renderReply(await visibleReply(reply, to.userId, deps.members), to.userId);
  if (to.responseUrl) {
    const response = await (deps.fetch ?? fetch)(to.responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ ...message, replace_original: true }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
    return;
  }
  await deps.slack.chat.postEphemeral({ channel: to.channelId, user: to.userId, ...message });
}
