import type { WebClient } from '@slack/web-api';
import type { Approval, ApprovalNotifier, ChannelDirectory, Delivery, PersonDirectory } from '../approvals';
import { scopedCorrelationId } from '../shared/correlation';
import { escapeSlackText } from '../shared/slack-text';
import { approvalMessage, requesterNotice } from './views/approval-message';

/** The Web API's own error code (`not_in_channel`, `channel_not_found`…) or the failure's name. */
export function slackProblem(error: unknown, doing: string): string {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : 'unknown error';
  return `Slack said ${reason} when ${doing}`;
}

export class SlackApprovalNotifier implements ApprovalNotifier {
  constructor(private readonly client: WebClient) {}

  async publish(
    approval: Approval,
  ): Promise<{ ok: true; messageTs: string } | { ok: false; problem: string }> {
    // Posted by the workflow's task, inside the request's correlation id: the buttons carry it.
    const message = approvalMessage(approval, scopedCorrelationId());
    try {
      if (approval.messageTs) {
        // A retried task: the message exists, so bring it up to date instead of posting a twin.
        await this.client.chat.update({ channel: approval.channelId, ts: approval.messageTs, ...message });
        return { ok: true, messageTs: approval.messageTs };
      }
      const posted = await this.client.chat.postMessage({ channel: approval.channelId, ...message });
      if (!posted.ts) return { ok: false, problem: 'Slack returned no message ts' };
      return { ok: true, messageTs: posted.ts };
    } catch (error) {
      return { ok: false, problem: slackProblem(error, `posting the request in <#${approval.channelId}>`) };
    }
  }

  async update(approval: Approval): Promise<Delivery> {
    if (!approval.messageTs) return { ok: true };
    try {
      await this.client.chat.update({
        channel: approval.channelId,
        ts: approval.messageTs,
        ...approvalMessage(approval, scopedCorrelationId()),
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: slackProblem(error, 'updating the request message') };
    }
  }

  async tellRequester(approval: Approval): Promise<Delivery> {
    const text = requesterNotice(approval);
    try {
      // In the request's thread when there is a message; otherwise a direct message.
      await this.client.chat.postMessage(
        approval.messageTs
          ? { channel: approval.channelId, thread_ts: approval.messageTs, text }
          : { channel: approval.requester, text },
      );
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: slackProblem(error, 'telling the requester') };
    }
  }

  async tellRequesterOfProblem(approval: Approval, problem: string): Promise<Delivery> {
    const text = `:warning: Your request \`${approval.id}\` *${escapeSlackText(approval.title)}* is recorded and waiting, but ${escapeSlackText(problem)}. Check \`/greenlight status ${approval.id}\`, invite me to the channel, or cancel with \`/greenlight cancel ${approval.id}\`.`;
    try {
      await this.client.chat.postMessage({ channel: approval.requester, text });
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: slackProblem(error, 'messaging the requester') };
    }
  }
}

/** Names and e-mail addresses from `users.info` (the e-mail needs the users:read.email scope). */
export class SlackPersonDirectory implements PersonDirectory {
  private readonly cache = new Map<string, Promise<{ name: string; email: string | undefined }>>();

  constructor(private readonly client: WebClient) {}

  private lookup(userId: string) {
    let found = this.cache.get(userId);
    if (found === undefined) {
      found = this.client.users.info({ user: userId }).then(
        ({ user }) => ({
          name: user?.profile?.real_name || user?.real_name || user?.name || userId,
          email: user?.profile?.email || undefined,
        }),
        () => ({ name: userId, email: undefined }),
      );
      this.cache.set(userId, found);
    }
    return found;
  }

  async displayName(userId: string): Promise<string> {
    return (await this.lookup(userId)).name;
  }

  async email(userId: string): Promise<string | undefined> {
    return (await this.lookup(userId)).email;
  }
}

/**
 * Channel privacy from `conversations.info` (channels:read, groups:read), remembered for the
 * container's life. A channel Slack will not describe counts as private.
 */
export class SlackChannelDirectory implements ChannelDirectory {
  private readonly cache = new Map<string, Promise<boolean>>();

  constructor(private readonly client: WebClient) {}

  isPrivate(channelId: string): Promise<boolean> {
    let found = this.cache.get(channelId);
    if (found === undefined) {
      found = this.client.conversations.info({ channel: channelId }).then(
        ({ channel }) => channel?.is_private !== false,
        () => {
          this.cache.delete(channelId);
          return true;
        },
      );
      this.cache.set(channelId, found);
    }
    return found;
  }
}
