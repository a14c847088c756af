import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import HTTPReceiver from '../../../app/functions/receivers/HTTPReceiver';
import SocketModeReceiver from '../../../app/functions/receivers/SocketModeReceiver';

describe("stand-ins for Bolt's stock receivers", () => {
  it('refuse to build an HTTPReceiver, and say which receiver to use', () => {
    expect(() => new HTTPReceiver()).toThrow(/LambdaReceiver/);
  });

  it('refuse to build a SocketModeReceiver', () => {
    expect(() => new SocketModeReceiver()).toThrow(/Socket Mode/);
  });

  it("sit at the paths Bolt's App requires its stock receivers by", () => {
    const app = readFileSync(require.resolve('@slack/bolt/dist/App'), 'utf8');
    expect([
      app.includes('require("./receivers/HTTPReceiver")'),
      app.includes('require("./receivers/SocketModeReceiver")'),
    ]).toEqual([true, true]);
  });
});
