import { randomBytes } from 'node:crypto';
import type { ChangeFeed } from './change-feed';
import { eventCallback } from './events-api-payload';
import { SlackApiError } from './slack-api-error';
import type { Clock, FunctionDefinition, FunctionExecution } from './types';
import type { AppIdentity } from './workspace';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const slackId = (prefix: string) =>
  `${prefix}${[...randomBytes(10)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')}`;

/**
 * Workflow Builder's side of the app's custom steps: each run gets a function execution id and is
 * delivered as `function_executed`; functions.completeSuccess/completeError end it, once (a second
 * completion is refused, as Slack refuses it). Kept in memory, like Slack's own run history view.
 */
export class FunctionExecutions {
  private readonly runs = new Map<string, FunctionExecution>();

  constructor(
    private readonly now: Clock,
    private readonly feed: ChangeFeed,
  ) {}

  start(callbackId: string, inputs: Record<string, unknown>): FunctionExecution {
    const run: FunctionExecution = {
      functionExecutionId: slackId('Fx'),
      workflowExecutionId: slackId('Wx'),
      callbackId,
      inputs,
      startedAt: new Date(this.now()).toISOString(),
      state: 'running',
      outputs: undefined,
      error: undefined,
      completedAt: undefined,
    };
    this.runs.set(run.functionExecutionId, run);
    this.feed.emit({ type: 'function_execution', execution: structuredClone(run) });
    return structuredClone(run);
  }

  complete(
    functionExecutionId: string | undefined,
    result: { outputs: Record<string, unknown> } | { error: string },
  ): void {
    if (functionExecutionId === undefined)
      throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: function_execution_id']);
    const run = this.runs.get(functionExecutionId);
    if (run === undefined) throw new SlackApiError('function_execution_not_found');
    if (run.state !== 'running') throw new SlackApiError('function_execution_already_completed');
    run.completedAt = new Date(this.now()).toISOString();
    if ('error' in result) {
      run.state = 'failed';
      run.error = result.error;
    } else {
      run.state = 'completed';
      run.outputs = result.outputs;
    }
    this.feed.emit({ type: 'function_execution', execution: structuredClone(run) });
  }

  get(functionExecutionId: string): FunctionExecution | undefined {
    const run = this.runs.get(functionExecutionId);
    return run === undefined ? undefined : structuredClone(run);
  }

  list(): FunctionExecution[] {
    return [...this.runs.values()].map((run) => structuredClone(run));
  }
}

/** The `event_callback` Slack sends the app when a workflow reaches its custom step. */
export function functionExecutedCallback(
  identity: AppIdentity,
  input: {
    run: FunctionExecution;
    definition: FunctionDefinition;
    eventId: string;
    botToken: string;
    nowMs: number;
  },
): Record<string, unknown> {
  const { run, definition } = input;
  const seconds = Math.floor(input.nowMs / 1000);
  const event = {
    type: 'function_executed',
    function: {
      id: `Fn${identity.appId.slice(1)}`,
      callback_id: definition.callbackId,
      title: definition.title,
      description: definition.description,
      type: 'app',
      input_parameters: definition.inputParameters,
      output_parameters: definition.outputParameters,
      app_id: identity.appId,
      date_created: seconds,
      date_updated: seconds,
      date_deleted: 0,
    },
    inputs: run.inputs,
    function_execution_id: run.functionExecutionId,
    workflow_execution_id: run.workflowExecutionId,
    event_ts: `${seconds}.000100`,
    // Slack's short-lived token for this execution; the stand-in issues the app's own token.
    bot_access_token: input.botToken,
  };
  return eventCallback(identity, event, input.eventId, seconds);
}
