import type { KnownBlock } from '@slack/types';
import type { Approval, TrailEntry } from '../../approvals';
import { escapeSlackText } from '../../shared/slack-text';
import { outcomeLine, tallyText } from './approval-message';
import { mention, slackDate } from './mrkdwn';

/**
 * What the command workflow answered, as domain values (decoded once from its output by
 * app/slack/commands/workflow-reply.ts), rendered here for Slack.
 */
export type CommandReply =
  | {
      kind: 'requested';
      approval: {
        id: string;
        title: string;
        approvers: string[];
        channelId: string;
        expiresAt: string;
        email: boolean;
      };
    }
  | { kind: 'status'; approval: Approval }
  | { kind: 'not-found'; id: string }
  | { kind: 'list'; mine: Approval[]; waiting: Approval[] }
  | { kind: 'cancelled'; id: string; title: string }
  | { kind: 'cancel-refused'; id: string; found: Approval | undefined }
  | { kind: 'failed'; error: string };

export interface SlackReply {
  response_type: 'ephemeral';
  text: string;
  blocks?: KnownBlock[];
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

function summaryLine(approval: Approval): string {
  return `\`${approval.id}\` *${escapeSlackText(approval.title)}*, from ${mention(approval.requester)}, open until ${slackDate(approval.expiresAt)}`;
}

const TRAIL_VERBS: Record<TrailEntry['kind'], string> = {
  requested: 'requested',
  approved: 'approved',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'cancelled',
  reminded: 'reminded the undecided',
  escalated: 'escalated the request',
  'stage-started': 'started the next stage for',
};

/** One event of the decision trail: when, who, what, how, and the comment. */
function trailLine(entry: TrailEntry): string {
  const who = entry.by ? mention(entry.by) : 'Greenlight';
  const via = entry.via === 'email' ? ' by e-mail' : '';
  const comment = entry.comment ? `: “${escapeSlackText(entry.comment).replace(/\n/g, ' ')}”` : '';
  const to = entry.to?.length ? ` (${entry.to.map(mention).join(', ')})` : '';
  const channel = entry.channel ? ` in <#${entry.channel}>` : '';
  return `• ${slackDate(entry.at)} ${who} ${TRAIL_VERBS[entry.kind]}${to}${channel}${via}${comment}`;
}

function statusReply(approval: Approval): SlackReply {
  const lines = [
    `\`${approval.id}\` *${escapeSlackText(approval.title)}*`,
    `Requested by ${mention(approval.requester)} ${slackDate(approval.createdAt)}; approvers ${approval.approvers.map(mention).join(', ')}`,
    outcomeLine(approval),
  ];
  const tally = tallyText(approval);
  if (tally) lines.push(tally);
  const trail = (approval.trail ?? []).map(trailLine);
  // Slack's section text holds 3,000 characters: the latest events are the ones kept.
  if (trail.length > 0) lines.push('*History*', ...trail.slice(-20));
  if (approval.deliveryProblems?.length) {
    lines.push(`:warning: ${approval.deliveryProblems.map(escapeSlackText).join('; ')}`);
  }
  return {
    response_type: 'ephemeral',
    text: `${approval.id}: ${approval.status}`,
    blocks: [section(lines.join('\n'))],
  };
}

function listReply(mine: Approval[], waiting: Approval[]): SlackReply {
  if (mine.length === 0 && waiting.length === 0) {
    return { response_type: 'ephemeral', text: 'You have no open requests, and none is waiting for you.' };
  }
  const blocks: KnownBlock[] = [];
  if (waiting.length > 0) {
    blocks.push(section(`*Waiting for you (${waiting.length})*\n${waiting.map(summaryLine).join('\n')}`));
  }
  if (mine.length > 0) {
    blocks.push(section(`*Your open requests (${mine.length})*\n${mine.map(summaryLine).join('\n')}`));
  }
  return {
    response_type: 'ephemeral',
    text: `${waiting.length} waiting for you, ${mine.length} of yours open.`,
    blocks,
  };
}

function cancelRefusal(id: string, found: Approval | undefined, viewer: string): string {
  if (found === undefined) return `:warning: There is no request \`${id}\`.`;
  if (found.requester !== viewer)
    return `:warning: Only ${mention(found.requester)}, who asked, can cancel \`${id}\`.`;
  return `:warning: \`${id}\` is no longer pending. ${outcomeLine(found)}`;
}

/** Renders a command workflow reply for the person who ran the command (`viewer`). */
export function renderReply(reply: CommandReply, viewer: string): SlackReply {
  switch (reply.kind) {
    case 'requested': {
      const { approval } = reply;
      const email = approval.email ? ' and e-mailed them links' : '';
      const text = `:hourglass_flowing_sand: Asked ${approval.approvers.map(mention).join(', ')} to approve \`${approval.id}\` *${escapeSlackText(approval.title)}* in <#${approval.channelId}>${email}. Open until ${slackDate(approval.expiresAt)}.`;
      return { response_type: 'ephemeral', text, blocks: [section(text)] };
    }
    case 'status':
      return statusReply(reply.approval);
    case 'not-found':
      return { response_type: 'ephemeral', text: `:warning: There is no request \`${reply.id}\`.` };
    case 'list':
      return listReply(reply.mine, reply.waiting);
    case 'cancelled':
      return {
        response_type: 'ephemeral',
        text: `:heavy_multiplication_x: Cancelled \`${reply.id}\` *${escapeSlackText(reply.title)}*. The approvers will see it closed.`,
      };
    case 'cancel-refused':
      return {
        response_type: 'ephemeral',
        text: cancelRefusal(reply.id, reply.found, viewer),
      };
    case 'failed':
      return {
        response_type: 'ephemeral',
        text: `:warning: Greenlight could not finish that (${escapeSlackText(reply.error)}). Please try again in a moment.`,
      };
  }
}
