import type { MethodHandler } from './method-context';
import { SlackApiError } from './slack-api-error';
import type { SlackUserGroupSeed } from './types';
import type { Workspace } from './workspace';

/** A user group as `usergroups.list` returns it; `users` only when asked with `include_users`. */
function groupObject(group: SlackUserGroupSeed, workspace: Workspace, withUsers: boolean) {
  return {
    id: group.id,
    team_id: workspace.identity.teamId,
    is_usergroup: true,
    name: group.name,
    handle: group.handle,
    description: '',
    is_external: false,
    date_create: 0,
    date_update: 0,
    date_delete: 0,
    auto_type: null,
    created_by: '',
    updated_by: '',
    deleted_by: null,
    prefs: { channels: [], groups: [] },
    user_count: group.memberIds.length,
    ...(withUsers ? { users: [...group.memberIds] } : {}),
  };
}

const list: MethodHandler = (args, { workspace }) => ({
  usergroups: workspace
    .userGroups()
    .map((group) => groupObject(group, workspace, args.boolean('include_users'))),
});

const usersList: MethodHandler = (args, { workspace }) => {
  const group = workspace.userGroup(args.requiredString('usergroup'));
  if (group === undefined) throw new SlackApiError('no_such_subteam');
  return { users: [...group.memberIds] };
};

export const usergroupsMethods: Readonly<Record<string, MethodHandler>> = {
  'usergroups.list': list,
  'usergroups.users.list': usersList,
};
