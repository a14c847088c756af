import { describe, expect, it } from '@jest/globals';
import { readClientFrame } from '../../../app/websocket/client-frame';

const RATE = { limit: 10, windowSeconds: 10 };
const read = (body: string | undefined, binary = false) => readClientFrame(body, binary, RATE);
const errorOf = (body: string | undefined, binary = false) => {
  const frame = read(body, binary);
  if (frame.ok) throw new Error(`expected ${body} to be refused`);
  return frame.error;
};

describe('reading what a client sent', () => {
  it('accepts a sendmessage with a message', () => {
    expect(read('{"action":"sendmessage","message":"hi <!channel>"}')).toEqual({
      ok: true,
      message: 'hi <!channel>',
    });
  });

  it.each([
    ['not json', 'invalid_json', 'The frame is not JSON.'],
    [undefined, 'invalid_json', 'The frame is not JSON.'],
    ['[1,2]', 'invalid_json', 'The frame must be a JSON object.'],
    ['"sendmessage"', 'invalid_json', 'The frame must be a JSON object.'],
    ['{"message":"hi"}', 'unknown_action', 'No "action" given. The only action is "sendmessage".'],
    ['{"action":"shout"}', 'unknown_action', 'Unknown action "shout". The only action is "sendmessage".'],
    ['{"action":"sendmessage"}', 'invalid_message', '"message" must be a string.'],
    ['{"action":"sendmessage","message":"  "}', 'invalid_message', '"message" is empty.'],
  ])('answers %s with %s', (body, code, message) => {
    expect(errorOf(body)).toEqual({
      type: 'error',
      error: code,
      message,
      usage: expect.stringContaining('sendmessage'),
    });
  });

  it('counts characters, not UTF-16 units: 3000 emoji pass, 3001 do not', () => {
    const frame = (text: string) => JSON.stringify({ action: 'sendmessage', message: text });
    expect(read(frame('🙂'.repeat(3000))).ok).toBe(true);
    expect(errorOf(frame('🙂'.repeat(3001))).message).toBe(
      '"message" can be at most 3000 characters; this one has 3001.',
    );
  });

  it('refuses a frame over 32768 bytes before parsing it', () => {
    const body = `{"action":"sendmessage","message":"${'x'.repeat(32_768)}"}`;
    expect(errorOf(body)).toMatchObject({ error: 'message_too_large' });
    expect(errorOf(`${'{'.repeat(32_769)}`)).toMatchObject({ error: 'message_too_large' });
  });

  it('refuses a binary frame', () => {
    expect(errorOf('AAEC', true)).toMatchObject({ error: 'binary_not_supported' });
  });

  it('gives usage help that states the limits in force', () => {
    expect(readClientFrame('x', false, { limit: 3, windowSeconds: 60 })).toMatchObject({
      error: { usage: expect.stringContaining('at most 3 messages per 60 seconds') },
    });
  });
});
