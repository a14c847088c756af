import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';

export type { HistoryEvent } from '@aws-sdk/client-sfn';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface StateMachineConfig {
  name: string;
  type: StateMachineType;
  /** Amazon States Language, with DefinitionSubstitutions already resolved. */
  definition: string | object;
  roleArn?: string;
}

export interface StepFunctionsOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default us-east-1. */
  region?: string;
  /** Default 000000000000. */
  accountId?: string;
  stateMachines: StateMachineConfig[];
  /**
   * Runs a Lambda function. `functionName` is as written in the ASL (a name or an ARN); the result
   * is the handler's return value; a throw is a Lambda function error.
   */
  invokeLambda: (functionName: string, payload: unknown) => Promise<unknown>;
  /** A real client pointed at the local DynamoDB. */
  dynamodb: DynamoDBClient;
  /**
   * Where STANDARD executions and recorded events persist across restarts; undefined keeps them in
   * memory. Executions left RUNNING resume when resumeExecutions() is called.
   */
  dataDir?: string | undefined;
  /** The URLs of the queues sqs:sendMessage may send to (the template's); none by default. */
  queueUrls?: ReadonlyArray<string>;
}

/** A message an sqs:sendMessage task sent. */
export interface QueuedMessage {
  queueUrl: string;
  body: string;
  /** ISO 8601, when it was sent. */
  time: string;
}

export interface RecordedEvent {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  /** ISO 8601, when the entry was put. */
  time: string;
}

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  type: StateMachineType;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface StepFunctionsServer {
  url: string;
  port: number;
  close(): Promise<void>;
  stateMachineArn(name: string): string;
  /** Every events:putEvents entry, oldest first. */
  events(): ReadonlyArray<RecordedEvent>;
  /** Every sqs:sendMessage message, oldest first (kept in memory only). */
  queuedMessages(): ReadonlyArray<QueuedMessage>;
  /** Every execution, STANDARD and EXPRESS, oldest first. */
  executions(): ReadonlyArray<ExecutionSummary>;
  /** The same events GetExecutionHistory returns, oldest first; empty for an unknown ARN. */
  history(executionArn: string): ReadonlyArray<HistoryEvent>;
  /**
   * Carries on the executions a previous run left RUNNING (persistent mode); call once what they
   * invoke is up. Returns how many resumed.
   */
  resumeExecutions(): number;
  /** Called with an execution's ARN whenever its status or history changes; returns an unsubscribe. */
  onChange(listener: (executionArn: string) => void): () => void;
}
