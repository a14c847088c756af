import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { listen, readBody } from './http';

/**
 * A stand-in for the parts of GitHub's REST API a GitHub App uses to answer a deployment protection
 * rule: `POST /app/installations/{id}/access_tokens`, authenticated with the App's JWT (RS256, signed
 * by its private key, `iss` its App id, at most 10 minutes long), and `POST /repos/{owner}/{repo}/
 * actions/runs/{run_id}/deployment_protection_rule` with an installation token it issued. Every
 * call is recorded, refused ones too; `failNext` makes the next callbacks answer 502, as GitHub
 * does when it is having a bad day.
 */
export interface GitHubCall {
  method: string;
  path: string;
  status: number;
  body: unknown;
  at: string;
}

export interface GitHubApi {
  url: string;
  calls(): GitHubCall[];
  /** The protection-rule reviews that GitHub accepted. */
  reviews(): Array<{ owner: string; repo: string; runId: number; body: Record<string, unknown> }>;
  failNext(count: number): void;
  close(): Promise<void>;
}

const b64json = (part: string): Record<string, unknown> => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
};

export async function startGitHubApi(options: {
  port: number;
  host: string;
  appId: string;
  /** The App's private key (PEM); the stand-in checks JWTs with its public half. */
  privateKeyPem: string;
}): Promise<GitHubApi> {
  const publicKey = createPublicKey(options.privateKeyPem);
  const tokens = new Map<string, { installationId: number; expiresAt: number }>();
  const calls: GitHubCall[] = [];
  const reviews: Array<{ owner: string; repo: string; runId: number; body: Record<string, unknown> }> = [];
  let failures = 0;

  function appJwtProblem(authorization: string | undefined): string | undefined {
    const jwt = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '');
    if (!jwt) return 'A JSON web token could not be decoded';
    const [, header = '', payload = '', signature = ''] = jwt;
    if (b64json(header).alg !== 'RS256') return "'alg' must be RS256";
    if (
      !verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      )
    )
      return 'A JSON web token could not be decoded';
    const claims = b64json(payload);
    const now = Math.floor(Date.now() / 1000);
    if (String(claims.iss) !== options.appId) return "'Issuer' claim ('iss') must be the App id";
    if (typeof claims.exp !== 'number' || claims.exp <= now)
      return "'Expiration time' claim ('exp') is too far in the past";
    if (typeof claims.iat !== 'number' || claims.iat > now + 60)
      return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
    if (claims.exp - claims.iat > 600) return "'Expiration time' claim ('exp') is too far in the future";
    return undefined;
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const raw = await readBody(request, 1024 * 1024);
    const text = raw === 'too_large' ? '' : raw.toString('utf8');
    let body: unknown = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = text;
    }
    const answer = (status: number, payload?: unknown) => {
      calls.push({
        method: request.method ?? '',
        path: url.pathname,
        status,
        body,
        at: new Date().toISOString(),
      });
      response.writeHead(
        status,
        payload === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
      );
      response.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const tokenRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (request.method === 'POST' && tokenRoute) {
      const problem = appJwtProblem(request.headers.authorization);
      if (problem)
        return answer(401, { message: problem, documentation_url: 'https://docs.github.com/rest' });
      const token = `ghs_local${randomBytes(16).toString('hex')}`;
      const expiresAt = Date.now() + 3600_000;
      tokens.set(token, { installationId: Number(tokenRoute[1]), expiresAt });
      return answer(201, {
        token,
        expires_at: new Date(expiresAt).toISOString(),
        permissions: { deployments: 'write', actions: 'read' },
      });
    }
    const reviewRoute = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/deployment_protection_rule$/.exec(
      url.pathname,
    );
    if (request.method === 'POST' && reviewRoute) {
      const token = /^(?:token|Bearer) (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      const issued = token === undefined ? undefined : tokens.get(token);
      if (issued === undefined || issued.expiresAt < Date.now())
        return answer(401, { message: 'Bad credentials' });
      if (failures > 0) {
        failures -= 1;
        return answer(502, { message: 'Server Error' });
      }
      const review = body as Record<string, unknown>;
      if (
        typeof review.environment_name !== 'string' ||
        !['approved', 'rejected'].includes(String(review.state))
      )
        return answer(422, {
          message: 'Invalid request: environment_name and state (approved|rejected) are required',
        });
      reviews.push({
        owner: reviewRoute[1] ?? '',
        repo: reviewRoute[2] ?? '',
        runId: Number(reviewRoute[3]),
        body: review,
      });
      return answer(204);
    }
    return answer(404, { message: 'Not Found' });
  });
  const address = await listen(server, options.port, options.host);
  return {
    url: `http://${options.host}:${address.port}`,
    calls: () => [...calls],
    reviews: () => [...reviews],
    failNext: (count) => {
      failures = count;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
