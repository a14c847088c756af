import { MAX_FRAME_BYTES, MAX_MESSAGE_CHARS } from './limits';
import { type ErrorFrame, errorFrame } from './server-frames';

export type ClientFrame = { ok: true; message: string } | { ok: false; error: ErrorFrame };

export function usageHelp(rate: { limit: number; windowSeconds: number }): string {
  return (
    `Send {"action":"sendmessage","message":"<text>"}: up to ${MAX_MESSAGE_CHARS} characters, ` +
    `at most ${rate.limit} messages per ${rate.windowSeconds} seconds. ` +
    'You receive {"type":"message"} from other clients and {"type":"reply"} from Slack.'
  );
}

/**
 * Reads what a client sent on `sendmessage` or `$default` into a message, or the error frame that
 * says what is wrong with it. The size is checked before any parsing.
 */
export function readClientFrame(
  body: string | undefined,
  isBase64Encoded: boolean,
  rate: { limit: number; windowSeconds: number },
): ClientFrame {
  const fail = (error: Parameters<typeof errorFrame>[0], message: string): ClientFrame => ({
    ok: false,
    error: errorFrame(error, message, { usage: usageHelp(rate) }),
  });
  if (isBase64Encoded)
    return fail('binary_not_supported', 'Binary frames are not supported; send JSON text.');
  const text = body ?? '';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FRAME_BYTES) {
    return fail(
      'message_too_large',
      `A frame can be at most ${MAX_FRAME_BYTES} bytes; this one has ${bytes}.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('invalid_json', 'The frame is not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid_json', 'The frame must be a JSON object.');
  }
  const { action, message } = value as { action?: unknown; message?: unknown };
  if (action !== 'sendmessage') {
    const named =
      typeof action === 'string' ? `Unknown action "${action.slice(0, 64)}".` : 'No "action" given.';
    return fail('unknown_action', `${named} The only action is "sendmessage".`);
  }
  if (typeof message !== 'string') return fail('invalid_message', '"message" must be a string.');
  if (message.trim() === '') return fail('invalid_message', '"message" is empty.');
  const chars = [...message].length;
  if (chars > MAX_MESSAGE_CHARS) {
    return fail(
      'message_too_long',
      `"message" can be at most ${MAX_MESSAGE_CHARS} characters; this one has ${chars}.`,
    );
  }
  return { ok: true, message };
}
