import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BridgeClient } from '../helpers/bridge-client';
import { TestStack } from '../helpers/local-stack';

// Its own file: the function reads its limits once per container, as on Lambda, and jest gives
// each test file a fresh one.
describe('the WebSocket bridge on the local stack: the rate per connection', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // A small limit in a window longer than the test, so the count does not depend on timing.
    stack = await TestStack.start({
      environment: { WEBSOCKET_RATE_LIMIT: '3', WEBSOCKET_RATE_WINDOW_SECONDS: '3600', LOG_LEVEL: 'warn' },
    });
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('delivers the messages within the rate and answers each one past it with a rate-limit error', async () => {
    const [sender, receiver] = await Promise.all([
      BridgeClient.connect(stack, 'chatty'),
      BridgeClient.connect(stack, 'listener'),
    ]);

    for (let i = 1; i <= 5; i += 1) sender.sendMessage(`message ${i}`);
    await sender.next((_frame) => sender.ofType('error').length === 2, 'two rate-limit errors');
    await receiver.next(() => receiver.ofType('message').length === 3, 'three messages');

    expect(sender.ofType('error')).toEqual([
      expect.objectContaining({ error: 'rate_limited', retryAfterSeconds: expect.any(Number) }),
      expect.objectContaining({ error: 'rate_limited', retryAfterSeconds: expect.any(Number) }),
    ]);
    expect(sender.ofType('error')[0]?.message).toBe(
      'Too many messages: at most 3 per 3600 seconds. This one was not delivered.',
    );
    expect(new Set(receiver.ofType('message').map((frame) => frame.message)).size).toBe(3);
  });
});
