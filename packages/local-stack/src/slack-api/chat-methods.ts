import { readSentContent, requireShowable } from './message-content';
import type { MethodHandler } from './method-context';
import { SlackApiError } from './slack-api-error';

const postMessage: MethodHandler = (args, { workspace }) => {
  // Like Slack, a user id as `channel` means the bot's DM with that user.
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: true });
  const content = requireShowable(readSentContent(args));
  const message = workspace.postAsBot(
    channel.id,
    content,
    args.string('thread_ts'),
    args.boolean('reply_broadcast'),
  );
  return { channel: channel.id, ts: message.ts, message };
};

const update: MethodHandler = (args, { workspace }) => {
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: false });
  const ts = args.requiredString('ts');
  const sent = readSentContent(args);
  if (sent.text === undefined && sent.blocks === undefined && sent.attachments === undefined) {
    throw new SlackApiError('no_text');
  }
  const message = workspace.update(
    channel.id,
    ts,
    { text: sent.text, blocks: sent.blocks, attachments: sent.attachments, metadata: sent.metadata },
    true,
  );
  return { channel: channel.id, ts, text: message.text, message };
};

const postEphemeral: MethodHandler = (args, { workspace }) => {
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: false });
  const user = workspace.requireUser(args.string('user'));
  if (!channel.memberIds.includes(user.id)) throw new SlackApiError('user_not_in_channel');
  const content = requireShowable(readSentContent(args));
  const ephemeral = workspace.postEphemeral({
    channel: channel.id,
    user: user.id,
    text: content.text,
    blocks: content.blocks,
    threadTs: args.string('thread_ts'),
    source: 'chat.postEphemeral',
  });
  return { message_ts: ephemeral.ts };
};

const deleteMessage: MethodHandler = (args, { workspace }) => {
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: false });
  const ts = args.requiredString('ts');
  workspace.delete(channel.id, ts, true);
  return { channel: channel.id, ts };
};

const getPermalink: MethodHandler = (args, { workspace, baseUrl }) => {
  const channel = workspace.resolveChannel(args.string('channel'), { userIdOpensDm: false });
  const ts = args.requiredString('message_ts');
  if (workspace.message(channel.id, ts) === undefined) throw new SlackApiError('message_not_found');
  return { channel: channel.id, permalink: `${baseUrl}/archives/${channel.id}/p${ts.replace('.', '')}` };
};

export const chatMethods: Readonly<Record<string, MethodHandler>> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': deleteMessage,
  'chat.getPermalink': getPermalink,
};
