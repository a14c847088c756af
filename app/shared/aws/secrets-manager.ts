import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type AwsCredentials, signRequest } from './sigv4';

/**
 * Secrets Manager's GetSecretValue, the one call Greenlight makes to it, signed here with SigV4
 * (sigv4.ts) instead of through `@aws-sdk/client-secrets-manager`, which is not a dependency: the
 * call is one small JSON request, and the functions that make it pay nothing to load a client.
 *
 * Like every AWS client of this app, it follows the SDK's standard settings: the endpoint is
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` (or `AWS_ENDPOINT_URL`) when set, which is how the local stack
 * points it at its own Secrets Manager, and otherwise the regional endpoint of the secret's ARN.
 * Credentials are the ones the Lambda runtime puts in the environment for the function's role.
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
    /** Worth another try: throttling, a 5xx, a network failure or a timeout. */
    readonly retryable = false,
  ) {
    super(message);
  }
}

/** The ARN's parts this client needs; undefined when `value` is not a Secrets Manager secret ARN. */
export function parseSecretArn(value: string): { partition: string; region: string } | undefined {
  const match = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):\d{12}:secret:[\w/+=.@-]+$/.exec(value);
  return match?.[1] && match[2] ? { partition: match[1], region: match[2] } : undefined;
}

const DNS_SUFFIX: Readonly<Record<string, string>> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

export function endpointFor(secretArn: string, env: NodeJS.ProcessEnv): URL {
  const configured = env.AWS_ENDPOINT_URL_SECRETS_MANAGER?.trim() || env.AWS_ENDPOINT_URL?.trim();
  if (configured) return new URL(configured);
  const arn = parseSecretArn(secretArn);
  const suffix = arn ? DNS_SUFFIX[arn.partition] : undefined;
  if (!arn || !suffix) {
    throw new SecretsManagerError(
      'InvalidEndpoint',
      `No Secrets Manager endpoint is known for ${secretArn}; set AWS_ENDPOINT_URL_SECRETS_MANAGER`,
    );
  }
  const host = env.AWS_USE_FIPS_ENDPOINT === 'true' ? 'secretsmanager-fips' : 'secretsmanager';
  return new URL(`https://${host}.${arn.region}.${suffix}/`);
}

function credentialsFrom(env: NodeJS.ProcessEnv): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) {
    throw new SecretsManagerError(
      'MissingCredentials',
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them for the function role)',
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN?.trim() || undefined };
}

// A secret holds at most 64 KB; anything much larger is not an answer from Secrets Manager.
const MAX_RESPONSE_BYTES = 256 * 1024;
const TIMEOUT_MS = 2000;
const ATTEMPTS = 2;

interface RawResponse {
  status: number;
  body: string;
}

function post(url: URL, headers: Record<string, string>, body: string): Promise<RawResponse> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      // agent: false: one call per container, so no socket is kept open after it.
      { method: 'POST', headers, timeout: TIMEOUT_MS, agent: false },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            response.destroy();
            reject(new SecretsManagerError('ResponseTooLarge', 'The Secrets Manager response is too large'));
          } else chunks.push(chunk);
        });
        response.once('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.once('error', reject);
      },
    );
    request.once('timeout', () =>
      request.destroy(
        new SecretsManagerError('Timeout', `No answer from ${url.host} in ${TIMEOUT_MS} ms`, true),
      ),
    );
    request.once('error', (error) =>
      reject(
        error instanceof SecretsManagerError
          ? error
          : new SecretsManagerError('NetworkError', `Cannot reach ${url.host}: ${error.message}`, true),
      ),
    );
    request.end(body);
  });
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// `__type` may be namespaced (`com.amazonaws.secretsmanager#ResourceNotFoundException`).
function errorFrom(response: RawResponse): SecretsManagerError {
  const payload = parseJson(response.body);
  const type = String(payload.__type ?? payload.code ?? `HTTP${response.status}`);
  const code = type.split('#').pop()?.split(':')[0] ?? type;
  const message = String(payload.message ?? payload.Message ?? `Secrets Manager answered ${response.status}`);
  const retryable = response.status >= 500 || /Throttl|LimitExceeded/.test(code);
  return new SecretsManagerError(code, message, retryable);
}

async function getSecretStringOnce(secretArn: string, env: NodeJS.ProcessEnv): Promise<string> {
  const url = endpointFor(secretArn, env);
  const body = JSON.stringify({ SecretId: secretArn });
  const headers = signRequest(
    {
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body,
    },
    {
      credentials: credentialsFrom(env),
      region: parseSecretArn(secretArn)?.region ?? env.AWS_REGION ?? 'us-east-1',
      service: 'secretsmanager',
      now: new Date(),
    },
  );
  const response = await post(url, { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body);
  if (response.status !== 200) throw errorFrom(response);
  const value = parseJson(response.body).SecretString;
  if (typeof value !== 'string') {
    throw new SecretsManagerError(
      'NotAString',
      `Secret ${secretArn} has no SecretString (binary secrets are not read)`,
    );
  }
  return value;
}

/** A client that reads the environment when it is called (the Lambda runtime sets it before any call). */
export function secretsManagerFromEnvironment(env: NodeJS.ProcessEnv = process.env): SecretsManager {
  return {
    async getSecretString(secretArn) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await getSecretStringOnce(secretArn, env);
        } catch (error) {
          if (!(error instanceof SecretsManagerError && error.retryable) || attempt >= ATTEMPTS) throw error;
        }
      }
    },
  };
}

/** The container's client, at module scope like every other AWS client of this app. */
export const secretsManager: SecretsManager = secretsManagerFromEnvironment();
