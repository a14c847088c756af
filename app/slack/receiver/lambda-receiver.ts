import { createSecretKey, type KeyObject } from 'node:crypto';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { empty, json, problem } from '../../shared/http';
import type { Logger } from '../../shared/log';
import { type Metrics, metrics as stdoutMetrics } from '../../shared/metrics';
import { bodyKind, rawBodyLength, readHeaders, readRawBody } from '../../shared/read-request';
import { explanationModal } from '../views/explanation-modal';
import { type WebApiFailure, webApiAdvice, webApiFailureOf } from '../web-api-failure';
import type { EventDedup } from './event-dedup';
import { BodyParseError, parseSlackBody, type SlackBody } from './parse-body';
import { checkPayloadShape, type PayloadKind } from './payload-shape';
import { verifySlackSignature } from './verify-signature';

/** Slack's own payloads stay far below this; API Gateway would accept 10 MB. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type SlackLambdaHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

export interface LambdaReceiverOptions {
  signingSecret: string;
  dedup: EventDedup;
  logger: Logger;
  /** Where the request count and ack latency go; stdout's EMF lines by default. */
  metrics?: Metrics;
  now?: () => number;
}

const SIGNATURE_MESSAGES = {
  missing_headers: 'X-Slack-Signature and X-Slack-Request-Timestamp are required.',
  malformed_headers: 'X-Slack-Signature or X-Slack-Request-Timestamp is malformed.',
  stale_timestamp: 'X-Slack-Request-Timestamp is more than five minutes from now.',
  invalid_signature: 'The request signature does not match.',
} as const;

type AckResponse = APIGatewayProxyResult | undefined;

/** A signed request whose payload passed its shape check, on its way to Bolt. */
interface CheckedRequest {
  body: SlackBody;
  kind: Exclude<PayloadKind, 'ssl_check' | 'url_verification'>;
  headers: Map<string, string>;
  /** Epoch ms when API Gateway received it. */
  receivedAt: number;
}

// Frozen responses (e.g. the help message) never change, so each is serialized once.
const serializedFrozen = new WeakMap<object, APIGatewayProxyResult>();

function ackToResponse(response: unknown): APIGatewayProxyResult {
  if (response === undefined || response === '') return empty(200);
  if (typeof response === 'string') {
    return { statusCode: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: response };
  }
  if (typeof response === 'object' && response !== null && Object.isFrozen(response)) {
    let cached = serializedFrozen.get(response);
    if (!cached) {
      cached = json(200, response);
      serializedFrozen.set(response, cached);
    }
    return { ...cached, headers: { ...cached.headers } };
  }
  return json(200, response);
}

/**
 * Fallback for a request no listener acknowledged. Slack needs a 2xx for every delivery; a slash
 * command's response is shown to the user, so it says what went wrong.
 */
function unhandledResponse(body: SlackBody): APIGatewayProxyResult {
  if (typeof body.command === 'string') {
    return json(200, { response_type: 'ephemeral', text: `Greenlight does not handle \`${body.command}\`.` });
  }
  return empty(200);
}

/**
 * The answer when a call to Slack failed before the listener acknowledged. Slack shows a slash
 * command's answer and a modal submission's, so those say what to do; other interactions only
 * need their 2xx (their own listeners tell the person through response_url).
 */
function webApiFailureResponse(kind: PayloadKind, body: SlackBody, failure: WebApiFailure) {
  if (kind === 'slash_command') {
    const text = webApiAdvice(failure, `run \`${String(body.command)}\` again`);
    return json(200, { response_type: 'ephemeral', text });
  }
  if (kind === 'view_submission') {
    return json(200, explanationModal(webApiAdvice(failure, 'open the form and submit it again')));
  }
  return empty(200);
}

function describeRequest(body: SlackBody): Record<string, unknown> {
  const payload = body as {
    type?: unknown;
    command?: unknown;
    event?: { type?: unknown };
    actions?: unknown;
  };
  const actionIds = Array.isArray(payload.actions)
    ? payload.actions.map((action: { action_id?: unknown }) => action.action_id)
    : undefined;
  return { type: payload.type, command: payload.command, eventType: payload.event?.type, actionIds };
}

/**
 * A Bolt receiver for Lambda behind an API Gateway REST proxy integration. It owns transport only:
 * size limit, signature (before any parsing), content type, body parsing, Slack's handshake
 * requests and Events API retries; everything else is Bolt's. The handler always resolves to a
 * response, because a thrown invocation makes API Gateway answer 502 and Slack show an error.
 *
 * Lambda freezes the container once the handler returns, so listeners finish before the response
 * is sent (Bolt's processBeforeResponse): listeners own their deadline against Slack's 3 seconds.
 */
export class LambdaReceiver implements Receiver {
  private app: App | undefined;
  private readonly now: () => number;
  // Made once per container: HMAC with a prepared key skips converting the secret on every request.
  private readonly signingKey: KeyObject;

  constructor(private readonly options: LambdaReceiverOptions) {
    this.now = options.now ?? Date.now;
    this.signingKey = createSecretKey(Buffer.from(options.signingSecret, 'utf8'));
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<SlackLambdaHandler> {
    return this.toHandler();
  }

  async stop(): Promise<void> {}

  toHandler(): SlackLambdaHandler {
    return (event, context) => this.handle(event, context);
  }

  async handle(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
    const logger = this.options.logger.child({ requestId: context.awsRequestId });
    const signed = { verified: false };
    try {
      return await this.route(event, logger, signed);
    } catch (error) {
      logger.error('slack_request_failed', { error });
      return problem(500, 'internal_error', 'Something went wrong on our side. Please try again.');
    } finally {
      // Only requests Slack signed count: anything else on the URL is noise, not Slack's traffic.
      if (signed.verified) {
        const receivedAt = event.requestContext?.requestTimeEpoch ?? this.now();
        (this.options.metrics ?? stdoutMetrics).emit({
          slackRequests: 1,
          slackAckLatency: Math.max(0, this.now() - receivedAt),
        });
      }
    }
  }

  private async route(
    event: APIGatewayProxyEvent,
    logger: Logger,
    signed: { verified: boolean },
  ): Promise<APIGatewayProxyResult> {
    if (rawBodyLength(event) > MAX_BODY_BYTES) {
      return problem(413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    }
    const headers = readHeaders(event);
    const rawBody = readRawBody(event);
    const check = verifySlackSignature({
      signingSecret: this.signingKey,
      signature: headers.get('x-slack-signature'),
      timestamp: headers.get('x-slack-request-timestamp'),
      rawBody,
      nowSeconds: Math.floor(this.now() / 1000),
    });
    if (!check.ok) {
      logger.warn('slack_signature_rejected', { reason: check.reason });
      return problem(401, check.reason, SIGNATURE_MESSAGES[check.reason]);
    }
    signed.verified = true;

    const kind = bodyKind(headers.get('content-type'));
    if (kind === undefined) {
      return problem(
        415,
        'unsupported_media_type',
        'Use application/x-www-form-urlencoded or application/json.',
      );
    }
    let body: SlackBody;
    try {
      body = parseSlackBody(rawBody, kind);
    } catch (error) {
      if (error instanceof BodyParseError) return problem(400, 'invalid_body', `${error.message}.`);
      throw error;
    }

    // Bolt and the listeners read the payload unchecked: a wrong shape is refused here, precisely.
    const shape = checkPayloadShape(body);
    if (!shape.ok) {
      logger.warn('slack_payload_rejected', { problem: shape.problem });
      return problem(400, 'invalid_payload', shape.problem);
    }
    switch (shape.kind) {
      case 'ssl_check':
        return empty(200);
      case 'url_verification':
        return json(200, { challenge: body.challenge });
      case 'ignored':
        // Acknowledged so Slack does not retry (it retries Events API deliveries that are not 2xx).
        logger.info('slack_payload_ignored', { type: shape.type });
        return empty(200);
    }
    // Deadlines count from when API Gateway received the request, not from when this container woke.
    const receivedAt = event.requestContext?.requestTimeEpoch ?? this.now();
    const request = { body, kind: shape.kind, headers, receivedAt };
    if (shape.kind === 'event_callback') return this.handleEventCallback(request, logger);
    return this.dispatch(request, logger);
  }

  private async handleEventCallback(request: CheckedRequest, logger: Logger): Promise<APIGatewayProxyResult> {
    // The shape check made sure of it.
    const eventId = request.body.event_id as string;
    const eventLogger = logger.child({ eventId, retryNum: request.headers.get('x-slack-retry-num') });
    if (!(await this.options.dedup.claim(eventId))) {
      eventLogger.info('slack_event_duplicate');
      return empty(200);
    }
    try {
      return await this.dispatch(request, eventLogger);
    } catch (error) {
      // Give the event back so Slack's retry runs it; the outer handler answers 500, which asks for one.
      await this.options.dedup.release(eventId).catch((releaseError: unknown) => {
        eventLogger.error('slack_event_release_failed', { error: releaseError });
      });
      throw error;
    }
  }

  private async dispatch(request: CheckedRequest, logger: Logger): Promise<APIGatewayProxyResult> {
    const { body, kind, headers, receivedAt } = request;
    const app = this.app;
    if (app === undefined) throw new Error('LambdaReceiver.init was not called by Bolt');
    let acked: AckResponse;
    const retryNum = Number(headers.get('x-slack-retry-num'));
    const retryReason = headers.get('x-slack-retry-reason');
    const receiverEvent: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked !== undefined) {
          logger.warn('slack_ack_repeated');
          return;
        }
        acked = ackToResponse(response);
      },
      customProperties: { logger, receivedAt },
      ...(Number.isInteger(retryNum) && retryNum > 0 ? { retryNum } : {}),
      ...(retryReason !== undefined ? { retryReason } : {}),
    };
    try {
      await app.processEvent(receiverEvent);
    } catch (error) {
      // The listener failed after acknowledging: Slack already has its answer, so keep it.
      if (acked !== undefined && kind !== 'event_callback') {
        logger.error('slack_listener_failed_after_ack', { error, ...describeRequest(body) });
        return acked;
      }
      const failure = webApiFailureOf(error);
      // A refusal from Slack stays a refusal when retried; only a transient failure of an event is
      // thrown, so that the event is given back and Slack's retry (asked for by the 500) runs it.
      if (failure === undefined || (kind === 'event_callback' && failure.transient)) throw error;
      logger.warn('slack_web_api_failed', { ...failure, ...describeRequest(body), error });
      return webApiFailureResponse(kind, body, failure);
    }
    if (acked !== undefined) return acked;
    logger.info('slack_request_unhandled', describeRequest(body));
    return unhandledResponse(body);
  }
}
