import type { MethodHandler } from './method-context';
import { SlackApiError } from './slack-api-error';
import type { UserRecord } from './types';
import type { Workspace } from './workspace';

/** A user as `users.info` returns it; `profile.email` only when the user has one. */
function userObject(user: UserRecord, workspace: Workspace): Record<string, unknown> {
  const { teamId, botId, botUserId } = workspace.identity;
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    deleted: false,
    color: '9f69e7',
    real_name: user.realName,
    tz: 'Etc/UTC',
    tz_label: 'Coordinated Universal Time',
    tz_offset: 0,
    profile: {
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.name,
      display_name_normalized: user.name,
      ...(user.email !== undefined ? { email: user.email } : {}),
      ...(user.id === botUserId ? { bot_id: botId } : {}),
      team: teamId,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: workspace.nowSeconds(),
  };
}

const info: MethodHandler = (args, { workspace }) => {
  const user = workspace.requireUser(args.requiredString('user'));
  return { user: userObject(user, workspace) };
};

const lookupByEmail: MethodHandler = (args, { workspace }) => {
  const email = args.requiredString('email').toLowerCase();
  const user = workspace.users().find((candidate) => candidate.email?.toLowerCase() === email);
  if (user === undefined) throw new SlackApiError('users_not_found');
  return { user: userObject(user, workspace) };
};

export const usersMethods: Readonly<Record<string, MethodHandler>> = {
  'users.info': info,
  'users.lookupByEmail': lookupByEmail,
};
