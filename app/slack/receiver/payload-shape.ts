import type { SlackBody } from './parse-body';

/**
 * The shape of every payload the app serves, checked after the signature and before Bolt: Bolt
 * and the listeners read these fields without checking them, so a signed body of the right type
 * but the wrong shape would otherwise throw deep inside them (a 500). Each check names the first
 * field that is wrong, for a precise 400. Hand-written type guards rather than a schema library:
 * the Slack function parses every byte of its bundle at each cold start (see `npm run bench`).
 */
export type PayloadKind =
  | 'slash_command'
  | 'ssl_check'
  | 'url_verification'
  | 'event_callback'
  | 'block_actions'
  | 'view_submission'
  | 'view_closed'
  | 'shortcut'
  | 'message_action';

export type ShapeCheck =
  | { ok: true; kind: PayloadKind }
  /** A well-formed payload of a type the app does not serve: acknowledged, never given to Bolt. */
  | { ok: true; kind: 'ignored'; type: string }
  | { ok: false; problem: string };

/** Returns what is wrong with the value at `path`, or undefined when it fits. */
type Check = (value: unknown, path: string) => string | undefined;
type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const string: Check = (value, path) => (typeof value === 'string' ? undefined : `${path} must be a string`);
const text: Check = (value, path) =>
  typeof value === 'string' && value !== '' ? undefined : `${path} must be a non-empty string`;
const boolean: Check = (value, path) =>
  typeof value === 'boolean' ? undefined : `${path} must be true or false`;
// Slack's message timestamps: seconds, a dot, six digits ("1763812400.000300").
const SLACK_TS = /^\d{1,12}\.\d{6}$/;
const slackTs: Check = (value, path) =>
  typeof value === 'string' && SLACK_TS.test(value) ? undefined : `${path} must be a Slack timestamp`;
const epochSeconds: Check = (value, path) =>
  Number.isSafeInteger(value) && (value as number) >= 0
    ? undefined
    : `${path} must be seconds since the epoch`;
const httpUrl: Check = (value, path) =>
  typeof value === 'string' && /^https?:\/\//.test(value) && URL.canParse(value)
    ? undefined
    : `${path} must be an http(s) URL`;

const optional =
  (check: Check): Check =>
  (value, path) =>
    value === undefined ? undefined : check(value, path);
const nullable =
  (check: Check): Check =>
  (value, path) =>
    value === null ? undefined : check(value, path);
const either =
  (first: Check, second: Check, expected: string): Check =>
  (value, path) =>
    first(value, path) === undefined || second(value, path) === undefined
      ? undefined
      : `${path} must be ${expected}`;

function object(fields: Record<string, Check>): Check {
  const keys = Object.keys(fields);
  const checks = keys.map((key) => fields[key] as Check);
  // The fields' paths under each path this object is met at: a path is only for a message, and
  // joining one per field per request was most of what this check allocated on the warm path.
  const pathsUnder = new Map<string, string[]>();
  return (value, path) => {
    if (!isFields(value)) return `${path} must be an object`;
    let paths = pathsUnder.get(path);
    if (paths === undefined) {
      paths = keys.map((key) => (path === '' ? key : `${path}.${key}`));
      // Array items and record entries meet an object at endless paths; keep only the first few.
      if (pathsUnder.size < 64) pathsUnder.set(path, paths);
    }
    for (let index = 0; index < keys.length; index += 1) {
      const problem = (checks[index] as Check)(value[keys[index] as string], paths[index] as string);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

function arrayOf(item: Check, { min = 0 } = {}): Check {
  return (value, path) => {
    if (!Array.isArray(value)) return `${path} must be an array`;
    if (value.length < min) return `${path} must hold at least ${min} item${min === 1 ? '' : 's'}`;
    for (const [index, element] of value.entries()) {
      const problem = item(element, `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

function recordOf(item: Check): Check {
  return (value, path) => {
    if (!isFields(value)) return `${path} must be an object`;
    for (const [key, element] of Object.entries(value)) {
      const problem = item(element, `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/**
 * Bolt decides what a body is from which of these keys it has (`event` first, then `command`,
 * `name`, `actions`), not from its `type`: a body may hold only the one its kind is routed by.
 */
const ROUTING_KEYS = ['event', 'command', 'name', 'actions'] as const;
function routedOnlyBy(own: (typeof ROUTING_KEYS)[number] | undefined): Check {
  return (value, path) => {
    const stray = ROUTING_KEYS.find((key) => key !== own && (value as Fields)[key] !== undefined);
    return stray === undefined ? undefined : `${path === '' ? '' : `${path}.`}${stray} is not expected here`;
  };
}

function allOf(...checks: Check[]): Check {
  return (value, path) => {
    for (const check of checks) {
      const problem = check(value, path);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

// Shared parts of interactive payloads. `team` is null for org-wide installs (Bolt then reads user.team_id).
const team = optional(nullable(object({ id: text, enterprise_id: optional(string) })));
const enterprise = optional(nullable(object({ id: text })));
const user = object({
  id: text,
  team_id: optional(string),
  name: optional(string),
  username: optional(string),
});
const channel = object({ id: text, name: optional(string) });

/** An input's state in `view.state.values`, typed as Slack sends each kind of value. */
const inputState = object({
  type: optional(string),
  value: optional(nullable(string)),
  selected_users: optional(arrayOf(string)),
  selected_user: optional(nullable(string)),
  selected_conversation: optional(nullable(string)),
  selected_channel: optional(nullable(string)),
  selected_option: optional(nullable(object({ value: string }))),
  selected_options: optional(arrayOf(object({ value: string }))),
});
const stateValues = object({ values: recordOf(recordOf(inputState)) });

const view = object({
  id: text,
  callback_id: string,
  private_metadata: optional(string),
  state: optional(stateValues),
  app_installed_team_id: optional(string),
  hash: optional(string),
});

// Bolt builds `respond` from response_url, or else from the first of response_urls, for any payload.
const interactive = (fields: Record<string, Check>, routedBy?: 'actions') =>
  allOf(
    routedOnlyBy(routedBy),
    object({
      team,
      enterprise,
      user,
      api_app_id: optional(string),
      is_enterprise_install: optional(boolean),
      response_url: optional(httpUrl),
      response_urls: optional(arrayOf(object({ response_url: httpUrl }))),
      ...fields,
    }),
  );

const action = object({
  action_id: string,
  block_id: string,
  type: text,
  value: optional(string),
  action_ts: optional(slackTs),
});

const PAYLOADS: Record<string, Check> = {
  block_actions: interactive(
    {
      trigger_id: text,
      channel: optional(channel),
      message: optional(object({ ts: slackTs })),
      container: optional(object({})),
      view: optional(view),
      state: optional(stateValues),
      actions: arrayOf(action, { min: 1 }),
    },
    'actions',
  ),
  view_submission: interactive({
    trigger_id: optional(text),
    view: object({
      id: text,
      callback_id: string,
      private_metadata: string,
      state: stateValues,
      app_installed_team_id: optional(string),
    }),
  }),
  view_closed: interactive({ view, is_cleared: optional(boolean) }),
  shortcut: interactive({ callback_id: string, trigger_id: text, action_ts: optional(slackTs) }),
  message_action: interactive({
    callback_id: string,
    trigger_id: text,
    response_url: httpUrl,
    channel,
    message: object({ ts: optional(slackTs), text: optional(string) }),
    message_ts: optional(slackTs),
    action_ts: optional(slackTs),
  }),
};

/**
 * What Bolt reads of every event (to find its channel, user and team) and what the `message`
 * listener reads; other event types carry fields of their own, left to their listeners.
 */
const eventFields = object({
  type: text,
  event_ts: optional(slackTs),
  ts: optional(slackTs),
  thread_ts: optional(slackTs),
  user: optional(either(text, object({ id: text }), 'a user id or a user object')),
  channel: optional(either(text, object({ id: text }), 'a channel id or a channel object')),
  channel_id: optional(string),
  item: optional(object({ channel: optional(string) })),
  subteam: optional(object({})),
  assistant_thread: optional(object({})),
  message: optional(object({})),
  previous_message: optional(object({})),
});
const messageEvent = object({
  channel: text,
  ts: slackTs,
  text: optional(string),
  subtype: optional(string),
  bot_id: optional(string),
  parent_user_id: optional(string),
});
const event: Check = (value, path) =>
  eventFields(value, path) ?? ((value as Fields).type === 'message' ? messageEvent(value, path) : undefined);

// Event ids key the dedup table, whose keys DynamoDB caps at 2 KB; Slack's are short ("Ev0GREENLT01").
const eventId: Check = (value, path) =>
  typeof value === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(value)
    ? undefined
    : `${path} must be a Slack event id`;

const eventCallback = object({
  team_id: optional(text),
  api_app_id: optional(string),
  event_id: eventId,
  event_time: epochSeconds,
  event,
  enterprise_id: optional(nullable(string)),
  authorizations: optional(
    arrayOf(
      object({
        team_id: optional(nullable(string)),
        enterprise_id: optional(nullable(string)),
        user_id: text,
        is_bot: optional(boolean),
        is_enterprise_install: optional(boolean),
      }),
    ),
  ),
});

// Form fields are strings already; what matters is which are there.
const slashCommand = allOf(
  routedOnlyBy('command'),
  object({
    command: (value, path) =>
      typeof value === 'string' && /^\/\S+$/.test(value) ? undefined : `${path} must be a /command`,
    text: string,
    team_id: text,
    user_id: text,
    user_name: optional(string),
    channel_id: text,
    response_url: httpUrl,
    trigger_id: text,
    is_enterprise_install: optional((value, path) =>
      value === 'true' || value === 'false' ? undefined : `${path} must be "true" or "false"`,
    ),
  }),
);

function named(what: string, problem: string | undefined): ShapeCheck | undefined {
  return problem === undefined ? undefined : { ok: false, problem: `${what}: ${problem}` };
}

/** Classifies a parsed, signed body and checks that its shape is one Bolt and the listeners can read. */
export function checkPayloadShape(body: SlackBody): ShapeCheck {
  // Slash commands and ssl_check are plain form fields, the only bodies without a `type`.
  if (body.type === undefined && (body.command !== undefined || body.ssl_check !== undefined)) {
    if (body.command !== undefined) {
      return named('The slash command', slashCommand(body, '')) ?? { ok: true, kind: 'slash_command' };
    }
    if (body.ssl_check === '1') return { ok: true, kind: 'ssl_check' };
    return { ok: false, problem: 'ssl_check must be "1".' };
  }
  const { type } = body;
  if (typeof type !== 'string' || type === '') {
    return { ok: false, problem: 'The payload has no type.' };
  }
  if (type === 'url_verification') {
    return named('url_verification', text(body.challenge, 'challenge')) ?? { ok: true, kind: type };
  }
  if (type === 'event_callback') {
    return named('event_callback', eventCallback(body, '')) ?? { ok: true, kind: type };
  }
  const check = PAYLOADS[type];
  if (check === undefined) return { ok: true, kind: 'ignored', type };
  return named(type, check(body, '')) ?? { ok: true, kind: type as PayloadKind };
}
