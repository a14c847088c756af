import { approverCountError, type RequestError, timeoutError, titleError } from '../../approvals';
import { parseDuration } from '../../shared/duration';
import { normalizeApprovalId } from '../../shared/ids';
import { commandErrorText } from '../views/request-errors';

/** What `/greenlight …` asks for, once its text has been read and checked. */
export type GreenlightCommand =
  | { kind: 'open-modal' }
  | { kind: 'help' }
  | {
      kind: 'request';
      title: string;
      approvers: string[];
      /** User groups as Slack sends them (`<!subteam^S0123|@release-managers>`); resolved later. */
      groups: Array<{ id: string; handle?: string }>;
      /** Absent: the policy's (or the channel's default policy's) timeout, else a day. */
      timeoutSeconds?: number;
      email: boolean;
      need?: number | 'all';
      policy?: string;
    }
  | { kind: 'status'; approvalId: string }
  | { kind: 'list' }
  | { kind: 'cancel'; approvalId: string };

export type ParseResult = { ok: true; command: GreenlightCommand } | { ok: false; error: string };

export const SUBCOMMANDS = ['request', 'status', 'list', 'cancel', 'help'] as const;
export const DEFAULT_TIMEOUT_SECONDS = 24 * 60 * 60;
export const MAX_TEXT_LENGTH = 3000;

const EXAMPLE_ID = 'GL-7K3F9Q';
// Slack escapes a picked user as <@U123> or <@U123|name> when the command asks for escaping.
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const OTHER_MENTION = /^<([#!])([^>|]+)(?:\|([^>]*))?>$/;
// A user group: <!subteam^S0123|@release-managers> (the label is optional).
const GROUP_MENTION = /^<!subteam\^(S[A-Z0-9]+)(?:\|([^>]*))?>$/;
const POLICY_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

const fail = (error: string): ParseResult => ({ ok: false, error });
// The limits are the domain's (app/approvals/new-request.ts); the command reads them early, in its words.
const refuse = (error: RequestError): ParseResult => fail(commandErrorText(error));
const ok = (command: GreenlightCommand): ParseResult => ({ ok: true, command });

/** Splits on white space, keeping "quoted phrases" (straight or curly quotes) together. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return tokens;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function unknownSubcommand(word: string): ParseResult {
  const guess = SUBCOMMANDS.find((name) => editDistance(word.toLowerCase(), name) <= 2);
  const hint = guess ? ` Did you mean \`${guess}\`?` : '';
  return fail(`I don't know the command \`${word}\`.${hint} Try \`/greenlight help\`.`);
}

function parseTimeout(value: string | undefined): number | string {
  if (value === undefined || value.startsWith('--')) {
    return '`--timeout` needs a duration after it, like `30m`, `4h` or `2d`.';
  }
  const seconds = parseDuration(value);
  if (seconds === undefined)
    return `\`${value}\` is not a duration. Use minutes, hours or days: \`30m\`, \`4h\`, \`2d\`.`;
  const error = timeoutError(seconds);
  return error ? commandErrorText(error) : seconds;
}

function parseRequest(args: string[]): ParseResult {
  const titleWords: string[] = [];
  const approvers: string[] = [];
  const groups: Array<{ id: string; handle?: string }> = [];
  let timeoutSeconds: number | undefined;
  let email = false;
  let need: number | 'all' | undefined;
  let policy: string | undefined;

  for (let i = 0; i < args.length; i += 1) {
    const token = args[i] ?? '';
    if (token.startsWith('--')) {
      const [flag, inlineValue] = token.split('=', 2) as [string, string | undefined];
      if (flag === '--email') {
        if (inlineValue !== undefined) return fail('`--email` takes no value.');
        email = true;
      } else if (flag === '--timeout') {
        if (timeoutSeconds !== undefined) return fail('Give `--timeout` only once.');
        const value = inlineValue ?? args[i + 1];
        if (inlineValue === undefined) i += 1;
        const parsed = parseTimeout(value);
        if (typeof parsed === 'string') return fail(parsed);
        timeoutSeconds = parsed;
      } else if (flag === '--need' || flag === '--policy') {
        const value = inlineValue ?? args[i + 1];
        if (inlineValue === undefined) i += 1;
        if (flag === '--need') {
          if (need !== undefined) return fail('Give `--need` only once.');
          if (value === 'all') need = 'all';
          else if (value !== undefined && /^[1-9]\d?$/.test(value)) need = Number(value);
          else return fail('`--need` takes how many approvers must approve: a number like `2`, or `all`.');
        } else {
          if (policy !== undefined) return fail('Give `--policy` only once.');
          if (value === undefined || !POLICY_NAME.test(value))
            return fail('`--policy` takes a policy name, like `--policy prod-deploy`.');
          policy = value;
        }
      } else {
        return fail(
          `I don't know the option \`${flag}\`. Options are \`--timeout <duration>\`, \`--need <n|all>\`, \`--policy <name>\` and \`--email\`.`,
        );
      }
      continue;
    }
    const user = USER_MENTION.exec(token)?.[1];
    if (user !== undefined) {
      if (!approvers.includes(user)) approvers.push(user);
      continue;
    }
    const group = GROUP_MENTION.exec(token);
    if (group?.[1] !== undefined) {
      const id = group[1];
      if (!groups.some((known) => known.id === id))
        groups.push({ id, ...(group[2] ? { handle: group[2] } : {}) });
      continue;
    }
    const other = OTHER_MENTION.exec(token);
    if (other) {
      // <!here> is a special mention, <#C123|name> a channel: show them as people typed them.
      const label = other[3] ?? `${other[1] === '!' ? '@' : '#'}${other[2]}`;
      return fail(`Approvers must be people; \`${label}\` is not a person.`);
    }
    if (/^@\S+/.test(token)) {
      return fail(
        `I can't find the user \`${token}\`. Pick approvers from Slack's @ suggestions so they become mentions.`,
      );
    }
    titleWords.push(token);
  }

  const title = titleWords.join(' ').trim();
  const error = titleError(title) ?? approverCountError(approvers);
  if (error) return refuse(error);
  if (policy !== undefined && need !== undefined)
    return fail(`The policy \`${policy}\` sets how many must approve; leave out \`--need\`.`);
  return ok({
    kind: 'request',
    title,
    approvers,
    groups,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    email,
    ...(need !== undefined ? { need } : {}),
    ...(policy !== undefined ? { policy } : {}),
  });
}

function parseIdCommand(kind: 'status' | 'cancel', args: string[]): ParseResult {
  const [raw, ...extra] = args;
  if (raw === undefined) return fail(`Which request? For example \`/greenlight ${kind} ${EXAMPLE_ID}\`.`);
  if (extra.length > 0) return fail(`\`${kind}\` takes one request id; remove \`${extra.join(' ')}\`.`);
  const approvalId = normalizeApprovalId(raw);
  if (approvalId === undefined)
    return fail(`\`${raw}\` is not a request id. Ids look like \`${EXAMPLE_ID}\`.`);
  return ok({ kind, approvalId });
}

/** Reads the text after `/greenlight`. Pure: no Slack, no AWS. */
export function parseCommand(text: string): ParseResult {
  if (text.length > MAX_TEXT_LENGTH)
    return fail(`That command is too long; keep it under ${MAX_TEXT_LENGTH} characters.`);
  const [first, ...args] = tokenize(text);
  if (first === undefined) return ok({ kind: 'open-modal' });
  switch (first.toLowerCase()) {
    case 'request':
      return parseRequest(args);
    case 'status':
    case 'cancel':
      return parseIdCommand(first.toLowerCase() as 'status' | 'cancel', args);
    case 'list':
      return args.length === 0 ? ok({ kind: 'list' }) : fail('`list` takes no arguments.');
    case 'help':
      return ok({ kind: 'help' });
    default:
      return unknownSubcommand(first);
  }
}
