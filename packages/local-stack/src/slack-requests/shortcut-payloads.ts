import type { SlackMessage } from '../slack-api';
import { type AppInstall, type ConversationRef, type Person, slackTimestamp } from './interaction-payloads';

/**
 * Shortcuts as Slack sends them to the interactivity URL: a global one (`shortcut`, from the
 * shortcuts menu) and a message one (`message_action`, from a message's "More actions" menu, with
 * the message and a response_url for its conversation). Pure, like interaction-payloads.ts.
 */

const VERIFICATION_TOKEN = 'deprecated-verification-token';

function common(app: AppInstall, user: Person, callbackId: string, triggerId: string) {
  return {
    token: VERIFICATION_TOKEN,
    action_ts: slackTimestamp(),
    team: { id: app.teamId, domain: app.teamDomain },
    user: { id: user.id, username: user.name, name: user.name, team_id: app.teamId },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: triggerId,
  };
}

export function globalShortcutPayload(
  app: AppInstall,
  input: { user: Person; callbackId: string; triggerId: string },
): Record<string, unknown> {
  return { type: 'shortcut', ...common(app, input.user, input.callbackId, input.triggerId) };
}

export function messageShortcutPayload(
  app: AppInstall,
  input: {
    user: Person;
    callbackId: string;
    triggerId: string;
    channel: ConversationRef;
    message: SlackMessage;
    responseUrl: string;
  },
): Record<string, unknown> {
  return {
    type: 'message_action',
    ...common(app, input.user, input.callbackId, input.triggerId),
    channel: { id: input.channel.id, name: input.channel.name },
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: input.message,
  };
}
