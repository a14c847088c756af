import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { newReceiptSigningKey } from '../app/gates/receipts';
import { PLACEHOLDER, SECRET_NAMES, type SecretName } from '../app/shared/secrets';

const USAGE = `Usage: aws secretsmanager get-secret-value --secret-id "$SECRET_ARN" --query SecretString --output text \\
  | npm run -s secret-value [-- --new-keys] \\
  | aws secretsmanager put-secret-value --secret-id "$SECRET_ARN" --secret-string file:///dev/stdin

Reads the app secret's current JSON on stdin and prints the new one on stdout:
  SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN   from the environment when set, else kept as they are
  WEBSOCKET_TOKEN_KEY, LINK_SIGNING_KEY,  generated (32 random bytes) while they hold the placeholder,
  GITHUB_WEBHOOK_SECRET                   else kept, so links and tokens already handed out stay valid
  RECEIPT_SIGNING_KEY                     an Ed25519 key generated once, then always kept (--new-keys too),
                                          so every receipt handed out still verifies
  GITHUB_APP_PRIVATE_KEY                  the PEM in GITHUB_APP_PRIVATE_KEY_FILE when set, else kept,
                                          else "not-configured" (no GitHub App; docs/github.md)
  --new-keys                              generates both keys again (outstanding e-mail links and
                                          WebSocket tokens stop working)
It prints only which keys it set, kept or generated (on stderr), never a value.`;

export type Change = 'set' | 'kept' | 'generated';

export class SecretValueError extends Error {
  override readonly name = 'SecretValueError';
}

export interface SecretInput {
  /** What the environment gives; undefined keeps the current value. */
  signingSecret?: string | undefined;
  botToken?: string | undefined;
  /** Makes the receipt signing key (a test passes its own). */
  newReceiptKey?: () => string;
  /** The GitHub App's private key (PEM), read from GITHUB_APP_PRIVATE_KEY_FILE. */
  githubAppPrivateKey?: string | undefined;
  newKeys?: boolean;
  randomKey?: () => string;
}

const generateKey = () => randomBytes(32).toString('base64url');

/** What GITHUB_APP_PRIVATE_KEY holds while no GitHub App is set up: the GitHub gate stays off. */
export const NO_GITHUB_APP = 'not-configured';

const isUnset = (value: unknown): boolean =>
  typeof value !== 'string' || value.trim() === '' || value.startsWith(PLACEHOLDER);

function checkSlackValue(name: SecretName, value: string): string {
  const trimmed = value.trim();
  if (name === 'SLACK_BOT_TOKEN' && !trimmed.startsWith('xoxb-')) {
    throw new SecretValueError(
      'SLACK_BOT_TOKEN must be the Bot User OAuth Token (xoxb-…, under OAuth & Permissions), not another kind of token',
    );
  }
  // Slack's signing secrets are 32 hex digits today; refuse only what is surely something else.
  if (name === 'SLACK_SIGNING_SECRET' && (trimmed.startsWith('xox') || !/^\S{16,}$/.test(trimmed))) {
    throw new SecretValueError(
      'SLACK_SIGNING_SECRET must be the Signing Secret (under Basic Information → App Credentials), not a token',
    );
  }
  return trimmed;
}

/**
 * The app secret's next value: the Slack values given, every HMAC key that is unset generated, and
 * the rest kept. Refuses to produce a secret that would still hold a placeholder.
 */
export function fillSecret(
  currentText: string,
  input: SecretInput,
): { value: Record<SecretName, string>; changes: Record<SecretName, Change> } {
  let current: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(currentText);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    current = parsed as Record<string, unknown>;
  } catch {
    throw new SecretValueError('stdin is not the secret’s JSON object (did get-secret-value fail?)');
  }
  const randomKey = input.randomKey ?? generateKey;
  const given: Partial<Record<SecretName, string | undefined>> = {
    SLACK_SIGNING_SECRET: input.signingSecret?.trim() || undefined,
    SLACK_BOT_TOKEN: input.botToken?.trim() || undefined,
  };
  const value = {} as Record<SecretName, string>;
  const changes = {} as Record<SecretName, Change>;
  for (const name of SECRET_NAMES) {
    const supplied = given[name];
    const existing = current[name];
    if (name === 'SLACK_SIGNING_SECRET' || name === 'SLACK_BOT_TOKEN') {
      if (supplied !== undefined) {
        value[name] = checkSlackValue(name, supplied);
        changes[name] = 'set';
      } else if (!isUnset(existing)) {
        value[name] = String(existing);
        changes[name] = 'kept';
      } else {
        throw new SecretValueError(`${name} still holds the placeholder: set ${name} in the environment`);
      }
    } else if (name === 'RECEIPT_SIGNING_KEY') {
      // Never replaced once made, not even by --new-keys: receipts already handed out must verify.
      if (isUnset(existing)) {
        value[name] = (input.newReceiptKey ?? newReceiptSigningKey)();
        changes[name] = 'generated';
      } else {
        value[name] = String(existing);
        changes[name] = 'kept';
      }
    } else if (name === 'GITHUB_APP_PRIVATE_KEY') {
      // Only GitHub makes this key: it is given, kept, or marked as no App (docs/github.md).
      const pem = input.githubAppPrivateKey?.trim();
      if (pem !== undefined && pem !== '') {
        if (!pem.startsWith('-----BEGIN'))
          throw new SecretValueError('GITHUB_APP_PRIVATE_KEY_FILE is not a PEM private key');
        value[name] = pem;
        changes[name] = 'set';
      } else if (!isUnset(existing)) {
        value[name] = String(existing);
        changes[name] = 'kept';
      } else {
        value[name] = NO_GITHUB_APP;
        changes[name] = 'set';
      }
    } else if (input.newKeys || isUnset(existing)) {
      value[name] = randomKey();
      changes[name] = 'generated';
    } else {
      value[name] = String(existing);
      changes[name] = 'kept';
    }
  }
  return { value, changes };
}

function main(): void {
  let newKeys: boolean | undefined;
  try {
    ({
      values: { 'new-keys': newKeys },
    } = parseArgs({ options: { 'new-keys': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.error(USAGE);
    return;
  }
  try {
    const { value, changes } = fillSecret(readFileSync(0, 'utf8'), {
      signingSecret: process.env.SLACK_SIGNING_SECRET,
      botToken: process.env.SLACK_BOT_TOKEN,
      githubAppPrivateKey: process.env.GITHUB_APP_PRIVATE_KEY_FILE
        ? readFileSync(process.env.GITHUB_APP_PRIVATE_KEY_FILE, 'utf8')
        : undefined,
      newKeys: newKeys === true,
    });
    process.stdout.write(JSON.stringify(value));
    console.error(
      Object.entries(changes)
        .map(([name, change]) => `${name}: ${change}`)
        .join(', '),
    );
  } catch (error) {
    if (!(error instanceof SecretValueError)) throw error;
    // Nothing reaches stdout, so put-secret-value gets an empty value and changes nothing.
    console.error(`secret-value: ${error.message}`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
