import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEV_SECRETS } from '@greenlight/local-stack/dev-config';
import { parseDuration } from '../app/shared/duration';
import { mintConnectionToken } from '../app/websocket/connection-token';

const USAGE = `Usage: npm run ws-token -- --sub <subject> [--ttl <duration>]

Mints a WebSocket connection token signed with WEBSOCKET_TOKEN_KEY (from the environment or .env;
without one, the local stack's dev key). Prints only the token, so it can be captured:
  TOKEN=$(npm run -s ws-token -- --sub alice --ttl 1h)

  --sub   who connects: 1 to 64 letters, digits or . _ @ + -
  --ttl   how long the token can be used to connect: 30m, 1h, 2d (default 1h, at most 7d)`;

const DEFAULT_TTL = '1h';
const MAX_TTL_SECONDS = 7 * 24 * 60 * 60;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Reads the arguments into what to sign; every mistake is a UsageError that says which. */
export function readTokenRequest(args: string[]): { subject: string; ttlSeconds: number } {
  let values: { sub?: string | undefined; ttl?: string | undefined };
  try {
    ({ values } = parseArgs({ args, options: { sub: { type: 'string' }, ttl: { type: 'string' } } }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (!values.sub) throw new UsageError('--sub is required');
  const ttlSeconds = parseDuration(values.ttl ?? DEFAULT_TTL);
  if (ttlSeconds === undefined)
    throw new UsageError(`--ttl ${values.ttl} is not a duration like 30m, 1h or 2d`);
  if (ttlSeconds < 60 || ttlSeconds > MAX_TTL_SECONDS) throw new UsageError('--ttl must be from 1m to 7d');
  return { subject: values.sub, ttlSeconds };
}

function main(): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  let request: { subject: string; ttlSeconds: number };
  try {
    request = readTokenRequest(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  let key = process.env.WEBSOCKET_TOKEN_KEY?.trim();
  if (!key) {
    key = DEV_SECRETS.websocketTokenKey;
    console.error('WEBSOCKET_TOKEN_KEY is not set: signing with the local stack’s dev key.');
  }
  try {
    console.log(mintConnectionToken(key, request.subject, Date.now() + request.ttlSeconds * 1000));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  }
}

if (require.main === module) main();
