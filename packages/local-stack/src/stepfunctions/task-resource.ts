/** How Step Functions waits on a service integration. */
export type IntegrationPattern = 'request-response' | 'callback' | 'sync' | 'sync:2';

export type DynamoDbAction = (typeof DYNAMODB_SDK_ACTIONS)[number];

export type TaskResource =
  | { kind: 'lambda-invoke'; pattern: IntegrationPattern }
  | { kind: 'lambda-function'; functionArn: string; pattern: 'request-response' }
  | { kind: 'dynamodb'; flavor: 'optimized' | 'aws-sdk'; action: DynamoDbAction; pattern: IntegrationPattern }
  | { kind: 'start-execution'; pattern: IntegrationPattern }
  | { kind: 'put-events'; pattern: IntegrationPattern }
  | { kind: 'sqs-send-message'; pattern: IntegrationPattern }
  | { kind: 'send-task'; action: SendTaskAction; pattern: 'request-response' };

export const SEND_TASK_ACTIONS = ['sendTaskSuccess', 'sendTaskFailure'] as const;
export type SendTaskAction = (typeof SEND_TASK_ACTIONS)[number];

const DYNAMODB_OPTIMIZED_ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem'] as const;
export const DYNAMODB_SDK_ACTIONS = [
  ...DYNAMODB_OPTIMIZED_ACTIONS,
  'query',
  'scan',
  'batchGetItem',
  'batchWriteItem',
  'transactGetItems',
  'transactWriteItems',
  'describeTable',
] as const;

const SERVICE_INTEGRATION = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:(.+?)(?:\.(waitForTaskToken|sync:2|sync))?$/;
const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?$/;

/** The integration a Task state's Resource names, or a message saying why this endpoint cannot run it. */
export function parseTaskResource(resource: string): TaskResource | { unsupported: string } {
  if (LAMBDA_FUNCTION.test(resource))
    return { kind: 'lambda-function', functionArn: resource, pattern: 'request-response' };
  const match = SERVICE_INTEGRATION.exec(resource);
  const api = match?.[1];
  if (api === undefined) return { unsupported: `'${resource}' is not a Task resource this endpoint knows` };
  const suffix = match?.[2];
  const pattern: IntegrationPattern =
    suffix === 'waitForTaskToken'
      ? 'callback'
      : suffix === 'sync' || suffix === 'sync:2'
        ? suffix
        : 'request-response';
  const unsupportedPattern = { unsupported: `'${resource}': this integration has no '.${suffix}' pattern` };

  if (api === 'lambda:invoke') {
    return pattern === 'request-response' || pattern === 'callback'
      ? { kind: 'lambda-invoke', pattern }
      : unsupportedPattern;
  }
  if (api === 'states:startExecution') return { kind: 'start-execution', pattern };
  if (api === 'events:putEvents') {
    return pattern === 'request-response' || pattern === 'callback'
      ? { kind: 'put-events', pattern }
      : unsupportedPattern;
  }
  if (api === 'sqs:sendMessage') {
    return pattern === 'request-response' || pattern === 'callback'
      ? { kind: 'sqs-send-message', pattern }
      : unsupportedPattern;
  }
  const sendTask = /^aws-sdk:sfn:(\w+)$/.exec(api)?.[1];
  if (sendTask !== undefined) {
    const action = SEND_TASK_ACTIONS.find((known) => known === sendTask);
    if (action === undefined)
      return { unsupported: `'${resource}': Step Functions action '${sendTask}' is not emulated locally` };
    return pattern === 'request-response' ? { kind: 'send-task', action, pattern } : unsupportedPattern;
  }
  const optimized = /^dynamodb:(\w+)$/.exec(api)?.[1];
  if (optimized !== undefined) {
    const action = DYNAMODB_OPTIMIZED_ACTIONS.find((known) => known === optimized);
    if (action === undefined)
      return { unsupported: `'${resource}': no optimized DynamoDB integration '${optimized}'` };
    return pattern === 'request-response'
      ? { kind: 'dynamodb', flavor: 'optimized', action, pattern }
      : unsupportedPattern;
  }
  const sdk = /^aws-sdk:dynamodb:(\w+)$/.exec(api)?.[1];
  if (sdk !== undefined) {
    const action = DYNAMODB_SDK_ACTIONS.find((known) => known === sdk);
    if (action === undefined)
      return { unsupported: `'${resource}': DynamoDB action '${sdk}' is not emulated locally` };
    return pattern === 'request-response' || pattern === 'callback'
      ? { kind: 'dynamodb', flavor: 'aws-sdk', action, pattern }
      : unsupportedPattern;
  }
  return { unsupported: `'${resource}' is not a service integration this local endpoint emulates` };
}

/** The `resourceType`/`resource` pair AWS reports in Task history events. */
export function historyResource(resource: string): { resourceType: string; resource: string } {
  const match = SERVICE_INTEGRATION.exec(resource);
  const api = match?.[1];
  if (api === undefined || LAMBDA_FUNCTION.test(resource)) return { resourceType: 'lambda', resource };
  const suffix = match?.[2];
  const parts = api.split(':');
  const resourceType = parts[0] === 'aws-sdk' ? `aws-sdk:${parts[1] ?? ''}` : (parts[0] ?? '');
  const action = parts[parts.length - 1] ?? '';
  return { resourceType, resource: suffix ? `${action}.${suffix}` : action };
}
