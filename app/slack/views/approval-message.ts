import type { KnownBlock } from '@slack/types';
import {
  type Approval,
  type ApprovalOrigin,
  type ApprovalStatus,
  commentRequired,
  type Stage,
  type Vote,
} from '../../approvals';
import { validCorrelationId } from '../../shared/correlation';
import { escapeSlackText } from '../../shared/slack-text';
import { APPROVE_ACTION, APPROVE_COMMENT_ACTION, DECISION_BLOCK, REJECT_ACTION } from '../action-ids';
import { mention, slackDate, slackLink } from './mrkdwn';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const OUTCOME: Record<Exclude<ApprovalStatus, 'PENDING'>, { emoji: string; verb: string }> = {
  APPROVED: { emoji: ':white_check_mark:', verb: 'Approved' },
  REJECTED: { emoji: ':no_entry:', verb: 'Rejected' },
  EXPIRED: { emoji: ':hourglass:', verb: 'Expired' },
  CANCELLED: { emoji: ':heavy_multiplication_x:', verb: 'Cancelled' },
};

/** One line saying how a closed request ended: who, when, and the comment if there was one. */
export function outcomeLine(approval: Approval): string {
  if (approval.status === 'PENDING') return `Waiting for a decision until ${slackDate(approval.expiresAt)}`;
  const { emoji, verb } = OUTCOME[approval.status];
  const when = approval.decidedAt ? ` ${slackDate(approval.decidedAt)}` : '';
  const who =
    approval.status === 'EXPIRED'
      ? ' with no decision'
      : approval.decider
        ? ` by ${mention(approval.decider)}`
        : ' by Greenlight';
  const via = approval.decidedVia === 'email' ? ' (by e-mail)' : '';
  const comment = approval.comment ? `\n> ${escapeSlackText(approval.comment).replace(/\n/g, '\n> ')}` : '';
  return `${emoji} *${verb}*${who}${via}${when}${comment}`;
}

/** The buttons' block id: it carries the request's correlation id, which a click reads back. */
function decisionBlockId(correlationId: string | undefined): string {
  const id = validCorrelationId(correlationId);
  return id === undefined ? DECISION_BLOCK : `${DECISION_BLOCK}:${id}`;
}

/** The request's correlation id from the buttons' block id, if it carries one. */
export function correlationIdOfDecisionBlock(blockId: string | undefined): string | undefined {
  const prefix = `${DECISION_BLOCK}:`;
  return blockId?.startsWith(prefix) ? validCorrelationId(blockId.slice(prefix.length)) : undefined;
}

/**
 * The tally of a request that needs more than one approval: "Approved 1 of 2 — ✓ Ana (comment)",
 * and who is still to decide while it is open. Undefined where one decision decides: the outcome
 * line says who, and the comment.
 */
export function tallyText(approval: Approval): string | undefined {
  if (approval.stages) return stagesText(approval, approval.stages);
  const need = approval.need ?? 1;
  const votes = approval.votes ?? [];
  if (need <= 1) return undefined;
  const approvals = votes.filter((vote) => vote.decision === 'approve').length;
  const marks = votes.map((vote) => {
    const mark = vote.decision === 'approve' ? '✓' : '✗';
    const via = vote.via === 'email' ? ' by e-mail' : '';
    const comment = vote.comment ? ` (${escapeSlackText(vote.comment).replace(/\n/g, ' ')})` : '';
    return `${mark} ${mention(vote.voter)}${via}${comment}`;
  });
  const lines = [`*Approved ${approvals} of ${need}*${marks.length > 0 ? ` — ${marks.join(', ')}` : ''}`];
  if (approval.status === 'PENDING') {
    const voted = new Set(votes.map((vote) => vote.voter));
    const waiting = approval.approvers.filter(
      (approver) => !voted.has(approver) && (approver !== approval.requester || approval.selfApproval),
    );
    if (waiting.length > 0) lines.push(`Waiting for ${waiting.map(mention).join(', ')}`);
  }
  return lines.join('\n');
}

/**
 * A staged request, one line per stage with its own tally: "Stage 1 · Team lead — approved by Ana ✓",
 * "Stage 2 · Change board — 0 of 2, waiting for Omar, Lee"; a stage not reached yet says so.
 */
function stagesText(approval: Approval, stages: Stage[]): string {
  const current = approval.stage ?? 0;
  return stages
    .map((stage, index) => {
      const head = `*Stage ${index + 1}${stage.name ? ` · ${escapeSlackText(stage.name)}` : ''}*`;
      const votes = (approval.votes ?? []).filter((vote) => (vote.stage ?? 0) === index);
      const approvedBy = votes.filter((vote) => vote.decision === 'approve').map(voteMark);
      const rejectedBy = votes.filter((vote) => vote.decision === 'reject').map(voteMark);
      if (rejectedBy.length > 0) return `${head} — rejected by ${rejectedBy.join(', ')} ✗`;
      if (index < current || (index === current && approval.status === 'APPROVED'))
        return `${head} — approved by ${approvedBy.join(', ')} ✓`;
      const count = `${approvedBy.length} of ${stage.need}`;
      if (index > current) return `${head} — ${count}, waiting for stage ${current + 1}`;
      if (approval.status !== 'PENDING') return `${head} — ${count}, ${approval.status.toLowerCase()}`;
      const voted = new Set(votes.map((vote) => vote.voter));
      const waiting = approval.approvers.filter(
        (approver) => !voted.has(approver) && (approver !== approval.requester || approval.selfApproval),
      );
      const marks = approvedBy.length > 0 ? ` (${approvedBy.join(', ')})` : '';
      return `${head} — ${count}${marks}, waiting${waiting.length > 0 ? ` for ${waiting.map(mention).join(', ')}` : ''}`;
    })
    .join('\n');
}

function voteMark(vote: Vote): string {
  const via = vote.via === 'email' ? ' by e-mail' : '';
  const comment = vote.comment ? ` (${escapeSlackText(vote.comment).replace(/\n/g, ' ')})` : '';
  return `${mention(vote.voter)}${via}${comment}`;
}

/**
 * The approval message in the channel. While pending it carries the Approve and Reject buttons
 * (value = the approval id, nothing secret; block id = the request's correlation id, when given);
 * once closed the same message is updated in place without them, saying who decided and when.
 */
export function approvalMessage(approval: Approval, correlationId?: string): SlackMessage {
  const title = escapeSlackText(approval.title);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: approval.title.slice(0, 150), emoji: true } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Requested by*\n${mention(approval.requester)}` },
        { type: 'mrkdwn', text: `*Approvers*\n${approval.approvers.map(mention).join(', ')}` },
        { type: 'mrkdwn', text: `*Request*\n\`${approval.id}\`` },
        { type: 'mrkdwn', text: `*Open until*\n${slackDate(approval.expiresAt)}` },
      ],
    },
  ];
  if (approval.origin) blocks.push(originBlock(approval.origin));
  if (approval.details) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: escapeSlackText(approval.details).slice(0, 3000) },
    });
  }
  const tally = tallyText(approval);
  if (tally)
    blocks.push({
      type: 'section',
      block_id: 'approval_tally',
      text: { type: 'mrkdwn', text: tally.slice(0, 3000) },
    });
  if (approval.sourceUrl) {
    // The message a message shortcut made this request from.
    blocks.push({
      type: 'context',
      block_id: 'approval_source',
      elements: [
        { type: 'mrkdwn', text: `:link: Requested about ${slackLink(approval.sourceUrl, 'this message')}` },
      ],
    });
  }
  if (approval.status === 'PENDING') {
    blocks.push({
      type: 'actions',
      block_id: decisionBlockId(correlationId),
      elements: [
        commentRequired(approval.requireCommentOn, 'approve')
          ? {
              type: 'button',
              action_id: APPROVE_COMMENT_ACTION,
              style: 'primary',
              text: { type: 'plain_text', text: 'Approve…' },
              value: approval.id,
            }
          : {
              type: 'button',
              action_id: APPROVE_ACTION,
              style: 'primary',
              text: { type: 'plain_text', text: 'Approve' },
              value: approval.id,
            },
        {
          type: 'button',
          action_id: REJECT_ACTION,
          style: 'danger',
          text: { type: 'plain_text', text: 'Reject…' },
          value: approval.id,
        },
      ],
    });
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            (approval.need ?? 1) > 1
              ? `${approval.need} of the approvers named above must approve; any one of them can reject. Reject asks you to confirm.`
              : 'Only the approvers named above can decide. Reject asks you to confirm.',
        },
      ],
    });
    return { text: `Approval needed: ${title} (${approval.id})`, blocks };
  }
  blocks.push(
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: outcomeLine(approval) } },
  );
  return { text: `${OUTCOME[approval.status].verb}: ${title} (${approval.id})`, blocks };
}

/** The note to the requester, in the message's thread (or a DM when there is no message). */
export function requesterNotice(approval: Approval): string {
  return `${mention(approval.requester)} your request *${escapeSlackText(approval.title)}* (\`${approval.id}\`): ${outcomeLine(approval)}`;
}

/** Which system asked and for which artifact: the approver sees what the gate lets through. */
function originBlock(origin: ApprovalOrigin): KnownBlock {
  const parts = [`:gear: Requested through *${escapeSlackText(origin.system)}*`];
  const { artifact } = origin;
  if (artifact) {
    const ref = artifact.ref ? ` ${escapeSlackText(artifact.ref)}` : '';
    const digest = `\`${escapeSlackText(artifact.digest)}\``;
    const named = artifact.url ? `<${artifact.url}|${digest}>` : digest;
    parts.push(`${artifact.kind}${ref} ${named}`);
  }
  if (origin.link) parts.push(`<${origin.link}|run>`);
  return { type: 'context', elements: [{ type: 'mrkdwn', text: parts.join(' · ').slice(0, 3000) }] };
}
