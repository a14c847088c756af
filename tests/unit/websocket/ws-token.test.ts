import { describe, expect, it } from '@jest/globals';
import { readTokenRequest } from '../../../scripts/ws-token';

describe('npm run ws-token arguments', () => {
  it('read a subject and a time to live', () => {
    expect(readTokenRequest(['--sub', 'alice', '--ttl', '1h'])).toEqual({
      subject: 'alice',
      ttlSeconds: 3600,
    });
    expect(readTokenRequest(['--sub=bob', '--ttl=30m'])).toEqual({ subject: 'bob', ttlSeconds: 1800 });
  });

  it('default to one hour', () => {
    expect(readTokenRequest(['--sub', 'alice'])).toEqual({ subject: 'alice', ttlSeconds: 3600 });
  });

  it.each([
    [[], '--sub is required'],
    [['--sub', 'alice', '--ttl', 'soon'], '--ttl soon is not a duration like 30m, 1h or 2d'],
    [['--sub', 'alice', '--ttl', '8d'], '--ttl must be from 1m to 7d'],
    [['--sub', 'alice', '--ttl', '0m'], '--ttl must be from 1m to 7d'],
    [['--sub', 'alice', '--user', 'x'], "Unknown option '--user'"],
  ])('refuse %j: %s', (args, message) => {
    expect(() => readTokenRequest(args)).toThrow(message);
  });
});
