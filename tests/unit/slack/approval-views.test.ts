import { describe, expect, it } from '@jest/globals';
import type { Approval } from '../../../app/approvals/model';
import { decodeWorkflowReply } from '../../../app/slack/commands/workflow-reply';
import { approvalMessage, outcomeLine } from '../../../app/slack/views/approval-message';
import { type CommandReply, renderReply } from '../../../app/slack/views/command-reply';

const approval: Approval = {
  id: 'GL-7K3F9Q',
  status: 'PENDING',
  title: 'Ship <!channel> & <@U0BOSS>',
  details: 'see <https://evil|here>',
  requester: 'U0RITA',
  approvers: ['U0ANA'],
  channelId: 'C1',
  createdAt: '2026-11-22T11:00:00Z',
  expiresAt: '2026-11-22T13:00:00Z',
  timeoutSeconds: 7200,
  email: false,
};

describe('the approval message', () => {
  it('offers Approve and Reject with the approval id as their only value', () => {
    const actions = approvalMessage(approval).blocks.find((block) => block.type === 'actions');
    expect(actions).toEqual(
      expect.objectContaining({
        elements: [
          expect.objectContaining({ action_id: 'approval_approve', value: 'GL-7K3F9Q', style: 'primary' }),
          expect.objectContaining({ action_id: 'approval_reject', value: 'GL-7K3F9Q', style: 'danger' }),
        ],
      }),
    );
  });

  it('escapes what the requester typed in every mrkdwn text, so it cannot mention anyone or fake a link', () => {
    // Header text is plain_text, which Slack never parses for mentions; everything else is mrkdwn.
    const message = approvalMessage(approval);
    const mrkdwn: string[] = [message.text];
    JSON.stringify(message.blocks, (_key, value: unknown) => {
      const object = value as { type?: unknown; text?: unknown };
      if (object?.type === 'mrkdwn' && typeof object.text === 'string') mrkdwn.push(object.text);
      return value;
    });
    const text = mrkdwn.join('\n');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0BOSS>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
  });

  it('drops the buttons once decided and says who decided and when', () => {
    const decided = {
      ...approval,
      status: 'REJECTED' as const,
      decider: 'U0ANA',
      decidedAt: '2026-11-22T12:30:00Z',
      comment: 'no <!here>',
    };
    const message = approvalMessage(decided);
    expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(outcomeLine(decided)).toBe(
      ':no_entry: *Rejected* by <@U0ANA> <!date^1795350600^{date_short_pretty} at {time}|2026-11-22 12:30 UTC>\n> no &lt;!here&gt;',
    );
  });
});

/** The command workflow's raw reply, decoded as the command runner and the task function decode it. */
function decoded(raw: unknown): CommandReply {
  const reply = decodeWorkflowReply(raw);
  if (reply === undefined) throw new Error(`not a workflow reply: ${JSON.stringify(raw)}`);
  return reply;
}

describe('command replies', () => {
  it('explain a refused cancel precisely for the person who asked', () => {
    const item = {
      pk: { S: 'GL-7K3F9Q' },
      status: { S: 'APPROVED' },
      title: { S: 'X' },
      requester: { S: 'U0RITA' },
      decider: { S: 'U0ANA' },
    };
    expect(
      renderReply(decoded({ kind: 'cancel-refused', id: 'GL-7K3F9Q', found: { Item: item } }), 'U0SAM').text,
    ).toBe(':warning: Only <@U0RITA>, who asked, can cancel `GL-7K3F9Q`.');
    expect(
      renderReply(decoded({ kind: 'cancel-refused', id: 'GL-7K3F9Q', found: { Item: item } }), 'U0RITA').text,
    ).toContain('is no longer pending. :white_check_mark: *Approved* by <@U0ANA>');
    expect(renderReply(decoded({ kind: 'cancel-refused', id: 'GL-7K3F9Q', found: {} }), 'U0RITA').text).toBe(
      ':warning: There is no request `GL-7K3F9Q`.',
    );
  });

  it('are decoded from the workflow into approvals, so views never see DynamoDB attribute values', () => {
    const item = {
      pk: { S: 'GL-7K3F9Q' },
      status: { S: 'PENDING' },
      title: { S: 'Deploy' },
      requester: { S: 'U0RITA' },
      approvers: { SS: ['U0SAM', 'U0ANA'] },
      timeoutSeconds: { N: '3600' },
      email: { BOOL: true },
    };
    expect(decoded({ kind: 'status', item })).toEqual({
      kind: 'status',
      approval: expect.objectContaining({
        id: 'GL-7K3F9Q',
        status: 'PENDING',
        approvers: ['U0ANA', 'U0SAM'],
        timeoutSeconds: 3600,
        email: true,
      }),
    });
    expect(decoded({ kind: 'list', mine: [item], waiting: [] })).toEqual({
      kind: 'list',
      mine: [expect.objectContaining({ id: 'GL-7K3F9Q', title: 'Deploy' })],
      waiting: [],
    });
  });

  it('refuse output that is not a reply the workflow gives', () => {
    expect(decodeWorkflowReply(undefined)).toBeUndefined();
    expect(decodeWorkflowReply({ kind: 'status' })).toBeUndefined();
    expect(decodeWorkflowReply({ kind: 'list', mine: 'x', waiting: [] })).toBeUndefined();
    expect(decodeWorkflowReply({ kind: 'something-else' })).toBeUndefined();
  });
});
