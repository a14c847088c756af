import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { Approval, Delivery, GateCallbacks } from '../../approvals';
import { slackUrl } from '../slack-link';

export interface GitHubAppSettings {
  appId: string | undefined;
  apiUrl: string;
  privateKey: string | undefined;
}

const ATTEMPTS = 3;
const HEADERS = {
  Accept: 'application/vnd.github+json',
  'X-GitHub-Api-Version': '2022-11-28',
  'User-Agent': 'greenlight-approvals',
};

class GitHubCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Answers a GitHub deployment protection rule at the outcome, as the App: a JWT (RS256, its private
 * key, `iss` its id, 9 minutes) buys an installation token, which reviews the run. Network errors,
 * 429 and 5xx are retried here a few times; what still fails is returned as a problem, recorded on
 * the request, and tried again by the close-out sweep.
 */
export class GitHubCallbacks implements GateCallbacks {
  private readonly key: KeyObject | undefined;

  constructor(
    private readonly settings: GitHubAppSettings,
    private readonly options: { pause?: (ms: number) => Promise<void>; now?: () => Date } = {},
  ) {
    this.key = settings.privateKey ? createPrivateKey(settings.privateKey) : undefined;
  }

  async callBack(approval: Approval): Promise<Delivery> {
    const target = approval.origin?.callback;
    if (target?.kind !== 'github' || approval.status === 'PENDING') return { ok: true };
    if (this.settings.appId === undefined || this.key === undefined)
      return {
        ok: false,
        problem: `GitHub was not told: no GitHub App is configured (GitHubAppId, GITHUB_APP_PRIVATE_KEY); the deployment of ${target.owner}/${target.repo} to ${target.environment} still waits.`,
      };
    const state = approval.status === 'APPROVED' ? 'approved' : 'rejected';
    const why = approval.comment ? `: ${approval.comment}` : '';
    const by = approval.decider ? ` by ${approval.decider}` : '';
    const review = {
      environment_name: target.environment,
      state,
      comment:
        `${approval.status.toLowerCase()} in Greenlight${by}${why} (${approval.id}, ${slackUrl(approval)})`.slice(
          0,
          1000,
        ),
    };
    let last = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      try {
        const token = await this.installationToken(target.installationId);
        await this.call(
          `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/actions/runs/${target.runId}/deployment_protection_rule`,
          `token ${token}`,
          review,
        );
        return { ok: true };
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
        if (error instanceof GitHubCallError && !error.retryable) break;
        if (attempt < ATTEMPTS) await (this.options.pause ?? defaultPause)(300 * 2 ** attempt);
      }
    }
    return { ok: false, problem: `GitHub was not told the outcome (${last}); Greenlight tries again.` };
  }

  private appJwt(): string {
    const now = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
    // iat a minute back, as GitHub advises, for clocks that drift.
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 60, exp: now + 540, iss: this.settings.appId })}`;
    return `${input}.${sign('RSA-SHA256', Buffer.from(input), this.key as KeyObject).toString('base64url')}`;
  }

  private async installationToken(installationId: number): Promise<string> {
    const body = await this.call(
      `/app/installations/${installationId}/access_tokens`,
      `Bearer ${this.appJwt()}`,
    );
    const token = (body as { token?: unknown }).token;
    if (typeof token !== 'string') throw new GitHubCallError('no installation token in the answer', true);
    return token;
  }

  private async call(path: string, authorization: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.apiUrl.replace(/\/+$/, '')}${path}`, {
        method: 'POST',
        headers: {
          ...HEADERS,
          Authorization: authorization,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new GitHubCallError(
        `POST ${path.split('/').slice(0, 3).join('/')}…: ${error instanceof Error ? error.name : 'failed'}`,
        true,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const message = (() => {
        try {
          return String((JSON.parse(text) as { message?: unknown }).message ?? '');
        } catch {
          return '';
        }
      })();
      throw new GitHubCallError(
        `GitHub answered ${response.status}${message ? ` "${message.slice(0, 200)}"` : ''}`,
        response.status >= 500 || response.status === 429,
      );
    }
    return text ? JSON.parse(text) : {};
  }
}

const defaultPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
