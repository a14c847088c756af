import { signSlackRequest } from '../slack-signature';
import type { ChangeFeed } from './change-feed';
import type { Clock, DeliveryAttempt, EventDeliveryReport, EventDeliverySettings } from './types';

/** Slack waits 3 s for an answer, then retries immediately, after 1 minute and after 5 minutes. */
const SLACK_TIMEOUT_MS = 3_000;
const SLACK_RETRY_DELAYS_MS: ReadonlyArray<number> = [0, 60_000, 300_000];
const MAX_RETRIES = 3;

interface AttemptOutcome {
  attempt: DeliveryAttempt;
  /** The app answered `X-Slack-No-Retry: 1`. */
  noRetry: boolean;
}

interface PendingWait {
  timer: NodeJS.Timeout;
  resume: (proceed: boolean) => void;
}

/**
 * Delivers Events API payloads to the app as Slack does: a signed JSON POST, judged failed on a
 * non-2xx answer, a timeout or a refused connection, and retried with `X-Slack-Retry-Num` and
 * `X-Slack-Retry-Reason` (each attempt signed afresh, with the same body).
 */
export class EventDeliverer {
  private url: string | undefined;
  private closed = false;
  private readonly reports: EventDeliveryReport[] = [];
  private readonly inFlight = new Set<AbortController>();
  private readonly waits = new Set<PendingWait>();
  private readonly timeoutMs: number;
  private readonly retryDelaysMs: ReadonlyArray<number>;

  constructor(
    private readonly signingSecret: string,
    settings: EventDeliverySettings,
    private readonly now: Clock,
    private readonly feed: ChangeFeed,
  ) {
    this.timeoutMs = settings.timeoutMs ?? SLACK_TIMEOUT_MS;
    this.retryDelaysMs = (settings.retryDelaysMs ?? SLACK_RETRY_DELAYS_MS).slice(0, MAX_RETRIES);
  }

  setUrl(url: string | undefined): void {
    this.url = url;
  }

  list(): EventDeliveryReport[] {
    return this.reports.map((report) => ({ ...report, attempts: [...report.attempts] }));
  }

  async deliver(eventId: string, payload: unknown): Promise<EventDeliveryReport> {
    const body = JSON.stringify(payload);
    const attempts: DeliveryAttempt[] = [];
    let stoppedBecause: EventDeliveryReport['stoppedBecause'];
    let delivered = false;
    let url = this.url;
    for (let retryNum = 0; retryNum <= this.retryDelaysMs.length; retryNum += 1) {
      const delay = retryNum === 0 ? 0 : (this.retryDelaysMs[retryNum - 1] ?? 0);
      if (!(await this.pause(delay))) {
        stoppedBecause = 'closed';
        break;
      }
      // Each attempt goes where the app is now, so a sandbox can fix the URL between retries.
      url = this.url;
      if (url === undefined) {
        stoppedBecause = 'no_events_url';
        break;
      }
      const outcome = await this.attempt(url, body, retryNum, attempts.at(-1)?.failure);
      attempts.push(outcome.attempt);
      if (outcome.attempt.failure === undefined) {
        delivered = true;
        break;
      }
      if (this.closed) {
        stoppedBecause = 'closed';
        break;
      }
      if (outcome.noRetry) {
        stoppedBecause = 'no_retry_requested';
        break;
      }
    }
    if (!delivered && stoppedBecause === undefined) stoppedBecause = 'retries_exhausted';
    const report: EventDeliveryReport = { eventId, url, delivered, attempts, stoppedBecause };
    this.reports.push(report);
    this.feed.emit({ type: 'event_delivered', report: { ...report, attempts: [...attempts] } });
    return report;
  }

  /** Stops retries and in-flight requests; their reports say `closed`. */
  close(): void {
    this.closed = true;
    for (const wait of this.waits) {
      clearTimeout(wait.timer);
      wait.resume(false);
    }
    this.waits.clear();
    for (const controller of this.inFlight) controller.abort();
  }

  private async attempt(
    url: string,
    body: string,
    retryNum: number,
    previousFailure: string | undefined,
  ): Promise<AttemptOutcome> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signSlackRequest(this.signingSecret, body, Math.floor(this.now() / 1000)),
    };
    if (retryNum > 0) {
      headers['X-Slack-Retry-Num'] = String(retryNum);
      headers['X-Slack-Retry-Reason'] = previousFailure ?? 'unknown_error';
    }
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
      // Read the answer in full: the timeout covers the whole exchange, as Slack's does.
      await response.arrayBuffer();
      const succeeded = response.status >= 200 && response.status < 300;
      return {
        attempt: { retryNum, status: response.status, failure: succeeded ? undefined : 'http_error' },
        noRetry: response.headers.get('x-slack-no-retry') === '1',
      };
    } catch {
      // fetch reports a refused connection and our own abort alike; the abort flag tells them apart.
      const failure = controller.signal.aborted ? 'http_timeout' : 'connection_failed';
      return { attempt: { retryNum, status: undefined, failure }, noRetry: false };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  /** Resolves false when the stand-in closes during the pause. */
  private pause(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wait: PendingWait = {
        timer: setTimeout(() => {
          this.waits.delete(wait);
          resolve(true);
        }, ms),
        resume: resolve,
      };
      this.waits.add(wait);
    });
  }
}
