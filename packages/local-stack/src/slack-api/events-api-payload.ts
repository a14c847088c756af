import { randomBytes } from 'node:crypto';
import type { ChannelRecord, SlackMessage } from './types';
import { type AppIdentity, channelType } from './workspace';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomAlphanumeric(length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

/** Event ids look like Slack's (`Ev0AB12CD34E`). */
export function newEventId(): string {
  return `Ev${randomAlphanumeric(10)}`;
}

/**
 * The `event_callback` envelope around an event, as Slack sends every Events API delivery: the
 * app's team, one authorization (the bot's) and the event's id and time. `fields` adds what one kind
 * of delivery carries beside these (the context team of a channel event, say).
 */
export function eventCallback(
  identity: AppIdentity,
  event: Record<string, unknown>,
  eventId: string,
  eventTimeSeconds: number,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    token: randomAlphanumeric(24),
    team_id: identity.teamId,
    api_app_id: identity.appId,
    ...fields,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: eventTimeSeconds,
    authorizations: [
      {
        enterprise_id: null,
        team_id: identity.teamId,
        user_id: identity.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** The `event_callback` envelope Slack sends for a `message` event in `channel`. */
export function messageEventCallback(
  identity: AppIdentity,
  channel: ChannelRecord,
  message: SlackMessage,
  eventId: string,
  eventTimeSeconds: number,
): Record<string, unknown> {
  const event = {
    type: 'message',
    user: message.user,
    text: message.text,
    ts: message.ts,
    team: message.team,
    ...(message.client_msg_id !== undefined ? { client_msg_id: message.client_msg_id } : {}),
    ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
    ...(message.thread_ts !== undefined ? { thread_ts: message.thread_ts } : {}),
    ...(message.parent_user_id !== undefined ? { parent_user_id: message.parent_user_id } : {}),
    channel: channel.id,
    channel_type: channelType(channel.kind),
    event_ts: message.ts,
  };
  return eventCallback(identity, event, eventId, eventTimeSeconds, {
    context_team_id: identity.teamId,
    context_enterprise_id: null,
    event_context: `4-${randomBytes(24).toString('base64url')}`,
  });
}
