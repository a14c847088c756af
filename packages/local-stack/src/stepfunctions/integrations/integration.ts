import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ExecutionSummary, RecordedEvent } from '../types';

/** A child execution as it stopped: its summary, without the fields only the sandbox uses. */
export type ChildExecutionOutcome = Omit<ExecutionSummary, 'stateMachineName' | 'type'>;

export interface ChildExecution {
  executionArn: string;
  startDate: Date;
  /** Settles when the child stops, whatever its status. */
  done: Promise<ChildExecutionOutcome>;
  stop(error: string, cause: string): void;
}

/** What the service integrations reach: the local Lambda runner, DynamoDB, this very endpoint. */
export interface IntegrationServices {
  region: string;
  invokeLambda: (functionName: string, payload: unknown) => Promise<unknown>;
  dynamodb: DynamoDBClient;
  /** Starts an execution on this endpoint; throws SfnApiError as StartExecution would. */
  startExecution: (request: { stateMachineArn: string; name?: string; input: string }) => ChildExecution;
  recordEvents: (entries: ReadonlyArray<Omit<RecordedEvent, 'time'>>) => void;
  /** Keeps an sqs:sendMessage message; false when no queue has that URL. */
  queueMessage: (queueUrl: string, body: string) => boolean;
  /** The open task holding a token; throws SfnApiError (TaskDoesNotExist, TaskTimedOut…) as the API does. */
  taskAttempt: (token: string) => {
    succeed(output: unknown): void;
    fail(error: string, cause: string): void;
  };
}

export interface IntegrationCall {
  parameters: unknown;
  services: IntegrationServices;
  /** Aborted when the task attempt closes (timeout, stop): a waiting integration gives up. */
  signal: AbortSignal;
  /** For `.sync`: the request was accepted and the task now waits (history: TaskSubmitted). */
  submitted: (output: unknown) => void;
}

/** The HTTP metadata the optimized integrations add to every AWS SDK response. */
export function sdkMetadata(requestId: string): Record<string, unknown> {
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: { 'Content-Type': ['application/x-amz-json-1.0'], 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** Parameters as an object; anything else reads as no parameters, which the API call then refuses. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Round-trips through JSON as the wire would: drops undefined, turns bytes into base64. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, inner: unknown) =>
      inner instanceof Uint8Array ? Buffer.from(inner).toString('base64') : inner,
    ),
  );
}
