import type { KnownBlock, View } from '@slack/types';
import type { Approval, HomeContents } from '../../approvals';

import { escapeSlackText } from '../../shared/slack-text';
import {
  APPROVE_ACTION,
  HOME_CANCEL_REQUEST,
  HOME_NEW_REQUEST,
  perRequest,
  REJECT_ACTION,
} from '../action-ids';
import { outcomeLine, tallyText } from './approval-message';
import { mention, slackDate } from './mrkdwn';

/** Block Kit's limit for a Home tab; HOME_LIMITS keeps the view under it (checked by a unit test). */
export const HOME_MAX_BLOCKS = 100;

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const heading = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text } });
const note = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

const titleOf = (approval: Approval) => `*${escapeSlackText(approval.title)}* \`${approval.id}\``;

/**
 * Where a request stands while open. The open indexes (OpenByApprover, OpenByRequester) project no
 * votes, and widening a deployed index's projection rebuilds it, so an open request's tally is on
 * its message and in `/greenlight status`; a closed one's is in Recently decided.
 */
function progressLine(approval: Approval): string {
  return `:hourglass_flowing_sand: Pending until ${slackDate(approval.expiresAt)}`;
}

function more(count: number, what: string): KnownBlock[] {
  return count > 0 ? [note(`…and ${count} more ${what}. Type \`/greenlight list\` to see them all.`)] : [];
}

function waitingBlocks(approval: Approval): KnownBlock[] {
  return [
    section(
      `${titleOf(approval)}\nFrom ${mention(approval.requester)} · asked ${slackDate(approval.createdAt)}\n${progressLine(approval)}`,
    ),
    {
      type: 'actions',
      block_id: `home_decide_${approval.id}`,
      elements: [
        {
          type: 'button',
          action_id: perRequest(APPROVE_ACTION, approval.id),
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
          value: approval.id,
        },
        {
          type: 'button',
          action_id: perRequest(REJECT_ACTION, approval.id),
          style: 'danger',
          text: { type: 'plain_text', text: 'Reject…' },
          value: approval.id,
        },
      ],
    },
  ];
}

function mineBlock(approval: Approval): KnownBlock {
  return {
    type: 'section',
    block_id: `home_mine_${approval.id}`,
    text: {
      type: 'mrkdwn',
      text: `${titleOf(approval)}\nApprovers: ${approval.approvers.map(mention).join(', ')}\n${progressLine(approval)}`,
    },
    accessory: {
      type: 'button',
      action_id: perRequest(HOME_CANCEL_REQUEST, approval.id),
      text: { type: 'plain_text', text: 'Cancel' },
      value: approval.id,
      confirm: {
        title: { type: 'plain_text', text: 'Cancel this request?' },
        text: { type: 'plain_text', text: `${approval.title.slice(0, 250)} will be withdrawn.` },
        confirm: { type: 'plain_text', text: 'Cancel it' },
        deny: { type: 'plain_text', text: 'Keep it' },
      },
    },
  };
}

function recentBlock(approval: Approval): KnownBlock {
  const tally = tallyText(approval);
  return section(`${titleOf(approval)}\n${outcomeLine(approval)}${tally ? `\n${tally}` : ''}`.slice(0, 3000));
}

/**
 * A person's App Home: Waiting for you (oldest first, with the same Approve and Reject… as the
 * message), Your requests (with Cancel), and Recently decided (outcome, decider, comment).
 */
export function homeView(contents: HomeContents): View {
  const blocks: KnownBlock[] = [];
  if (contents.notice) blocks.push(section(`:warning: ${escapeSlackText(contents.notice)}`));
  blocks.push({
    type: 'actions',
    block_id: 'home_actions',
    elements: [
      {
        type: 'button',
        action_id: HOME_NEW_REQUEST,
        style: 'primary',
        text: { type: 'plain_text', text: 'New request' },
      },
    ],
  });
  blocks.push(heading('Waiting for you'));
  if (contents.waiting.length === 0) blocks.push(note('Nothing waits for your decision.'));
  for (const approval of contents.waiting) blocks.push(...waitingBlocks(approval));
  blocks.push(...more(contents.waitingMore, 'wait for you'));
  blocks.push({ type: 'divider' }, heading('Your requests'));
  if (contents.mine.length === 0) blocks.push(note('You have no open requests.'));
  for (const approval of contents.mine) blocks.push(mineBlock(approval));
  blocks.push(...more(contents.mineMore, 'of yours are open'));
  blocks.push({ type: 'divider' }, heading('Recently decided'));
  if (contents.recent.length === 0) blocks.push(note('Nothing involving you was decided yet.'));
  for (const approval of contents.recent) blocks.push(recentBlock(approval));
  return { type: 'home', callback_id: 'greenlight_home', blocks };
}
