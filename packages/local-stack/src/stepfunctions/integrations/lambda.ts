import { randomUUID } from 'node:crypto';
import { TaskFailure } from '../task-failure';
import { asRecord, type IntegrationCall, sdkMetadata, toJsonValue } from './integration';

/** `arn:aws:states:::lambda:invoke`: the optimized integration, whose output wraps the Payload. */
export async function invokeLambdaOptimized(call: IntegrationCall): Promise<unknown> {
  const parameters = asRecord(call.parameters);
  const functionName = parameters.FunctionName;
  if (typeof functionName !== 'string' || functionName === '') {
    throw new TaskFailure('States.Runtime', "lambda:invoke needs a 'FunctionName' string in its Parameters");
  }
  const qualifier = typeof parameters.Qualifier === 'string' ? parameters.Qualifier : '$LATEST';
  const requestId = randomUUID();
  if (parameters.InvocationType === 'Event') {
    // Fire and forget, as Lambda's asynchronous invocation: the task does not see the outcome.
    call.services.invokeLambda(functionName, toJsonValue(parameters.Payload)).catch(() => undefined);
    return { Payload: '', ...sdkMetadata(requestId), StatusCode: 202 };
  }
  const result = await invoke(call, functionName, parameters.Payload);
  return { ExecutedVersion: qualifier, Payload: result, ...sdkMetadata(requestId), StatusCode: 200 };
}

/** A Lambda function ARN as Resource: the legacy integration, whose output is the result itself. */
export function invokeLambdaFunction(call: IntegrationCall, functionArn: string): Promise<unknown> {
  return invoke(call, functionArn, call.parameters);
}

async function invoke(call: IntegrationCall, functionName: string, payload: unknown): Promise<unknown> {
  try {
    return toJsonValue(await call.services.invokeLambda(functionName, toJsonValue(payload)));
  } catch (thrown) {
    throw lambdaFunctionError(thrown);
  }
}

/** A function error as Step Functions reports it: the error type as Error, Lambda's error JSON as Cause. */
function lambdaFunctionError(thrown: unknown): TaskFailure {
  if (!(thrown instanceof Error)) {
    return new TaskFailure('Lambda.Unknown', JSON.stringify({ errorMessage: String(thrown) }));
  }
  const errorType = thrown.name || 'Error';
  const trace = (thrown.stack ?? '').split('\n').slice(0, 10);
  return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage: thrown.message, trace }));
}
