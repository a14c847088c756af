import type { Approval } from '../approvals';

/**
 * Where a person finds the request in Slack: its message once posted, the channel before. Only ids,
 * never a token: the link goes to other systems (API answers, GitHub comments).
 */
export function slackUrl(approval: Pick<Approval, 'channelId' | 'messageTs'>): string {
  const channel = encodeURIComponent(approval.channelId);
  return approval.messageTs
    ? `https://slack.com/archives/${channel}/p${approval.messageTs.replace('.', '')}`
    : `https://slack.com/app_redirect?channel=${channel}`;
}
