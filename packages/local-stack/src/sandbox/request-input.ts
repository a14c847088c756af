import type {
  ActionRequest,
  ChoiceInput,
  CloseRequest,
  CommandRequest,
  HomeRequest,
  MessageRequest,
  ShortcutRequest,
  SubmitRequest,
  Surface,
  TokenRequest,
  ValuesInput,
  WorkflowRunRequest,
} from './protocol';

/** A request the sandbox API refuses, with the sentence the page shows. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Slack's composer takes 4,000 characters per message. */
export const MAX_TEXT_LENGTH = 4_000;
const MAX_VALUE_LENGTH = 3_000;
const MAX_CHOICES = 100;
const MAX_BLOCKS = 100;
const MAX_ELEMENTS_PER_BLOCK = 25;
const ID = /^[A-Za-z0-9._:-]{1,255}$/;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Json {
  if (!isRecord(value)) throw new InputError(`${what} must be a JSON object.`);
  return value;
}

function id(body: Json, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || !ID.test(value)) throw new InputError(`"${key}" must be an id.`);
  return value;
}

/** Block and action ids are the app's own strings: any text Slack accepts (1 to 255 characters). */
function elementId(body: Json, key: string): string {
  const value = body[key];
  const printable = typeof value === 'string' && [...value].every((char) => char.charCodeAt(0) >= 32);
  if (!printable || value.length === 0 || value.length > 255) {
    throw new InputError(`"${key}" must be a block or action id.`);
  }
  return value;
}

function optionalId(body: Json, key: string): string | undefined {
  return body[key] === undefined ? undefined : id(body, key);
}

function text(body: Json, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(`"${key}" must be some text.`);
  if (value.length > MAX_TEXT_LENGTH)
    throw new InputError(`"${key}" is longer than ${MAX_TEXT_LENGTH} characters.`);
  return value;
}

function choice(value: unknown, where: string): ChoiceInput {
  const body = record(value, where);
  const result: ChoiceInput = {};
  if (body.value !== undefined && body.value !== null) {
    if (typeof body.value !== 'string' || body.value.length > MAX_VALUE_LENGTH)
      throw new InputError(`${where}.value must be text of at most ${MAX_VALUE_LENGTH} characters.`);
    result.value = body.value;
  }
  if (body.values !== undefined) {
    const values = body.values;
    if (
      !Array.isArray(values) ||
      values.length > MAX_CHOICES ||
      !values.every((item) => typeof item === 'string' && item.length <= MAX_VALUE_LENGTH)
    )
      throw new InputError(`${where}.values must be a list of at most ${MAX_CHOICES} texts.`);
    result.values = values as string[];
  }
  return result;
}

function values(value: unknown): ValuesInput {
  if (value === undefined) return {};
  const blocks = record(value, '"values"');
  const entries = Object.entries(blocks);
  if (entries.length > MAX_BLOCKS) throw new InputError(`"values" has more than ${MAX_BLOCKS} blocks.`);
  const result: ValuesInput = {};
  for (const [blockId, elements] of entries) {
    const byAction = record(elements, `values.${blockId}`);
    if (Object.keys(byAction).length > MAX_ELEMENTS_PER_BLOCK)
      throw new InputError(`values.${blockId} has more than ${MAX_ELEMENTS_PER_BLOCK} elements.`);
    result[blockId] = Object.fromEntries(
      Object.entries(byAction).map(([actionId, entry]) => [
        actionId,
        choice(entry, `values.${blockId}.${actionId}`),
      ]),
    );
  }
  return result;
}

function surface(value: unknown): Surface {
  const body = record(value, '"surface"');
  switch (body.kind) {
    case 'message': {
      const threadTs = optionalId(body, 'threadTs');
      return {
        kind: 'message',
        channel: id(body, 'channel'),
        ts: id(body, 'ts'),
        ...(threadTs !== undefined ? { threadTs } : {}),
      };
    }
    case 'ephemeral':
      return { kind: 'ephemeral', ts: id(body, 'ts') };
    case 'view':
      return { kind: 'view', viewId: id(body, 'viewId') };
    case 'home':
      return { kind: 'home' };
    default:
      throw new InputError('"surface.kind" must be message, ephemeral, view or home.');
  }
}

export function commandRequest(value: unknown): CommandRequest {
  const body = record(value, 'The request');
  const typed = text(body, 'text').trim();
  if (!/^\/[a-z0-9_-]+(\s|$)/i.test(typed))
    throw new InputError('A slash command starts with "/" and a command name.');
  return { user: id(body, 'user'), channel: id(body, 'channel'), text: typed };
}

export function messageRequest(value: unknown): MessageRequest {
  const body = record(value, 'The request');
  const threadTs = optionalId(body, 'threadTs');
  return {
    user: id(body, 'user'),
    channel: id(body, 'channel'),
    text: text(body, 'text'),
    ...(threadTs !== undefined ? { threadTs } : {}),
  };
}

export function actionRequest(value: unknown): ActionRequest {
  const body = record(value, 'The request');
  return {
    user: id(body, 'user'),
    surface: surface(body.surface),
    blockId: elementId(body, 'blockId'),
    actionId: elementId(body, 'actionId'),
    ...(body.choice !== undefined ? { choice: choice(body.choice, '"choice"') } : {}),
    values: values(body.values),
  };
}

export function submitRequest(value: unknown): SubmitRequest {
  const body = record(value, 'The request');
  return { user: id(body, 'user'), viewId: id(body, 'viewId'), values: values(body.values) };
}

export function closeRequest(value: unknown): CloseRequest {
  const body = record(value, 'The request');
  return { user: id(body, 'user'), viewId: id(body, 'viewId') };
}

export function shortcutRequest(value: unknown): ShortcutRequest {
  const body = record(value, 'The request');
  const request: ShortcutRequest = { user: id(body, 'user'), callbackId: elementId(body, 'callbackId') };
  if (body.message === undefined) return request;
  const message = record(body.message, '"message"');
  const threadTs = optionalId(message, 'threadTs');
  return {
    ...request,
    message: {
      channel: id(message, 'channel'),
      ts: id(message, 'ts'),
      ...(threadTs !== undefined ? { threadTs } : {}),
    },
  };
}

/** A step's inputs: text, numbers and lists of ids, as Workflow Builder's form gives them. */
export function workflowRunRequest(value: unknown): WorkflowRunRequest {
  const body = record(value, 'The request');
  const raw = record(body.inputs, '"inputs"');
  const inputs: WorkflowRunRequest['inputs'] = {};
  for (const [name, input] of Object.entries(raw)) {
    if (!ID.test(name)) throw new InputError(`"${name}" is not an input name.`);
    const isIds =
      Array.isArray(input) &&
      input.length <= MAX_CHOICES &&
      input.every((item) => typeof item === 'string' && ID.test(item));
    const isText = typeof input === 'string' && input.length <= MAX_TEXT_LENGTH;
    const isNumber = typeof input === 'number' && Number.isFinite(input);
    if (!isIds && !isText && !isNumber)
      throw new InputError(`"inputs.${name}" must be text, a number or a list of ids.`);
    inputs[name] = input as string | number | string[];
  }
  return { user: id(body, 'user'), callbackId: elementId(body, 'callbackId'), inputs };
}

export function homeRequest(value: unknown): HomeRequest {
  const body = record(value, 'The request');
  return { user: id(body, 'user') };
}

export function tokenRequest(value: unknown): TokenRequest {
  const body = record(value, 'The request');
  return { user: id(body, 'user') };
}
