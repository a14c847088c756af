import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';

/**
 * Secrets Manager's GetSecretValue, the one call Greenlight makes to it, through the AWS SDK. The
 * client module is loaded on the first read only: a function configured from environment values
 * (the benchmark, a developer's own setup) never evaluates it, and a deployed function reads its
 * secret once per container anyway. The endpoint follows the SDK's standard settings
 * (`AWS_ENDPOINT_URL_SECRETS_MANAGER`), which is how the local stack points it at its own.
 */
export interface SecretsManager {
  /** The secret's current `SecretString`. */
  getSecretString(secretArn: string): Promise<string>;
}

/** The error type Secrets Manager answered with (`ResourceNotFoundException`…), or a local failure. */
export class SecretsManagerError extends Error {
  override readonly name = 'SecretsManagerError';

  constructor(
    readonly code: string,
    message: string,
    /** Worth another try later: throttling, a 5xx, a network failure or a timeout. */
    readonly retryable = false,
  ) {
    super(message);
  }
}

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
]);

/** The SDK's error, as the code Secrets Manager gave and whether a later request may succeed. */
function describeFailure(error: unknown): SecretsManagerError {
  const failure = error as {
    name?: string;
    code?: string;
    message?: string;
    $fault?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = failure.$metadata?.httpStatusCode;
  // No HTTP status: the request never got an answer (refused, reset, timed out).
  const unanswered = status === undefined || (failure.code !== undefined && NETWORK_ERRORS.has(failure.code));
  const code = unanswered ? 'NetworkError' : (failure.name ?? 'Error');
  const retryable =
    unanswered ||
    failure.$fault === 'server' ||
    failure.$retryable !== undefined ||
    (status !== undefined && status >= 500) ||
    /Throttl|LimitExceeded/.test(code);
  return new SecretsManagerError(code, failure.message ?? String(error), retryable);
}

/** A client with the SDK's standard configuration, optionally overridden (tests pass an endpoint). */
export function createSecretsManager(config: SecretsManagerClientConfig = {}): SecretsManager {
  let client: Promise<{
    send: (secretArn: string) => Promise<{ SecretString?: string | undefined }>;
  }>;
  const load = () => {
    client ??= import('@aws-sdk/client-secrets-manager').then(
      ({ SecretsManagerClient, GetSecretValueCommand }) => {
        const sdk = new SecretsManagerClient({ maxAttempts: 2, ...config });
        return { send: (secretArn: string) => sdk.send(new GetSecretValueCommand({ SecretId: secretArn })) };
      },
    );
    return client;
  };
  return {
    async getSecretString(secretArn) {
      let answer: { SecretString?: string | undefined };
      try {
        answer = await (await load()).send(secretArn);
      } catch (error) {
        throw describeFailure(error);
      }
      if (typeof answer.SecretString !== 'string') {
        throw new SecretsManagerError(
          'NotAString',
          `Secret ${secretArn} has no SecretString (binary secrets are not read)`,
        );
      }
      return answer.SecretString;
    },
  };
}

/** The container's client, at module scope like every other AWS client of this app. */
export const secretsManager: SecretsManager = createSecretsManager();
