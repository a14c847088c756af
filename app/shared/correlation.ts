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

/** The id of the request being handled; a fresh one outside any (a first edge of its own). */
export function currentCorrelationId(): string {
  const id = currentLogFields()?.correlationId;
  return typeof id === 'string' ? id : randomUUID();
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
