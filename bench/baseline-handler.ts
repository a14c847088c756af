import { createHmac, timingSafeEqual } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * The benchmark's yardstick: the least a Slack command handler on Lambda can do. It checks the
 * signature with node:crypto, parses the form, has a Step Functions client at module scope, and
 * answers with a JSON ack. Like the real function it publishes the request's count and ack latency
 * as one embedded-metric-format line on stdout: a write per request that any handler publishing
 * these figures pays. Bundled with the same options as the real functions.
 */
const secret = process.env.SLACK_SIGNING_SECRET ?? '';
export const stepFunctions = new SFNClient({});

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const headers = event.headers ?? {};
  const timestamp = headers['X-Slack-Request-Timestamp'] ?? headers['x-slack-request-timestamp'] ?? '';
  const signature = headers['X-Slack-Signature'] ?? headers['x-slack-signature'] ?? '';
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '');
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (
    Math.abs(Date.now() / 1000 - Number(timestamp)) > 300 ||
    given.length !== expected.length ||
    !timingSafeEqual(given, expected)
  ) {
    return { statusCode: 401, body: '' };
  }
  const form = new URLSearchParams(raw.toString('utf8'));
  const now = Date.now();
  process.stdout.write(
    `{"_aws":{"Timestamp":${now},"CloudWatchMetrics":[{"Namespace":"Greenlight","Dimensions":[[]],"Metrics":[{"Name":"SlackRequests","Unit":"Count"},{"Name":"SlackAckLatency","Unit":"Milliseconds"}]}]},"SlackRequests":1,"SlackAckLatency":${now - (event.requestContext?.requestTimeEpoch ?? now)}}\n`,
  );
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      response_type: 'ephemeral',
      text: `Received ${form.get('command')} ${form.get('text')}`,
    }),
  };
}
