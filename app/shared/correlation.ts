import { randomUUID } from 'node:crypto';
import { currentLogFields, withLogContext } from './log';

/**
 * One id follows a request across the functions and both workflows, in every log line
 * (`correlationId`). The first edge (a Slack request, a WebSocket event, an e-mail link, a workflow
 * started directly) names it; after that it only travels, in workflow inputs and task payloads.
 */
export function withCorrelationId<T>(correlationId: string, run: () => T): T {
  return withLogContext({ correlationId }, run);
}

/** The id of the request being handled, if any. */
export function scopedCorrelationId(): string | undefined {
  const id = currentLogFields()?.correlationId;
  return typeof id === 'string' ? id : undefined;
}

/** The id of the request being handled; a fresh one outside any (a first edge of its own). */
export function currentCorrelationId(): string {
  return scopedCorrelationId() ?? randomUUID();
}

/**
 * Makes `correlationId` the id of the rest of the request being handled, for every line written
 * from here on (the receiver's metric line included): a click on a request's message is a step of
 * that request, whose id the message carries. The edge's own id stays on those lines as `edgeId`.
 */
export function adoptCorrelationId(correlationId: string): void {
  const fields = currentLogFields();
  if (fields === undefined || fields.correlationId === correlationId) return;
  fields.edgeId = fields.correlationId;
  fields.correlationId = correlationId;
}

// API Gateway request ids and UUIDs fit, with room; anything else read back from outside is dropped.
const CORRELATION_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** `value` if it can be a correlation id (one read back from a Slack payload, say), else undefined. */
export function validCorrelationId(value: unknown): string | undefined {
  return typeof value === 'string' && CORRELATION_ID.test(value) ? value : undefined;
}

/**
 * An edge's id: API Gateway's request id (the one in its own logs) where there is one, otherwise
 * the invocation's.
 */
export function edgeCorrelationId(event: unknown, awsRequestId: string | undefined): string {
  const requestId = (event as { requestContext?: { requestId?: unknown } } | null)?.requestContext?.requestId;
  if (typeof requestId === 'string' && requestId !== '') return requestId;
  return awsRequestId ?? randomUUID();
}
