import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiArgs } from './api-args';
import type { MethodContext } from './method-context';
import { SlackApiError } from './slack-api-error';
import { webApiMethods } from './web-api-methods';

type Json = Record<string, unknown>;

function parseArguments(url: URL, rawBody: string, contentType: string): Json {
  const values: Json = Object.fromEntries(url.searchParams);
  if (rawBody === '') return values;
  if (contentType.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      throw new SlackApiError('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new SlackApiError('invalid_json');
    return { ...values, ...(parsed as Json) };
  }
  if (contentType.startsWith('multipart/form-data')) {
    // File uploads are out of scope for the stand-in.
    throw new SlackApiError('invalid_form_data');
  }
  return { ...values, ...Object.fromEntries(new URLSearchParams(rawBody)) };
}

function presentedToken(request: IncomingMessage, values: Json): string | undefined {
  const header = request.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer !== undefined) return bearer;
  return typeof values.token === 'string' && values.token !== '' ? values.token : undefined;
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Answers one Web API call as Slack does: always a JSON body, `ok: false` with Slack's error name
 * for every API error (unknown method first, then authentication, then the method's own checks).
 */
export function answerWebApiCall(
  method: string,
  request: IncomingMessage,
  url: URL,
  rawBody: string,
  botToken: string,
  context: MethodContext,
): Json {
  try {
    const handler = webApiMethods.get(method);
    if (handler === undefined) throw new SlackApiError('unknown_method', [], { req_method: method });
    const values = parseArguments(url, rawBody, request.headers['content-type'] ?? '');
    const token = presentedToken(request, values);
    if (token === undefined) throw new SlackApiError('not_authed');
    if (!sameSecret(token, botToken)) throw new SlackApiError('invalid_auth');
    return { ok: true, ...handler(new ApiArgs(values), context) };
  } catch (error) {
    if (error instanceof SlackApiError) return error.toResponse();
    throw error;
  }
}
