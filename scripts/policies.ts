import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { isMap, isNode, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { Need, Policy, PolicySet } from '../app/policies/model';

const ROOT = join(__dirname, '..');
export const POLICIES_PATH = join(ROOT, 'greenlight.policies.yaml');
export const POLICIES_SCHEMA_PATH = join(ROOT, 'schemas', 'greenlight-policies.schema.json');
/** What the functions are bundled with (app/policies/index.ts imports it). */
export const COMPILED_POLICIES_PATH = join(ROOT, 'app', 'policies', 'policies.json');

/** One thing wrong with the file, where it is (1-based line and column). */
export interface PolicyProblem {
  line: number;
  column: number;
  problem: string;
}

export type PolicyLoad = { ok: true; policies: PolicySet } | { ok: false; problems: PolicyProblem[] };

/** Thrown by the build and `npm start`: its message lists every problem as `file:line:column problem`. */
export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: PolicyProblem[],
  ) {
    super(
      `${file} is not a valid policy file:\n${problems
        .map((p) => `  ${file}:${p.line}:${p.column} ${p.problem}`)
        .join('\n')}`,
    );
  }
}

/** Sentences for the schema's alternatives, which Ajv can only report as "must match a schema". */
const ALTERNATIVES: ReadonlyArray<{ path: RegExp; keyword: string; text: string }> = [
  {
    path: /^\/policies\/\d+$/,
    keyword: 'oneOf',
    text: 'a policy has either `approvers` and `need`, or `stages` (not both)',
  },
  { path: /\/need$/, keyword: 'oneOf', text: '`need` is a whole number from 1 to 10, or `all`' },
  {
    path: /\/escalate$/,
    keyword: 'anyOf',
    text: '`escalate` adds `approvers`, posts to a `channel`, or both',
  },
];
// Ajv's schemaPath restarts at each $ref, so an alternative is told by where it is and what failed.
const alternativeText = (error: ErrorObject): string | undefined =>
  ALTERNATIVES.find((entry) => entry.keyword === error.keyword && entry.path.test(error.instancePath))?.text;

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  if (validator === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    validator = ajv.compile(JSON.parse(readFileSync(POLICIES_SCHEMA_PATH, 'utf8')) as object);
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** `90s`, `30m`, `4h`, `2d` → seconds (the schema has checked the form). */
export function durationSeconds(text: string): number {
  return Number(text.slice(0, -1)) * (SECONDS[text.slice(-1)] ?? 0);
}

function wording(error: ErrorObject): string {
  const alternative = alternativeText(error);
  if (alternative) return alternative;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperty':
    case 'additionalProperties':
      return `unknown field \`${String(params.additionalProperty)}\``;
    case 'required':
      return `missing field \`${String(params.missingProperty)}\``;
    case 'pattern':
      if (error.schemaPath.startsWith('#/definitions/duration'))
        return 'not a duration: use a whole number of s, m, h or d (90s, 30m, 4h, 2d)';
      if (error.schemaPath.startsWith('#/definitions/approver'))
        return 'not a Slack user id (U…) or user group id (S…)';
      if (error.schemaPath.startsWith('#/definitions/channelId')) return 'not a Slack channel id (C…)';
      if (error.schemaPath.startsWith('#/definitions/policyName'))
        return 'a policy name is lower-case letters, digits and dashes (up to 40)';
      return `does not match ${String(params.pattern)}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return error.message ?? 'is not valid';
  }
}

/** Drops the sub-errors of an alternative the table words as one sentence. */
function meaningful(errors: ErrorObject[]): ErrorObject[] {
  const worded = errors.filter((error) => alternativeText(error) !== undefined);
  return errors.filter(
    (error) =>
      !worded.some(
        (alternative) =>
          error !== alternative &&
          error.instancePath.startsWith(alternative.instancePath) &&
          error.schemaPath.startsWith(`${alternative.schemaPath}/`),
      ) && error.keyword !== 'not',
  );
}

/** Reads, checks and compiles a policy file's text; every problem carries its line. */
export function parsePolicies(text: string): PolicyLoad {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        ...at(error.pos[0]),
        problem: error.message.split('\n')[0] ?? '',
      })),
    };
  }
  const nodeAt = (pointer: string, key?: string): Node | undefined => {
    const path = pointer === '' ? [] : pointer.slice(1).split('/').map(decodePointer);
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      if (pair && isNode(pair.key)) return pair.key;
    }
    return isNode(node) ? node : undefined;
  };
  const where = (pointer: string, key?: string) => {
    const range = nodeAt(pointer, key)?.range;
    return range ? at(range[0]) : { line: 1, column: 1 };
  };
  const data: unknown = doc.toJS();
  const problems: PolicyProblem[] = meaningful(validate(data)).map((error) => {
    const params = error.params as Record<string, unknown>;
    const key = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
    return { ...where(error.instancePath, key), problem: wording(error) };
  });
  if (problems.length === 0) problems.push(...crossChecks(data as PolicyFile, where));
  if (problems.length > 0) {
    const seen = new Set<string>();
    return {
      ok: false,
      problems: problems
        .filter(
          (p) =>
            !seen.has(`${p.line}:${p.column}:${p.problem}`) && seen.add(`${p.line}:${p.column}:${p.problem}`),
        )
        .sort((a, b) => a.line - b.line || a.column - b.column),
    };
  }
  return { ok: true, policies: compile(data as PolicyFile) };
}

const decodePointer = (segment: string): string | number => {
  const text = segment.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(text) ? Number(text) : text;
};

/** The file as the schema admits it. */
interface PolicyFile {
  version: 1;
  policies: Array<{
    name: string;
    description?: string;
    approvers?: string[];
    need?: Need;
    stages?: Array<{ name: string; approvers: string[]; need: Need }>;
    allowSelfApproval?: boolean;
    requireCommentOn?: Policy['requireCommentOn'];
    timeout?: string;
    remind?: string[];
    escalate?: { after: string; approvers?: string[]; channel?: string };
    email?: boolean;
  }>;
  channels?: Record<string, string>;
  github?: Array<{ repository: string; environment?: string; policy: string }>;
}

/** What a schema cannot say: names unique and known, quorums reachable, reminders before the deadline. */
function crossChecks(
  file: PolicyFile,
  where: (pointer: string, key?: string) => { line: number; column: number },
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const names = new Set<string>();
  file.policies.forEach((policy, index) => {
    const base = `/policies/${index}`;
    if (names.has(policy.name))
      problems.push({ ...where(`${base}/name`), problem: `a second policy named \`${policy.name}\`` });
    names.add(policy.name);
    const stages = policy.stages ?? [{ approvers: policy.approvers ?? [], need: policy.need ?? 1 }];
    stages.forEach((stage, stageIndex) => {
      const hasGroup = stage.approvers.some((id) => id.startsWith('S'));
      // A group's size is known only when a request is made; people alone bound the quorum now.
      if (typeof stage.need === 'number' && !hasGroup && stage.need > stage.approvers.length) {
        const pointer = policy.stages ? `${base}/stages/${stageIndex}/need` : `${base}/need`;
        problems.push({
          ...where(pointer),
          problem: `\`need\` is ${stage.need} but only ${stage.approvers.length} approver${stage.approvers.length === 1 ? ' is' : 's are'} named`,
        });
      }
    });
    const timeout = policy.timeout === undefined ? undefined : durationSeconds(policy.timeout);
    if (timeout !== undefined) {
      (policy.remind ?? []).forEach((remind, remindIndex) => {
        if (durationSeconds(remind) >= timeout)
          problems.push({
            ...where(`${base}/remind/${remindIndex}`),
            problem: `the reminder at ${remind} comes after the timeout (${policy.timeout})`,
          });
      });
      if (policy.escalate && durationSeconds(policy.escalate.after) >= timeout)
        problems.push({
          ...where(`${base}/escalate/after`),
          problem: `escalating after ${policy.escalate.after} comes after the timeout (${policy.timeout})`,
        });
    }
  });
  for (const [channel, name] of Object.entries(file.channels ?? {})) {
    if (!names.has(name))
      problems.push({ ...where(`/channels/${channel}`), problem: `no policy is named \`${name}\`` });
  }
  (file.github ?? []).forEach((rule, index) => {
    if (!names.has(rule.policy))
      problems.push({
        ...where(`/github/${index}/policy`),
        problem: `no policy is named \`${rule.policy}\``,
      });
  });
  return problems;
}

function compile(file: PolicyFile): PolicySet {
  const policies: Record<string, Policy> = {};
  for (const source of file.policies) {
    const policy: Policy = {
      name: source.name,
      stages: source.stages
        ? source.stages.map((stage) => ({ ...stage }))
        : [{ name: source.name, approvers: source.approvers ?? [], need: source.need ?? 1 }],
      allowSelfApproval: source.allowSelfApproval ?? false,
      requireCommentOn: source.requireCommentOn ?? 'none',
      remindSeconds: (source.remind ?? []).map(durationSeconds).sort((a, b) => a - b),
      email: source.email ?? false,
    };
    if (source.description !== undefined) policy.description = source.description;
    if (source.timeout !== undefined) policy.timeoutSeconds = durationSeconds(source.timeout);
    if (source.escalate) {
      policy.escalate = {
        afterSeconds: durationSeconds(source.escalate.after),
        approvers: source.escalate.approvers ?? [],
        ...(source.escalate.channel ? { channel: source.escalate.channel } : {}),
      };
    }
    policies[source.name] = policy;
  }
  const github = (file.github ?? []).map((rule) => ({
    repository: rule.repository,
    environment: rule.environment ?? '*',
    policy: rule.policy,
  }));
  return { policies, channels: { ...(file.channels ?? {}) }, ...(github.length > 0 ? { github } : {}) };
}

/** The compiled form as the repository keeps it (stable, so a stale copy shows as a diff). */
export const compiledText = (policies: PolicySet): string => `${JSON.stringify(policies, null, 2)}\n`;

/** Reads and checks the policy file, or throws PolicyFileError naming each line that is wrong. */
export function loadPolicyFile(path = POLICIES_PATH): PolicySet {
  const loaded = parsePolicies(readFileSync(path, 'utf8'));
  if (!loaded.ok) throw new PolicyFileError(path, loaded.problems);
  return loaded.policies;
}

/** Compiles the policy file into app/policies/policies.json; `npm run build` and `npm start` call it. */
export function compilePolicyFile(path = POLICIES_PATH, out = COMPILED_POLICIES_PATH): PolicySet {
  const policies = loadPolicyFile(path);
  const text = compiledText(policies);
  let current: string | undefined;
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    current = undefined;
  }
  // Unchanged, not rewritten: a running watcher or bundler sees no change.
  if (current !== text) writeFileSync(out, text);
  return policies;
}

if (require.main === module) {
  try {
    compilePolicyFile(process.argv[2] ?? POLICIES_PATH);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
