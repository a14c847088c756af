import type { BodyKind } from '../../shared/read-request';

export type SlackBody = Record<string, unknown>;

export class BodyParseError extends Error {
  override readonly name = 'BodyParseError';
}

function parseJsonObject(text: string, what: string): SlackBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new BodyParseError(`${what} is not valid JSON`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BodyParseError(`${what} must be a JSON object`);
  }
  return value as SlackBody;
}

/**
 * Turns a verified body into the object Bolt expects. Interactive requests arrive as a form with
 * one `payload` field holding JSON; slash commands and ssl_check as plain form fields; the Events
 * API as JSON.
 */
export function parseSlackBody(rawBody: Buffer, kind: BodyKind): SlackBody {
  const text = rawBody.toString('utf8');
  if (text.trim() === '') throw new BodyParseError('The request body is empty');
  if (kind === 'json') return parseJsonObject(text, 'The request body');

  const form = new URLSearchParams(text);
  const payload = form.get('payload');
  if (payload !== null) return parseJsonObject(payload, 'The payload field');
  const fields: SlackBody = {};
  for (const [key, value] of form) fields[key] = value;
  if (Object.keys(fields).length === 0) throw new BodyParseError('The form body has no fields');
  return fields;
}
