import type { WebClient } from '@slack/web-api';
import type { StepCompletions, StepResult } from '../approvals';
import { webApiFailureOf } from './web-api-failure';

/**
 * functions.completeSuccess / completeError for a Workflow Builder step, with the app's bot token:
 * the short-lived token of the `function_executed` event is never stored, and the outcome comes
 * from another function, hours or days later. A refusal Slack will not change its mind on (the
 * execution is gone, or already completed) is `gone`; an outage or rate limit throws, to be retried.
 */
export class SlackStepCompletions implements StepCompletions {
  constructor(private readonly client: Pick<WebClient, 'functions'>) {}

  async complete(functionExecutionId: string, result: StepResult): Promise<'completed' | 'gone'> {
    try {
      if (result.ok) {
        await this.client.functions.completeSuccess({
          function_execution_id: functionExecutionId,
          outputs: { ...result.outputs },
        });
      } else {
        await this.client.functions.completeError({
          function_execution_id: functionExecutionId,
          error: result.error,
        });
      }
      return 'completed';
    } catch (error) {
      const failure = webApiFailureOf(error);
      if (failure !== undefined && !failure.transient) return 'gone';
      throw error;
    }
  }
}
