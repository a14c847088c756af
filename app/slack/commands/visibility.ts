import type { AttributeValue } from '@aws-sdk/client-dynamodb';
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

type Item = Record<string, AttributeValue>;

const stringOf = (value: AttributeValue | undefined) => (value && 'S' in value ? value.S : undefined);
const setOf = (value: AttributeValue | undefined): string[] => {
  if (value === undefined) return [];
  if ('SS' in value && value.SS) return value.SS;
  if ('L' in value && value.L) return value.L.map((entry) => stringOf(entry) ?? '');
  return [];
};

/** Requester and approvers see their requests without asking Slack anything. */
function isParty(item: Item, viewer: string): boolean {
  return stringOf(item.requester) === viewer || setOf(item.approvers).includes(viewer);
}

async function maySee(item: Item, viewer: string, members: ChannelMembers): Promise<boolean> {
  if (isParty(item, viewer)) return true;
  const channelId = stringOf(item.channelId);
  return channelId !== undefined && channelId !== '' && members.includes(channelId, viewer);
}

/** The reply as `viewer` may see it: a request they may not see becomes one that does not exist. */
export async function visibleReply(
  reply: CommandReply,
  viewer: string,
  members: ChannelMembers,
): Promise<CommandReply> {
  switch (reply.kind) {
    case 'status': {
      if (await maySee(reply.item, viewer, members)) return reply;
      return { kind: 'not-found', id: stringOf(reply.item.pk) ?? '' };
    }
    case 'cancel-refused': {
      const { Item } = reply.found;
      if (Item === undefined || (await maySee(Item, viewer, members))) return reply;
      return { ...reply, found: {} };
    }
    case 'list':
      // The workflow lists only the viewer's own requests and those waiting for them; this keeps
      // it so without a Web API call, whatever the indexes return.
      return {
        ...reply,
        mine: reply.mine.filter((item) => isParty(item, viewer)),
        waiting: reply.waiting.filter((item) => isParty(item, viewer)),
      };
    default:
      return reply;
  }
}
