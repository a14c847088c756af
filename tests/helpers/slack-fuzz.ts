import blockActions from '@greenlight/local-stack/testing/fixtures/slack/block-actions.json';
import slashCommand from '@greenlight/local-stack/testing/fixtures/slack/slash-command.json';
import viewSubmission from '@greenlight/local-stack/testing/fixtures/slack/view-submission.json';
import fc from 'fast-check';
import eventMessage from '../fixtures/slack/event-message.json';
import messageAction from '../fixtures/slack/message-action.json';
import shortcut from '../fixtures/slack/shortcut.json';
import sslCheck from '../fixtures/slack/ssl-check.json';
import urlVerification from '../fixtures/slack/url-verification.json';
import viewClosed from '../fixtures/slack/view-closed.json';
import rejectSubmission from '../fixtures/slack/view-submission-reject.json';
import requestSubmission from '../fixtures/slack/view-submission-request.json';
import { FORM, JSON_TYPE } from './slack-requests';

/**
 * Mutated Slack requests for the fuzz test: each case is a real fixture, changed by a few
 * mutations (a field dropped, renamed, given another type, nested wrongly, made huge…), then
 * encoded the way Slack sends that kind of request, or wrongly. The cases are fast-check values,
 * so a run is reproducible from its seed and a failure shrinks to a small case.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** How each fixture travels: a form of fields, a form with one JSON `payload` field, or JSON. */
const FIXTURES = {
  slashCommand: { value: slashCommand, wire: 'form' },
  sslCheck: { value: sslCheck, wire: 'form' },
  blockActions: { value: blockActions, wire: 'payload' },
  viewSubmission: { value: viewSubmission, wire: 'payload' },
  requestSubmission: { value: requestSubmission, wire: 'payload' },
  rejectSubmission: { value: rejectSubmission, wire: 'payload' },
  viewClosed: { value: viewClosed, wire: 'payload' },
  shortcut: { value: shortcut, wire: 'payload' },
  messageAction: { value: messageAction, wire: 'payload' },
  eventMessage: { value: eventMessage, wire: 'json' },
  urlVerification: { value: urlVerification, wire: 'json' },
} as const satisfies Record<string, { value: object; wire: 'form' | 'payload' | 'json' }>;
export type FixtureName = keyof typeof FIXTURES;

const OPS = [
  'delete',
  'rename',
  'retype',
  'null',
  'empty-string',
  'huge-string',
  'bad-timestamp',
  'bad-number',
  'wrap-in-array',
  'wrap-in-object',
  'swap-type',
  'add-field',
] as const;
type Op = (typeof OPS)[number];

export interface Mutation {
  /** Which node of the body (modulo the number of nodes, in a fixed walk order). */
  at: number;
  op: Op;
  /** The new value, key or type the op uses. */
  value: Json;
}

const ENCODINGS = [
  'as-slack-sends',
  'truncated-json',
  'json-not-an-object',
  'form-for-json',
  'json-for-form',
  'second-payload-field',
] as const;
type Encoding = (typeof ENCODINGS)[number];

export interface FuzzCase {
  fixture: FixtureName;
  mutations: Mutation[];
  encoding: Encoding;
}

/** Keys that change how Bolt or the receiver classifies a body, and keys the listeners read. */
const INTERESTING_KEYS = [
  'type',
  'event',
  'command',
  'actions',
  'name',
  'payload',
  'user',
  'team',
  'channel',
  'view',
  'item',
  'authorizations',
  'ssl_check',
  'challenge',
  'callback_id',
  'trigger_id',
  'response_url',
];
const TYPES = [
  'block_actions',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'event_callback',
  'url_verification',
  'block_suggestion',
  'dialog_submission',
  'interactive_message',
  'app_rate_limited',
  'message',
  'app_mention',
  'not_a_slack_type',
];
const BAD_TIMESTAMPS: Json[] = [
  'abc',
  '-1',
  '',
  'NaN',
  '99999999999999999999',
  '1763812345.000200.9',
  '2026-13-45T25:61:00Z',
  -1,
  1e308,
  8.64e15 + 1,
  1.5,
];

const BAD_NUMBERS: Json[] = ['1e300', '-1', '0', 'Infinity', '9007199254740993', '', 1e300, -0.5];

const jsonValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom<Op>(
      'delete',
      'null',
      'empty-string',
      'huge-string',
      'wrap-in-array',
      'wrap-in-object',
    ),
    value: fc.constant(null),
  }),
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom<Op>('rename', 'add-field'),
    value: fc.oneof(fc.constantFrom(...INTERESTING_KEYS), fc.string({ maxLength: 8 })),
  }),
  fc.record({ at: fc.nat(), op: fc.constant<Op>('retype'), value: jsonValue }),
  fc.record({
    at: fc.nat(),
    op: fc.constant<Op>('bad-timestamp'),
    value: fc.constantFrom(...BAD_TIMESTAMPS),
  }),
  fc.record({ at: fc.nat(), op: fc.constant<Op>('bad-number'), value: fc.constantFrom(...BAD_NUMBERS) }),
  fc.record({ at: fc.nat(), op: fc.constant<Op>('swap-type'), value: fc.constantFrom(...TYPES) }),
);

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.record({
  fixture: fc.constantFrom(...(Object.keys(FIXTURES) as FixtureName[])),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  // Mostly encoded as Slack encodes them, so the mutations reach the shape checks and listeners.
  encoding: fc.oneof(
    { weight: 6, arbitrary: fc.constant<Encoding>('as-slack-sends') },
    { weight: 1, arbitrary: fc.constantFrom(...ENCODINGS) },
  ),
});

type Container = Json[] | { [key: string]: Json };
interface Node {
  parent: Container;
  key: string | number;
}

/** Every value in the tree, parents before children, in key order: the same list for the same tree. */
function nodesOf(root: Container): Node[] {
  const nodes: Node[] = [];
  const walk = (container: Container) => {
    const entries: Array<[string | number, Json]> = Array.isArray(container)
      ? container.map((value, index) => [index, value])
      : Object.entries(container);
    for (const [key, value] of entries) {
      nodes.push({ parent: container, key });
      if (value !== null && typeof value === 'object') walk(value);
    }
  };
  walk(root);
  return nodes;
}

function get(node: Node): Json {
  return (node.parent as Record<string | number, Json>)[node.key] ?? null;
}

function set(node: Node, value: Json): void {
  (node.parent as Record<string | number, Json>)[node.key] = value;
}

function remove(node: Node): void {
  if (Array.isArray(node.parent)) node.parent.splice(node.key as number, 1);
  else delete node.parent[node.key as string];
}

const TIME_KEY = /(^|_)(ts|time|timestamp)$/;
const isNumeric = (value: Json) =>
  typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));

// Larger than any Slack field (message text stops at 40,000 characters), yet three of them stay
// under the receiver's 1 MB limit, so the body itself is accepted.
const HUGE = 'x'.repeat(100_000);

function mutate(root: { [key: string]: Json }, { at, op, value }: Mutation): void {
  if (op === 'swap-type') {
    root.type = value;
    return;
  }
  const all = nodesOf(root);
  // A bad timestamp goes where a time is expected, and a bad number where a number is (a modal's
  // timeout choice, an event_time), when the body has such fields.
  const aimed = all.filter((candidate) =>
    op === 'bad-timestamp'
      ? TIME_KEY.test(String(candidate.key))
      : op === 'bad-number' && isNumeric(get(candidate)),
  );
  const nodes = aimed.length > 0 ? aimed : all;
  const node = nodes[at % Math.max(1, nodes.length)];
  if (node === undefined) return;
  switch (op) {
    case 'delete':
      remove(node);
      return;
    case 'rename': {
      const current = get(node);
      remove(node);
      if (!Array.isArray(node.parent)) node.parent[String(value)] = current;
      return;
    }
    case 'add-field':
      if (!Array.isArray(node.parent)) node.parent[String(value)] = get(node);
      return;
    case 'retype':
      set(node, value);
      return;
    case 'null':
      set(node, null);
      return;
    case 'empty-string':
      set(node, '');
      return;
    case 'huge-string':
      set(node, HUGE);
      return;
    case 'bad-timestamp':
    case 'bad-number':
      set(node, value);
      return;
    case 'wrap-in-array':
      set(node, [get(node)]);
      return;
    case 'wrap-in-object':
      set(node, { value: get(node) });
      return;
  }
}

/** Form fields are strings: a mutated value is sent as its JSON text (a string as itself). */
function formFields(value: { [key: string]: Json }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, typeof item === 'string' ? item : JSON.stringify(item)]),
  );
}

export interface EncodedRequest {
  body: string;
  contentType: string;
}

/** What the live parts of a fixture are replaced with, so a request can really be answered. */
export interface LiveValues {
  responseUrl: string;
  triggerId: string;
  /** Each event delivery needs its own id, or the receiver acknowledges it as a retry. */
  eventId: string;
}

function withLiveValues(value: Record<string, unknown>, live: LiveValues): { [key: string]: Json } {
  const copy = structuredClone(value) as { [key: string]: Json };
  if ('response_url' in copy) copy.response_url = live.responseUrl;
  if ('trigger_id' in copy) copy.trigger_id = live.triggerId;
  if ('event_id' in copy) copy.event_id = live.eventId;
  return copy;
}

export function encodeCase(fuzz: FuzzCase, live: LiveValues): EncodedRequest {
  const { value, wire } = FIXTURES[fuzz.fixture];
  const body = withLiveValues(value, live);
  for (const change of fuzz.mutations) mutate(body, change);
  const json = JSON.stringify(body);
  switch (fuzz.encoding) {
    case 'truncated-json': {
      const cut = json.slice(0, Math.max(1, Math.floor(json.length / 2)));
      return wire === 'json'
        ? { body: cut, contentType: JSON_TYPE }
        : { body: new URLSearchParams({ payload: cut }).toString(), contentType: FORM };
    }
    case 'json-not-an-object':
      return wire === 'json'
        ? { body: JSON.stringify([body]), contentType: JSON_TYPE }
        : { body: new URLSearchParams({ payload: JSON.stringify([body]) }).toString(), contentType: FORM };
    case 'form-for-json':
      return { body: new URLSearchParams(formFields(body)).toString(), contentType: FORM };
    case 'json-for-form':
      return { body: json, contentType: JSON_TYPE };
    case 'second-payload-field': {
      const form = new URLSearchParams(wire === 'payload' ? { payload: json } : formFields(body));
      form.append('payload', JSON.stringify({ type: 'block_actions' }));
      return { body: form.toString(), contentType: FORM };
    }
    case 'as-slack-sends':
      if (wire === 'json') return { body: json, contentType: JSON_TYPE };
      if (wire === 'payload')
        return { body: new URLSearchParams({ payload: json }).toString(), contentType: FORM };
      return { body: new URLSearchParams(formFields(body)).toString(), contentType: FORM };
  }
}

/** Unmutated fixtures, encoded as Slack sends them: the fuzz test first checks these are served. */
export function fixtureNames(): FixtureName[] {
  return Object.keys(FIXTURES) as FixtureName[];
}
