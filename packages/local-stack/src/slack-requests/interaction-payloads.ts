import { randomBytes, randomInt } from 'node:crypto';
import type { SlackMessage, SlackView } from '../slack-api';

/**
 * The requests Slack sends to an app's request URL, built field for field as Slack builds them:
 * slash commands as form fields, interactions (`block_actions`, `view_submission`, `view_closed`) as
 * a form with one JSON `payload` field. Pure: ids such as trigger ids and response URLs are passed in,
 * so the local stack and the tests decide where they come from.
 */

/** Who the app is installed as, and in which workspace. */
export interface AppInstall {
  teamId: string;
  teamDomain: string;
  appId: string;
}

/** The install for a workspace; the domain is derived from the team's name, as Slack suggests it. */
export function appInstall(team: { id: string; name: string }, appId: string): AppInstall {
  const domain = team.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return { teamId: team.id, teamDomain: domain || team.id.toLowerCase(), appId };
}

export interface Person {
  id: string;
  name: string;
}

export interface ConversationRef {
  id: string;
  name: string;
}

/** Slack still sends the legacy verification token; apps must not rely on it, so it is a fixed stand-in. */
const VERIFICATION_TOKEN = 'deprecated-verification-token';

/** `action_ts` and `message_ts` look like `1763812399.123456`. */
export function slackTimestamp(nowMs: number = Date.now()): string {
  return `${Math.floor(nowMs / 1000)}.${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

export interface SlashCommandInput {
  /** With its slash, e.g. `/greenlight`. */
  command: string;
  text: string;
  user: Person;
  channel: ConversationRef;
  responseUrl: string;
  triggerId: string;
}

/** A slash command as Slack posts it: `application/x-www-form-urlencoded` fields. */
export function slashCommandForm(app: AppInstall, input: SlashCommandInput): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: app.teamId,
    team_domain: app.teamDomain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: app.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  }).toString();
}

/** One element's part of `actions`: what the element is, and what the user chose in it. */
export type ActionDetails = Record<string, unknown> & { action_id: string; block_id: string; type: string };

/** Where the clicked element lives. */
export type ActionContainer =
  | {
      type: 'message';
      channel: ConversationRef;
      messageTs: string;
      /** The message as the user saw it; absent for ephemerals, as in Slack's payloads. */
      message: SlackMessage | undefined;
      isEphemeral: boolean;
      threadTs?: string | undefined;
      responseUrl: string;
    }
  | { type: 'view'; view: SlackView };

export interface BlockActionsInput {
  user: Person;
  container: ActionContainer;
  action: ActionDetails;
  triggerId: string;
  /** `state.values` of the surface's input elements. */
  stateValues?: Record<string, unknown>;
  actionTs?: string;
}

function userObject(app: AppInstall, user: Person) {
  return { id: user.id, username: user.name, name: user.name, team_id: app.teamId };
}

/** A click (or selection) in a message or a modal. */
export function blockActionsPayload(app: AppInstall, input: BlockActionsInput): Record<string, unknown> {
  const action = { ...input.action, action_ts: input.actionTs ?? slackTimestamp() };
  const common = {
    type: 'block_actions',
    user: userObject(app, input.user),
    api_app_id: app.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    team: { id: app.teamId, domain: app.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    state: { values: input.stateValues ?? {} },
    actions: [action],
  };
  const { container } = input;
  if (container.type === 'view') {
    return {
      ...common,
      container: { type: 'view', view_id: container.view.id },
      view: { ...container.view, state: { values: input.stateValues ?? {} } },
    };
  }
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: container.messageTs,
      channel_id: container.channel.id,
      is_ephemeral: container.isEphemeral,
      ...(container.threadTs !== undefined ? { thread_ts: container.threadTs } : {}),
    },
    channel: { id: container.channel.id, name: container.channel.name },
    ...(container.message !== undefined ? { message: container.message } : {}),
    response_url: container.responseUrl,
  };
}

/** The view fields a submission needs; the rest get the values Slack would have given the modal. */
export type SubmittedView = Partial<SlackView> & { callback_id: string };

function completeView(app: AppInstall, view: SubmittedView): SlackView {
  const id = view.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    id,
    team_id: app.teamId,
    type: 'modal',
    title: { type: 'plain_text', text: 'Modal' },
    blocks: [],
    close: null,
    submit: null,
    private_metadata: '',
    external_id: '',
    hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: id,
    previous_view_id: null,
    app_id: app.appId,
    app_installed_team_id: app.teamId,
    bot_id: '',
    ...view,
    state: { values: {} },
  };
}

export interface ViewSubmissionInput {
  user: Person;
  view: SubmittedView;
  stateValues: Record<string, unknown>;
  triggerId: string;
}

/** The submit button of a modal: the view with the values of its inputs in `state.values`. */
export function viewSubmissionPayload(app: AppInstall, input: ViewSubmissionInput): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: app.teamId, domain: app.teamDomain },
    user: userObject(app, input.user),
    api_app_id: app.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    view: { ...completeView(app, input.view), state: { values: input.stateValues } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Sent only for modals opened with `notify_on_close`, when the user closes them. */
export function viewClosedPayload(
  app: AppInstall,
  input: { user: Person; view: SubmittedView; isCleared: boolean },
): Record<string, unknown> {
  return {
    type: 'view_closed',
    team: { id: app.teamId, domain: app.teamDomain },
    user: userObject(app, input.user),
    api_app_id: app.appId,
    token: VERIFICATION_TOKEN,
    view: completeView(app, input.view),
    is_cleared: input.isCleared,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Interactions travel as a form with one field holding the JSON payload. */
export function interactionForm(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
