import { describe, expect, it } from '@jest/globals';
import { type Approval, HOME_LIMITS, type HomeReader, homeContents } from '../../../app/approvals';
import { HOME_MAX_BLOCKS, homeView } from '../../../app/slack/views/home-view';

const RITA = 'U0REQUESTR';
const ANA = 'U0APPROVER';

function approval(index: number, overrides: Partial<Approval> = {}): Approval {
  const created = new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString();
  return {
    id: `GL-${String(index).padStart(6, '0')}`,
    status: 'PENDING',
    title: `Request ${index} `.repeat(10).trim(),
    requester: RITA,
    approvers: [ANA],
    channelId: 'C0APPROVAL',
    createdAt: created,
    expiresAt: '2026-02-01T00:00:00.000Z',
    timeoutSeconds: 86_400,
    email: false,
    ...overrides,
  };
}

const closed = (index: number) =>
  approval(index, {
    status: 'REJECTED',
    decider: ANA,
    comment: 'Not now',
    decidedAt: '2026-01-02T00:00:00.000Z',
  });

/** A reader over fixed lists, as the indexes would answer. */
function reader(lists: { waiting?: Approval[]; mine?: Approval[]; recent?: Approval[] }): HomeReader {
  return {
    waitingFor: async () => lists.waiting ?? [],
    openRequestsOf: async () => lists.mine ?? [],
    recentlyDecidedFor: async (_user, limit) => (lists.recent ?? []).slice(0, limit),
  };
}

describe('the App Home view', () => {
  it('stays within Block Kit’s 100 blocks however many requests there are, and says how many more', async () => {
    const many = Array.from({ length: 100 }, (_, index) => approval(index));
    const contents = await homeContents(
      reader({ waiting: many, mine: many, recent: Array.from({ length: 40 }, (_, index) => closed(index)) }),
      ANA,
      { notice: 'Something happened' },
    );

    const view = homeView(contents);

    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    const actionIds = [...JSON.stringify(view.blocks).matchAll(/"action_id":"([^"]+)"/g)].map(([, id]) => id);
    expect(new Set(actionIds).size).toBe(actionIds.length);
    expect(contents.waiting).toHaveLength(HOME_LIMITS.waiting);
    expect(contents.recent).toHaveLength(HOME_LIMITS.recent);
    expect(JSON.stringify(view.blocks)).toContain('…and 75 more wait for you');
    expect(JSON.stringify(view.blocks)).toContain('…and 85 more of yours are open');
  });

  it('lists what waits oldest first, with the message’s own Approve and Reject… buttons', async () => {
    const view = homeView(await homeContents(reader({ waiting: [approval(1), approval(2)] }), ANA));

    const actions = view.blocks.filter((block) => block.block_id?.startsWith('home_decide_'));
    expect(actions.map((block) => block.block_id)).toEqual([
      'home_decide_GL-000001',
      'home_decide_GL-000002',
    ]);
    expect(JSON.stringify(actions[0])).toMatch(/approval_approve.*approval_reject/);
  });

  it('places the request that changed by its current state, whatever the lagging index still says', async () => {
    const decided = closed(7);

    const contents = await homeContents(reader({ waiting: [approval(7)], mine: [] }), ANA, {
      changed: decided,
    });

    expect(contents.waiting).toEqual([]);
    expect(contents.recent.map((item) => item.id)).toEqual([decided.id]);
    expect(JSON.stringify(homeView(contents).blocks)).toContain('*Rejected* by <@U0APPROVER>');
  });

  it('adds a request just created to its approver’s list before the index has it', async () => {
    const created = approval(9);

    const contents = await homeContents(reader({}), ANA, { changed: created });

    expect(contents.waiting.map((item) => item.id)).toEqual([created.id]);
    expect(contents.mine).toEqual([]);
  });

  it('shows the tally of a closed quorum request in Recently decided, and none for a single decision', async () => {
    const quorum = approval(3, {
      status: 'APPROVED',
      decider: 'U0APPROVR2',
      decidedAt: '2026-01-02T00:00:00.000Z',
      need: 2,
      votes: [
        { voter: ANA, decision: 'approve', at: '2026-01-01T12:00:00.000Z', via: 'slack' },
        { voter: 'U0APPROVR2', decision: 'approve', at: '2026-01-02T00:00:00.000Z', via: 'email' },
      ],
    });

    const text = JSON.stringify(
      homeView(await homeContents(reader({ recent: [quorum, closed(4)] }), ANA)).blocks,
    );

    expect(text).toContain('*Approved 2 of 2* — ✓ <@U0APPROVER>, ✓ <@U0APPROVR2> by e-mail');
    expect(text.match(/Approved \d of/g)).toHaveLength(1);
  });
});
