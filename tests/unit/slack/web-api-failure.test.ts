import { describe, expect, it } from '@jest/globals';
import { webApiAdvice, webApiFailureOf } from '../../../app/slack/web-api-failure';

const coded = (code: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(code), { code, ...fields });

describe('Web API failures', () => {
  it.each([
    [
      'a platform error, by its Slack name',
      coded('slack_webapi_platform_error', { data: { error: 'invalid_arguments' } }),
      { code: 'invalid_arguments', transient: false },
    ],
    [
      'a rate limit',
      coded('slack_webapi_rate_limited_error', { retryAfter: 30 }),
      { code: 'ratelimited', transient: true },
    ],
    [
      'a request that never reached Slack',
      coded('slack_webapi_request_error'),
      { code: 'request_error', transient: true },
    ],
    [
      'an HTTP 503 from the Web API',
      coded('slack_webapi_http_error', { statusCode: 503 }),
      { code: 'http_503', transient: true },
    ],
    [
      'a response_url Slack answered 404',
      coded('slack_bolt_respond_error', { statusCode: 404 }),
      { code: 'http_404', transient: false },
    ],
  ])('recognises %s', (_name, error, failure) => {
    expect(webApiFailureOf(error)).toEqual(failure);
  });

  it.each([
    ['an error of our own', new Error('table is gone')],
    ['a DynamoDB error', coded('ValidationException')],
    ['a thrown string', 'oops'],
  ])('leaves %s alone', (_name, error) => {
    expect(webApiFailureOf(error)).toBeUndefined();
  });

  it.each([
    [
      { code: 'expired_trigger_id', transient: false },
      ':hourglass: The form could not open in time; run `/greenlight` again.',
    ],
    [
      { code: 'ratelimited', transient: true },
      ':warning: Slack did not answer Greenlight just now; run `/greenlight` again in a moment.',
    ],
    [
      { code: 'channel_not_found', transient: false },
      ':warning: Slack refused a call Greenlight made (`channel_not_found`); run `/greenlight` again. If it happens again, tell whoever runs Greenlight.',
    ],
  ])('advises on %j', (failure, advice) => {
    expect(webApiAdvice(failure, 'run `/greenlight` again')).toBe(advice);
  });
});
