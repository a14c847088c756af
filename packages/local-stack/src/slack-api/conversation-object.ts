import type { ChannelRecord } from './types';

/** A conversation as `conversations.info` / `conversations.open` return it. */
export function conversationObject(channel: ChannelRecord): Record<string, unknown> {
  if (channel.kind === 'im') {
    return {
      id: channel.id,
      created: channel.created,
      is_im: true,
      is_org_shared: false,
      user: channel.dmUserId,
      is_user_deleted: false,
      is_open: true,
      priority: 0,
    };
  }
  const isChannel = channel.kind === 'public' || channel.kind === 'private';
  const emptyTopic = { value: '', creator: '', last_set: 0 };
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    created: channel.created,
    creator: '',
    is_channel: isChannel,
    is_group: false,
    is_im: false,
    is_mpim: channel.kind === 'mpim',
    is_private: channel.kind !== 'public',
    is_archived: false,
    is_general: channel.name === 'general',
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_member: true,
    num_members: channel.memberIds.length,
    topic: emptyTopic,
    purpose: emptyTopic,
  };
}
