/**
 * A failed call to Slack during a request: a Web API method (`views.open`, `chat.postEphemeral`…)
 * or a post to a response_url. Read from the errors' `code`, so the Web API module need not be
 * loaded to recognise them (the Slack function loads it on demand).
 */
export interface WebApiFailure {
  /** Slack's error name (`invalid_trigger_id`), or the kind of failure when Slack named none. */
  code: string;
  /** Slack was unreachable, overloaded or rate-limiting: the same call may work later. */
  transient: boolean;
}

const TRIGGER_ERRORS = new Set(['invalid_trigger_id', 'expired_trigger_id', 'exchanged_trigger_id']);

const byStatus = (status: unknown): WebApiFailure => {
  const code = typeof status === 'number' ? `http_${status}` : 'http_error';
  return { code, transient: typeof status !== 'number' || status >= 500 || status === 429 };
};

export function webApiFailureOf(error: unknown): WebApiFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, data, statusCode } = error as {
    code?: unknown;
    data?: { error?: unknown };
    statusCode?: unknown;
  };
  switch (code) {
    case 'slack_webapi_platform_error':
      return { code: typeof data?.error === 'string' ? data.error : 'platform_error', transient: false };
    case 'slack_webapi_rate_limited_error':
      return { code: 'ratelimited', transient: true };
    case 'slack_webapi_request_error':
      return { code: 'request_error', transient: true };
    case 'slack_webapi_http_error':
    case 'slack_bolt_respond_error':
      return byStatus(statusCode);
    default:
      return undefined;
  }
}

/**
 * What the person is told, with what to do next (`retry` says how: "run `/greenlight` again").
 * A trigger id lives 3 seconds and works once, so a late or repeated one means the form missed
 * its moment, not that anything is broken.
 */
export function webApiAdvice(failure: WebApiFailure, retry: string): string {
  if (TRIGGER_ERRORS.has(failure.code)) return `:hourglass: The form could not open in time; ${retry}.`;
  if (failure.transient) return `:warning: Slack did not answer Greenlight just now; ${retry} in a moment.`;
  return `:warning: Slack refused a call Greenlight made (\`${failure.code}\`); ${retry}. If it happens again, tell whoever runs Greenlight.`;
}
