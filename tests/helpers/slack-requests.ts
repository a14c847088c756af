import { signSlackRequest } from '@greenlight/local-stack/slack-signature';
import blockActionsFixture from '@greenlight/local-stack/testing/fixtures/slack/block-actions.json';
import slashCommandFixture from '@greenlight/local-stack/testing/fixtures/slack/slash-command.json';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import restEventFixture from '../fixtures/apigateway/rest-proxy-event.json';

/** The signing secret every test signs with; the app under test is configured with the same one. */
export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

export interface RequestOptions {
  contentType?: string | undefined;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  secret?: string;
  base64?: boolean;
  /** Extra headers, merged over the signed ones (use to tamper or to add X-Slack-Retry-Num). */
  headers?: Record<string, string>;
  /** Put headers only in multiValueHeaders, as some API Gateway setups do. */
  multiValueOnly?: boolean;
  /** Sign these bytes but send `body` (a tampered request). */
  signedBody?: string;
}

/** An API Gateway REST proxy event (payload v1) for POST /slack/events, signed like Slack signs. */
export function slackRequest(body: string, options: RequestOptions = {}): APIGatewayProxyEvent {
  const signed = signSlackRequest(
    options.secret ?? TEST_SIGNING_SECRET,
    options.signedBody ?? body,
    options.timestamp,
  );
  const headers: Record<string, string> = {
    ...restEventFixture.headers,
    ...(options.contentType === undefined ? {} : { 'Content-Type': options.contentType }),
    ...signed,
    ...options.headers,
  };
  const multiValueHeaders = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, [value]]),
  );
  return {
    ...(restEventFixture as unknown as APIGatewayProxyEvent),
    headers: options.multiValueOnly ? {} : headers,
    multiValueHeaders,
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** `/greenlight <text>` as Slack posts it. */
export function slashCommand(
  text: string,
  overrides: Record<string, string> = {},
  options: RequestOptions = {},
) {
  const body = formBody({ ...slashCommandFixture, text, ...overrides });
  return slackRequest(body, { contentType: FORM, ...options });
}

/** A button click as Slack posts it: a form with one JSON `payload` field. */
export function blockAction(
  action: { action_id: string; value: string },
  user = 'U0APPROVER',
  options: RequestOptions = {},
) {
  const payload = {
    ...blockActionsFixture,
    user: { ...blockActionsFixture.user, id: user },
    actions: [{ ...blockActionsFixture.actions[0], ...action }],
  };
  return slackRequest(formBody({ payload: JSON.stringify(payload) }), { contentType: FORM, ...options });
}

export function jsonRequest(value: unknown, options: RequestOptions = {}) {
  return slackRequest(JSON.stringify(value), { contentType: JSON_TYPE, ...options });
}

let invocation = 0;

/** A Lambda context for unit tests; the local stack builds real ones with a counting-down clock. */
export function lambdaContext(): Context {
  invocation += 1;
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'greenlight-slack',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:greenlight-slack',
    memoryLimitInMB: '512',
    awsRequestId: `test-request-${invocation}`,
    logGroupName: '/aws/lambda/greenlight-slack',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export function parseJsonBody(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}
