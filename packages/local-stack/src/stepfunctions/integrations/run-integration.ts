import type { TaskResource } from '../task-resource';
import { callDynamoDb } from './dynamodb';
import type { IntegrationCall } from './integration';
import { invokeLambdaFunction, invokeLambdaOptimized } from './lambda';
import { putEvents } from './put-events';
import { sendMessage } from './send-message';
import { sendTask } from './send-task';
import { startExecution } from './start-execution';

/** Makes the request a Task state's Resource names; for `.sync` it also waits for the job. */
export function runIntegration(resource: TaskResource, call: IntegrationCall): Promise<unknown> {
  switch (resource.kind) {
    case 'lambda-invoke':
      return invokeLambdaOptimized(call);
    case 'lambda-function':
      return invokeLambdaFunction(call, resource.functionArn);
    case 'dynamodb':
      return callDynamoDb(call, resource.flavor, resource.action);
    case 'start-execution':
      return startExecution(call, resource.pattern);
    case 'put-events':
      return putEvents(call);
    case 'sqs-send-message':
      return sendMessage(call);
    case 'send-task':
      return sendTask(call, resource.action);
  }
}
