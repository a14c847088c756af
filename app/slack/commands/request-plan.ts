import type { WebClient } from '@slack/web-api';
import type { ApproverGroup, RequestInput } from '../../approvals';
import { channelDefault, isGroupId, type PolicySet, policyNamed } from '../../policies';
import { DEFAULT_TIMEOUT_SECONDS, type GreenlightCommand } from './parse-command';

type RequestCommand = Extract<GreenlightCommand, { kind: 'request' }>;

/** A user group's members, from Slack's `usergroups.users.list`; `error` is Slack's error code. */
export type GroupMembers = (
  groupId: string,
) => Promise<{ ok: true; members: string[] } | { ok: false; error: string }>;

/** Members of a user group, read with the bot token (the manifest's `usergroups:read`). */
export function groupMembersOf(client: Pick<WebClient, 'usergroups'>): GroupMembers {
  return async (usergroup) => {
    try {
      const answer = await client.usergroups.users.list({ usergroup });
      return { ok: true, members: answer.users ?? [] };
    } catch (error) {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      return { ok: false, error: typeof code === 'string' ? code : 'unreachable' };
    }
  };
}

export type RequestPlan =
  | { ok: true; input: Omit<RequestInput, 'id' | 'requester' | 'channelId'> }
  | { ok: false; error: string };

const names = (set: PolicySet) =>
  Object.keys(set.policies)
    .map((name) => `\`${name}\``)
    .join(', ');

/**
 * What a `/greenlight request` asks for once its policy is known: the one it names, else (when it
 * names no approvers) its channel's default, else none (an ad-hoc request with its own `--need`).
 * User groups, named in the command or in the policy, are resolved to their members now, and
 * stored with the request: who may decide is fixed when it is made.
 */
export async function planRequest(
  command: RequestCommand,
  context: { channelId: string; policies: PolicySet; members: GroupMembers },
): Promise<RequestPlan> {
  const named = command.approvers.length > 0 || command.groups.length > 0;
  const policy =
    command.policy !== undefined
      ? policyNamed(context.policies, command.policy)
      : named
        ? undefined
        : channelDefault(context.policies, context.channelId);
  if (command.policy !== undefined && policy === undefined) {
    const known = names(context.policies);
    return {
      ok: false,
      error: `There is no policy \`${command.policy}\`.${known ? ` The policies are ${known}.` : ''}`,
    };
  }
  const [stage, ...later] = policy?.stages ?? [];
  const first = await resolve(stage?.approvers ?? [], command.approvers, command.groups, context.members);
  if (!first.ok) return first;
  const { people, groups } = first;
  // Every stage's groups are resolved now, like the first's: who may decide is fixed at request time.
  const stages: Array<{ name: string; approvers: string[]; groups: ApproverGroup[]; need: number | 'all' }> =
    [];
  for (const next of later) {
    const resolved = await resolve(next.approvers, [], [], context.members);
    if (!resolved.ok) return resolved;
    stages.push({ name: next.name, approvers: resolved.people, groups: resolved.groups, need: next.need });
  }
  const need = stage?.need ?? command.need;
  return {
    ok: true,
    input: {
      title: command.title,
      approvers: people,
      groups,
      timeoutSeconds: command.timeoutSeconds ?? policy?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      email: command.email || policy?.email === true,
      ...(need !== undefined ? { need } : {}),
      ...(stage && stages.length > 0 ? { stages: [{ name: stage.name }, ...stages] } : {}),
      ...(policy
        ? {
            policy: policy.name,
            requireCommentOn: policy.requireCommentOn,
            selfApproval: policy.allowSelfApproval,
            schedule: {
              remindSeconds: policy.remindSeconds,
              ...(policy.escalate ? { escalate: policy.escalate } : {}),
            },
          }
        : {}),
    },
  };
}

/** One stage's deciders: the people named, and the members of its user groups as they are now. */
async function resolve(
  fromPolicy: readonly string[],
  named: readonly string[],
  namedGroups: ReadonlyArray<{ id: string; handle?: string }>,
  members: GroupMembers,
): Promise<{ ok: true; people: string[]; groups: ApproverGroup[] } | { ok: false; error: string }> {
  const people = [...new Set([...named, ...fromPolicy.filter((id) => !isGroupId(id))])];
  const groupRefs: Array<{ id: string; handle?: string }> = [
    ...namedGroups,
    ...fromPolicy
      .filter((id) => isGroupId(id) && !namedGroups.some((group) => group.id === id))
      .map((id) => ({ id })),
  ];
  const groups: ApproverGroup[] = [];
  for (const ref of groupRefs) {
    const found = await members(ref.id);
    const label = ref.handle ?? `<!subteam^${ref.id}>`;
    if (!found.ok) {
      return {
        ok: false,
        error:
          found.error === 'no_such_subteam'
            ? `I can't find the user group ${label}.`
            : `I could not read the members of ${label} (Slack said \`${found.error}\`).`,
      };
    }
    if (found.members.length === 0) return { ok: false, error: `The user group ${label} has no members.` };
    groups.push({ id: ref.id, ...(ref.handle ? { handle: ref.handle } : {}), members: found.members });
  }
  return { ok: true, people, groups };
}
