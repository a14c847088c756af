import { describe, expect, it } from '@jest/globals';
import type { Approval } from '../../../app/approvals';
import {
  cachedChannelMembers,
  type MembersClient,
  visibleReply,
} from '../../../app/slack/commands/visibility';
import type { CommandReply } from '../../../app/slack/views/command-reply';

const approval: Approval = {
  id: 'GL-7K3F9Q',
  status: 'PENDING',
  title: 'Budget',
  requester: 'U0RITA',
  approvers: ['U0OMAR'],
  channelId: 'C0PRIVATE',
  createdAt: '2026-11-22T12:00:00.000Z',
  expiresAt: '2026-11-22T13:00:00.000Z',
  timeoutSeconds: 3600,
  email: false,
};
const status: CommandReply = { kind: 'status', approval };

/** A unit-test double for conversations.members that counts its calls. */
function fakeSlack(members: Record<string, string[]>) {
  const calls: string[] = [];
  const client: MembersClient = {
    conversations: {
      members: async ({ channel }) => {
        calls.push(channel);
        const found = members[channel];
        if (found === undefined)
          throw Object.assign(new Error('An API error occurred'), { data: { error: 'channel_not_found' } });
        return { members: found };
      },
    },
  };
  return { client, calls };
}

describe('visibleReply', () => {
  it('shows a request to its requester and approvers without asking Slack', async () => {
    const slack = fakeSlack({});
    const members = cachedChannelMembers(slack.client);
    expect(await visibleReply(status, 'U0RITA', members)).toBe(status);
    expect(await visibleReply(status, 'U0OMAR', members)).toBe(status);
    expect(slack.calls).toEqual([]);
  });

  it("shows it to a member of the request's channel, and answers anyone else as for an unknown id", async () => {
    const members = cachedChannelMembers(fakeSlack({ C0PRIVATE: ['U0ANA', 'U0RITA'] }).client);
    expect(await visibleReply(status, 'U0ANA', members)).toBe(status);
    expect(await visibleReply(status, 'U0SAM', members)).toEqual({ kind: 'not-found', id: 'GL-7K3F9Q' });
  });

  it('hides who asked when someone outside the channel tries to cancel', async () => {
    const members = cachedChannelMembers(fakeSlack({ C0PRIVATE: [] }).client);
    const refused: CommandReply = { kind: 'cancel-refused', id: 'GL-7K3F9Q', found: approval };
    expect(await visibleReply(refused, 'U0SAM', members)).toEqual({ ...refused, found: undefined });
  });

  it('sees nobody in a channel the bot cannot read (channel_not_found)', async () => {
    const members = cachedChannelMembers(fakeSlack({}).client);
    expect(await visibleReply(status, 'U0ANA', members)).toEqual({ kind: 'not-found', id: 'GL-7K3F9Q' });
  });
});

describe('cachedChannelMembers', () => {
  it('asks Slack once per channel while the list is fresh, and again once it is stale', async () => {
    let now = 0;
    const slack = fakeSlack({ C1: ['U1'] });
    const members = cachedChannelMembers(slack.client, { ttlMs: 1000, now: () => now });
    await Promise.all([members.includes('C1', 'U1'), members.includes('C1', 'U2')]);
    now = 999;
    expect(await members.includes('C1', 'U1')).toBe(true);
    expect(slack.calls).toEqual(['C1']);
    now = 1000;
    await members.includes('C1', 'U1');
    expect(slack.calls).toEqual(['C1', 'C1']);
  });

  it('does not remember a failed call', async () => {
    let fail = true;
    const calls: number[] = [];
    const members = cachedChannelMembers({
      conversations: {
        members: async () => {
          calls.push(1);
          if (fail) throw new Error('ratelimited');
          return { members: ['U1'] };
        },
      },
    });
    await expect(members.includes('C1', 'U1')).rejects.toThrow('ratelimited');
    fail = false;
    expect(await members.includes('C1', 'U1')).toBe(true);
    expect(calls).toHaveLength(2);
  });
});
