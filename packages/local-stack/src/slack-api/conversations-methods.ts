import { conversationObject } from './conversation-object';
import { compareTs } from './message-ts';
import type { MethodHandler } from './method-context';
import { paginate } from './pagination';
import { SlackApiError } from './slack-api-error';

/** Slack refuses to open a group DM of more than 8 people. */
const MAX_GROUP_DM_USERS = 8;

function withinBounds(
  ts: string,
  oldest: string | undefined,
  latest: string | undefined,
  inclusive: boolean,
): boolean {
  const afterOldest =
    oldest === undefined || (inclusive ? compareTs(ts, oldest) >= 0 : compareTs(ts, oldest) > 0);
  const beforeLatest =
    latest === undefined || (inclusive ? compareTs(ts, latest) <= 0 : compareTs(ts, latest) < 0);
  return afterOldest && beforeLatest;
}

const history: MethodHandler = (args, { workspace }) => {
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: false });
  const oldest = args.string('oldest');
  const latest = args.string('latest');
  const inclusive = args.boolean('inclusive');
  const newestFirst = workspace
    .topLevel(channel.id)
    .filter((message) => withinBounds(message.ts, oldest, latest, inclusive))
    .reverse();
  const page = paginate(newestFirst, args, 100);
  return {
    messages: page.items,
    has_more: page.responseMetadata !== undefined,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    ...(page.responseMetadata !== undefined ? { response_metadata: page.responseMetadata } : {}),
  };
};

const replies: MethodHandler = (args, { workspace }) => {
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: false });
  const ts = args.requiredString('ts');
  const thread = workspace.thread(channel.id, ts);
  const [root, ...rest] = thread;
  const oldest = args.string('oldest');
  const latest = args.string('latest');
  const inclusive = args.boolean('inclusive');
  // Slack always returns the root first, then the replies inside the requested bounds.
  const inBounds = rest.filter((message) => withinBounds(message.ts, oldest, latest, inclusive));
  const page = paginate(root === undefined ? inBounds : [root, ...inBounds], args, 1000);
  return {
    messages: page.items,
    has_more: page.responseMetadata !== undefined,
    ...(page.responseMetadata !== undefined ? { response_metadata: page.responseMetadata } : {}),
  };
};

const open: MethodHandler = (args, { workspace }) => {
  const existingId = args.string('channel');
  const userList = args.string('users');
  let opened: ReturnType<typeof workspace.openDm>;
  if (existingId !== undefined) {
    const channel = workspace.channel(existingId);
    if (channel === undefined || (channel.kind !== 'im' && channel.kind !== 'mpim')) {
      throw new SlackApiError('channel_not_found');
    }
    opened = { channel, created: false };
  } else {
    const botUserId = workspace.identity.botUserId;
    const userIds = (userList ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '' && id !== botUserId);
    if (userIds.length === 0) throw new SlackApiError('users_list_not_supplied');
    if (userIds.length > MAX_GROUP_DM_USERS) throw new SlackApiError('too_many_users');
    const [onlyUser] = userIds;
    opened =
      userIds.length === 1 && onlyUser !== undefined
        ? workspace.openDm(onlyUser)
        : workspace.openGroupDm(userIds);
  }
  const channel = args.boolean('return_im') ? conversationObject(opened.channel) : { id: opened.channel.id };
  return opened.created ? { channel } : { no_op: true, already_open: true, channel };
};

const info: MethodHandler = (args, { workspace }) => {
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: false });
  return { channel: conversationObject(channel) };
};

/** Slack's page size for `conversations.members`: 100 unless asked, at most 1000. */
const DEFAULT_MEMBERS_LIMIT = 100;
const MAX_MEMBERS_LIMIT = 1000;

const members: MethodHandler = (args, { workspace }) => {
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: false });
  const requested = args.integer('limit');
  const limit =
    requested === undefined || requested <= 0
      ? DEFAULT_MEMBERS_LIMIT
      : Math.min(requested, MAX_MEMBERS_LIMIT);
  const ids = [...channel.memberIds];
  let start = 0;
  const cursor = args.string('cursor');
  if (cursor !== undefined && cursor !== '') {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    start = decoded.startsWith('next_member:') ? ids.indexOf(decoded.slice('next_member:'.length)) : -1;
    if (start < 0) throw new SlackApiError('invalid_cursor');
  }
  const next = ids[start + limit];
  return {
    members: ids.slice(start, start + limit),
    // Slack sends an empty next_cursor on the last page.
    response_metadata: {
      next_cursor: next === undefined ? '' : Buffer.from(`next_member:${next}`).toString('base64'),
    },
  };
};

export const conversationsMethods: Readonly<Record<string, MethodHandler>> = {
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.open': open,
  'conversations.info': info,
  'conversations.members': members,
};
