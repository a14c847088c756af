import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, readBody } from './http';

/**
 * A local Secrets Manager that answers `GetSecretValue` and `PutSecretValue` over the AWS JSON 1.1
 * protocol, like the real one: the functions read their secrets here exactly as they do on AWS (a
 * SigV4-signed POST with `X-Amz-Target: secretsmanager.GetSecretValue`), through
 * AWS_ENDPOINT_URL_SECRETS_MANAGER, and the README's `aws secretsmanager` commands work against it
 * with `--endpoint-url`. Only the current version of each secret exists; nothing is persisted.
 */
export interface LocalSecret {
  arn: string;
  secretString: string;
}

export interface LocalSecretsManager {
  url: string;
  /** Replaces a secret's value, as `put-secret-value` would (tests use it). */
  put(arn: string, secretString: string): void;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'secretsmanager.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_REQUEST_BYTES = 64 * 1024;

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface StoredSecret {
  arn: string;
  name: string;
  versionId: string;
  secretString: string;
  createdDate: number;
}

// arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf, where the 6 characters are Secrets Manager's.
function nameOf(arn: string): string {
  return arn.split(':secret:')[1]?.replace(/-[A-Za-z0-9]{6}$/, '') ?? arn;
}

/** Like AWS: a request must be SigV4-signed for this service before anything else is looked at. */
function checkSignature(request: IncomingMessage): void {
  const authorization = request.headers.authorization;
  if (!authorization) {
    throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization)?.[1];
  if (!authorization.startsWith('AWS4-HMAC-SHA256 ') || service === undefined) {
    throw new ApiError('IncompleteSignatureException', 'The Authorization header is not a SigV4 signature');
  }
  if (service !== 'secretsmanager') {
    throw new ApiError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: 'secretsmanager'.`,
    );
  }
}

export async function startSecretsManager(options: {
  port: number;
  host: string;
  secrets: readonly LocalSecret[];
}): Promise<LocalSecretsManager> {
  const secrets = new Map<string, StoredSecret>();
  const put = (arn: string, secretString: string) => {
    secrets.set(arn, {
      arn,
      name: nameOf(arn),
      versionId: randomUUID(),
      secretString,
      createdDate: Math.floor(Date.now() / 1000),
    });
  };
  for (const secret of options.secrets) put(secret.arn, secret.secretString);

  // SecretId may be the ARN, the ARN without its suffix, or the name, as on AWS.
  const find = (secretId: unknown): StoredSecret => {
    for (const secret of secrets.values()) {
      if (secretId === secret.arn || secretId === secret.name || secretId === secret.arn.slice(0, -7))
        return secret;
    }
    throw new ApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetSecretValue(input) {
      if (typeof input.SecretId !== 'string' || input.SecretId === '') {
        throw new ApiError('InvalidParameterException', 'SecretId is required.');
      }
      if (input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT') {
        throw new ApiError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for staging label: " +
            String(input.VersionStage),
        );
      }
      const secret = find(input.SecretId);
      if (input.VersionId !== undefined && input.VersionId !== secret.versionId) {
        throw new ApiError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for VersionId",
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: secret.versionId,
        SecretString: secret.secretString,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.createdDate,
      };
    },
    PutSecretValue(input) {
      const secret = find(input.SecretId);
      const value = input.SecretString;
      if (typeof value !== 'string' || value.length === 0 || value.length > 65_536) {
        throw new ApiError(
          'InvalidParameterException',
          'SecretString must be 1 to 65536 characters (SecretBinary is not supported here).',
        );
      }
      put(secret.arn, value);
      const stored = find(secret.arn);
      return {
        ARN: stored.arn,
        Name: stored.name,
        VersionId: stored.versionId,
        VersionStages: ['AWSCURRENT'],
      };
    },
  };

  async function answer(request: IncomingMessage): Promise<unknown> {
    const raw = await readBody(request, MAX_REQUEST_BYTES);
    if (raw === 'too_large') throw new ApiError('InvalidRequestException', 'Request is too large.', 413);
    checkSignature(request);
    const target = request.headers['x-amz-target'];
    const name =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : '';
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (request.method !== 'POST' || operation === undefined) {
      throw new ApiError('UnknownOperationException', `Unknown operation ${String(target)}`);
    }
    let input: unknown;
    try {
      input = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ApiError('SerializationException', 'The request body is not JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ApiError('SerializationException', 'The request body is not a JSON object.');
    }
    return operation(input as Record<string, unknown>);
  }

  const send = (response: ServerResponse, status: number, payload: unknown) => {
    const body = JSON.stringify(payload);
    response.writeHead(status, {
      'Content-Type': CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(body),
      'x-amzn-RequestId': randomUUID(),
    });
    response.end(body);
  };

  const server = createServer((request, response) => {
    answer(request).then(
      (result) => send(response, 200, result),
      (error: unknown) => {
        if (error instanceof ApiError)
          send(response, error.status, { __type: error.type, message: error.message });
        else {
          console.error('[secretsmanager] unexpected error', error);
          send(response, 500, { __type: 'InternalServiceError', message: 'Internal failure' });
        }
      },
    );
  });
  const address = await listen(server, options.port, options.host);
  return {
    url: `http://${options.host}:${address.port}`,
    put,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
