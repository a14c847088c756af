/**
 * Approval policies as the functions read them: greenlight.policies.yaml, checked against its
 * schema and compiled by scripts/policies.ts into policies.json (durations in seconds, a policy
 * without stages given one), so no function carries a YAML parser or a schema validator.
 */
export type CommentRule = 'none' | 'approve' | 'reject' | 'both';

/** A number of distinct approvers, or every one of them (counted once groups are resolved). */
export type Need = number | 'all';

export interface PolicyStage {
  name: string;
  /** Slack user ids (U…, W…) and user group ids (S…). */
  approvers: string[];
  need: Need;
}

export interface Policy {
  name: string;
  description?: string;
  stages: PolicyStage[];
  allowSelfApproval: boolean;
  requireCommentOn: CommentRule;
  timeoutSeconds?: number;
  /** Seconds after a stage starts at which its undecided approvers are reminded. */
  remindSeconds: number[];
  escalate?: { afterSeconds: number; approvers: string[]; channel?: string };
  email: boolean;
}

export interface PolicySet {
  policies: Record<string, Policy>;
  /** Channel id → the policy a request there gets when it names neither approvers nor a policy. */
  channels: Record<string, string>;
  /** GitHub deployments: the first rule matching the repository and environment names the policy. */
  github?: GitHubPolicyRule[];
}

export interface GitHubPolicyRule {
  /** `owner/repo`, `owner/*` or `*`. */
  repository: string;
  /** An environment's name, or `*`. */
  environment: string;
  policy: string;
}

export const EMPTY_POLICIES: PolicySet = { policies: {}, channels: {} };

/** The policy for a deployment of `repository` (owner/repo) to `environment`, if a rule names one. */
export function githubPolicy(set: PolicySet, repository: string, environment: string): Policy | undefined {
  const [owner = ''] = repository.split('/');
  const rule = (set.github ?? []).find(
    (candidate) =>
      (candidate.repository === '*' ||
        candidate.repository.toLowerCase() === repository.toLowerCase() ||
        candidate.repository.toLowerCase() === `${owner.toLowerCase()}/*`) &&
      (candidate.environment === '*' || candidate.environment === environment),
  );
  return rule === undefined ? undefined : policyNamed(set, rule.policy);
}

export function policyNamed(set: PolicySet, name: string): Policy | undefined {
  return Object.hasOwn(set.policies, name) ? set.policies[name] : undefined;
}

export function channelDefault(set: PolicySet, channelId: string): Policy | undefined {
  const name = Object.hasOwn(set.channels, channelId) ? set.channels[channelId] : undefined;
  return name === undefined ? undefined : policyNamed(set, name);
}

/** Whether a decision must carry a comment under this rule. */
export function commentRequired(rule: CommentRule | undefined, decision: 'approve' | 'reject'): boolean {
  return rule === 'both' || rule === decision;
}

const GROUP_ID = /^S[A-Z0-9]{2,}$/;
export const isGroupId = (id: string): boolean => GROUP_ID.test(id);
