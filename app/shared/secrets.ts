import { type SecretsManager, type SecretsManagerError, secretsManager } from './aws/secrets-manager';
import { ConfigError } from './config';
import { oncePerContainer } from './once-per-container';

/**
 * The app's secrets. Deployed, they live in one Secrets Manager secret, a JSON object with these
 * keys, whose ARN the template gives every function as GREENLIGHT_SECRET_ARN; each function reads
 * the keys it needs once per container, on its first invocation. Without GREENLIGHT_SECRET_ARN the
 * same names are read from the environment instead (tests and the benchmark); one source or the
 * other, never both, so no value can silently win over another.
 */
export const SECRET_NAMES = [
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'WEBSOCKET_TOKEN_KEY',
  'LINK_SIGNING_KEY',
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
export type Secrets<N extends SecretName> = Readonly<Record<N, string>>;

export const SECRET_ARN_VARIABLE = 'GREENLIGHT_SECRET_ARN';

/** What the stack stores until someone puts the real values in (README, "Deploy to AWS"). */
export const PLACEHOLDER = 'REPLACE_ME';

const HOW_TO_FILL = 'put the real values in the secret (README: "Deploy to AWS and install in Slack")';

export interface SecretsOptions {
  env?: NodeJS.ProcessEnv;
  /** The seam for tests; by default the Secrets Manager client, loaded on first use. */
  secretsManager?: () => Promise<SecretsManager>;
}

// The client module itself loads the SDK on its first read, so importing it here costs nothing.
const defaultSecretsManager = async (): Promise<SecretsManager> => secretsManager;

function fromEnvironment<N extends SecretName>(names: readonly N[], env: NodeJS.ProcessEnv): Secrets<N> {
  const values: Partial<Record<N, string>> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set; ` +
        `set ${SECRET_ARN_VARIABLE} to the app's secret, or the variables themselves`,
    );
  }
  return values as Secrets<N>;
}

function parseSecret<N extends SecretName>(names: readonly N[], arn: string, text: string): Secrets<N> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The text itself is never quoted: it is the secret.
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`Secret ${arn} is not a JSON object with ${names.join(', ')}`);
  }
  const stored = parsed as Record<string, unknown>;
  const values: Partial<Record<N, string>> = {};
  const problems: string[] = [];
  for (const name of names) {
    const value = stored[name];
    if (typeof value !== 'string' || value.trim() === '') problems.push(`has no ${name}`);
    else if (value.startsWith(PLACEHOLDER)) problems.push(`still has the placeholder for ${name}`);
    else values[name] = value.trim();
  }
  if (problems.length > 0) {
    throw new ConfigError(`Secret ${arn} ${problems.join(', ')}: ${HOW_TO_FILL}`);
  }
  return values as Secrets<N>;
}

const HINTS: Readonly<Record<string, string>> = {
  AccessDeniedException: `the function's role needs secretsmanager:GetSecretValue on it`,
  ResourceNotFoundException: `is ${SECRET_ARN_VARIABLE} the stack's SecretArn output?`,
};

/** A refusal that a retry will not fix is a deployment problem: say so, and what to check. */
function asConfigError(error: unknown, arn: string): unknown {
  const failure = error as Partial<SecretsManagerError> | undefined;
  if (failure?.name !== 'SecretsManagerError' || failure.retryable) return error;
  const hint = failure.code !== undefined ? HINTS[failure.code] : undefined;
  return new ConfigError(
    `Secret ${arn} cannot be read: ${failure.code}: ${failure.message}${hint ? ` (${hint})` : ''}`,
    { cause: error },
  );
}

/**
 * The secrets `names`, read on the first call and then kept for the container's life. A failure
 * (a placeholder still in the secret, a throttled call) is thrown as it is and not kept, so the next
 * invocation reads again: storing the Slack credentials after the first deploy takes effect on
 * the next request, with no redeploy. A value changed later reaches a warm container only when
 * Lambda replaces it (README says how to force that).
 */
export function secretsFor<N extends SecretName>(
  names: readonly N[],
  options: SecretsOptions = {},
): () => Promise<Secrets<N>> {
  const env = options.env ?? process.env;
  const loadClient = options.secretsManager ?? defaultSecretsManager;
  return oncePerContainer(async () => {
    // Read by its literal name, so the template test's scan sees which functions read it.
    const arn = env.GREENLIGHT_SECRET_ARN?.trim();
    if (!arn) return fromEnvironment(names, env);
    const shadowed = SECRET_NAMES.filter((name) => env[name] !== undefined);
    if (shadowed.length > 0) {
      throw new ConfigError(
        `Invalid configuration: ${shadowed.join(', ')} set in the environment as well as ${SECRET_ARN_VARIABLE}; ` +
          'secrets come from the secret only, so remove the variables',
      );
    }
    const client = await loadClient();
    let text: string;
    try {
      text = await client.getSecretString(arn);
    } catch (error) {
      throw asConfigError(error, arn);
    }
    return parseSecret(names, arn, text);
  });
}
