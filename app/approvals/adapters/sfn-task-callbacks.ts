import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { DecisionOutput, StageOutput } from '../model';
import type { CallbackOutcome, TaskCallbacks } from '../ports';

/**
 * SendTaskSuccess / SendTaskFailure. A token whose task is gone (timed out, completed by a racing
 * call, stopped with its execution, or unknown) is an expected outcome, not an error: the approval
 * record already says what happened, and the answer names why, for the close-out to log.
 */
export class StepFunctionsTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  succeed(taskToken: string, output: DecisionOutput | StageOutput): Promise<CallbackOutcome> {
    return this.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }

  fail(taskToken: string, error: string, cause: DecisionOutput): Promise<CallbackOutcome> {
    return this.send(new SendTaskFailureCommand({ taskToken, error, cause: JSON.stringify(cause) }));
  }

  private async send(command: SendTaskSuccessCommand | SendTaskFailureCommand): Promise<CallbackOutcome> {
    try {
      await this.client.send(command as SendTaskSuccessCommand);
      return 'delivered';
    } catch (error) {
      if (error instanceof TaskTimedOut) return 'TaskTimedOut';
      if (error instanceof TaskDoesNotExist) return 'TaskDoesNotExist';
      if (error instanceof InvalidToken) return 'InvalidToken';
      throw error;
    }
  }
}
