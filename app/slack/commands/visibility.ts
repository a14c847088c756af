import type { Approval } from '../../approvals';
import type { CommandReply } from '../views/command-reply';

/**
 * Who may see a request: its requester, its approvers, and the members of the channel it was
 * posted in. Ids are short enough to guess, so anyone else gets exactly the answer an unknown id
 * gets, and a request made in a private channel shows nowhere else.
 */

/** The one Web API method this needs; `WebClient` has it. */
export interface MembersClient {
  conversations: {
    members(args: { channel: string; limit?: number }): Promise<{
      members?: string[];
      response_metadata?: { next_cursor?: string };
    }>;
  };
}

export interface ChannelMembers {
  includes(channelId: string, userId: string): Promise<boolean>;
}

/** How long a channel's member list is trusted; someone removed from a channel loses sight this late. */
export const MEMBERS_TTL_MS = 30_000;
/** The largest page Slack gives; one call per command, so only this many members are ever read. */
const MEMBERS_PAGE = 1000;
const MAX_CACHED_CHANNELS = 500;

/** `conversations.members`, one call at most per channel per TTL, cached for the container's life. */
export function cachedChannelMembers(
  client: MembersClient,
  options: { ttlMs?: number; now?: () => number } = {},
): ChannelMembers {
  const ttlMs = options.ttlMs ?? MEMBERS_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; members: Promise<ReadonlySet<string>> }>();

  const load = async (channelId: string): Promise<ReadonlySet<string>> => {
    try {
      const page = await client.conversations.members({ channel: channelId, limit: MEMBERS_PAGE });
      // A channel past one page is read only in part: someone beyond it is answered as a non-member
      // (the safe side), since a command may make one Web API call at most.
      return new Set(page.members ?? []);
    } catch (error) {
      // The bot is not in that private channel (or it is gone): nobody is seen as its member.
      if ((error as { data?: { error?: unknown } }).data?.error === 'channel_not_found') return new Set();
      throw error;
    }
  };

  return {
    async includes(channelId, userId) {
      const cached = cache.get(channelId);
      if (cached !== undefined && now() - cached.at < ttlMs) return (await cached.members).has(userId);
      const entry = { at: now(), members: load(channelId) };
      cache.delete(channelId);
      if (cache.size >= MAX_CACHED_CHANNELS) cache.delete(cache.keys().next().value ?? '');
      cache.set(channelId, entry);
      // A failed call is not remembered: the next command asks Slack again.
      entry.members.catch(() => {
        if (cache.get(channelId) === entry) cache.delete(channelId);
      });
      return (await entry.members).has(userId);
    },
  };
}

/** Requester and approvers see their requests without asking Slack anything. */
function isParty(approval: Approval, viewer: string): boolean {
  return approval.requester === viewer || approval.approvers.includes(viewer);
}

async function maySee(approval: Approval, viewer: string, members: ChannelMembers): Promise<boolean> {
  if (isParty(approval, viewer)) return true;
  return approval.channelId !== '' && members.includes(approval.channelId, viewer);
}

/** The reply as `viewer` may see it: a request they may not see becomes one that does not exist. */
export async function visibleReply(
  reply: CommandReply,
  viewer: string,
  members: ChannelMembers,
): Promise<CommandReply> {
  switch (reply.kind) {
    case 'status':
      if (await maySee(reply.approval, viewer, members)) return reply;
      return { kind: 'not-found', id: reply.approval.id };
    case 'cancel-refused':
      if (reply.found === undefined || (await maySee(reply.found, viewer, members))) return reply;
      return { ...reply, found: undefined };
    case 'list':
      // The workflow lists only the viewer's own requests and those waiting for them; this keeps
      // it so without a Web API call, whatever the indexes return.
      return {
        ...reply,
        mine: reply.mine.filter((approval) => isParty(approval, viewer)),
        waiting: reply.waiting.filter((approval) => isParty(approval, viewer)),
      };
    default:
      return reply;
  }
}
