import { SfnApiError } from '../sfn-error';
import { TaskFailure } from '../task-failure';
import type { SendTaskAction } from '../task-resource';
import { asRecord, type IntegrationCall } from './integration';

/**
 * `arn:aws:states:::aws-sdk:sfn:sendTaskSuccess|sendTaskFailure`: completes a task of this same
 * endpoint. API errors surface as AWS SDK integrations name them, e.g. `Sfn.TaskTimedOutException`.
 */
export function sendTask(call: IntegrationCall, action: SendTaskAction): Promise<unknown> {
  const parameters = asRecord(call.parameters);
  const token = parameters.TaskToken;
  if (typeof token !== 'string' || token === '') {
    return Promise.reject(new TaskFailure('States.Runtime', `sfn:${action} needs a 'TaskToken' string`));
  }
  try {
    const attempt = call.services.taskAttempt(token);
    if (action === 'sendTaskSuccess') {
      const output = parameters.Output;
      attempt.succeed(typeof output === 'string' ? JSON.parse(output) : (output ?? {}));
    } else {
      attempt.fail(String(parameters.Error ?? ''), String(parameters.Cause ?? ''));
    }
  } catch (thrown) {
    if (thrown instanceof SfnApiError) {
      return Promise.reject(new TaskFailure(`Sfn.${thrown.code}Exception`, thrown.message));
    }
    return Promise.reject(thrown);
  }
  return Promise.resolve({});
}
