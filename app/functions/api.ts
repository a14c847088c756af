import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, SNSEvent } from 'aws-lambda';
import { LambdaCloseOutHandoff } from '../approvals/adapters/lambda-close-out-handoff';
import { StepFunctionsTaskCallbacks } from '../approvals/adapters/sfn-task-callbacks';
import {
  type ApiDeps,
  handleApprovalsApi,
  handlePipelineNotifications,
  loadApiConfig,
  receiptKeyFrom,
} from '../gates';
import { DynamoGateStore } from '../gates/adapters/dynamo-gate-store';
import { StepFunctionsApprovalStarter } from '../gates/adapters/sfn-approval-starter';
import { BUNDLED_POLICIES } from '../policies';
import { dynamodb } from '../shared/aws/dynamodb';
import { stepFunctions } from '../shared/aws/step-functions';
import { currentCorrelationId, edgeCorrelationId, withCorrelationId } from '../shared/correlation';
import { json } from '../shared/http';
import { newApprovalId } from '../shared/ids';
import { loadLambda } from '../shared/load-lambda';
import { log } from '../shared/log';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';

const logger = log.child({ fn: 'api' });
const secrets = secretsFor(['RECEIPT_SIGNING_KEY', 'GITHUB_WEBHOOK_SECRET']);

// The receipt key comes from the app secret, read on the first GET of a closed request or of the keys.
const receiptKey = oncePerContainer(async () => receiptKeyFrom((await secrets()).RECEIPT_SIGNING_KEY));

// Built on the first request; configuration and clients then live as long as the container.
const apiDeps = oncePerContainer(async (): Promise<ApiDeps> => {
  const config = loadApiConfig();
  return {
    store: new DynamoGateStore(dynamodb, { gates: config.gatesTable, approvals: config.approvalsTable }),
    starter: new StepFunctionsApprovalStarter(stepFunctions, config.approvalStateMachineArn),
    callbacks: new StepFunctionsTaskCallbacks(stepFunctions),
    closeOut: new LambdaCloseOutHandoff(loadLambda, config.closeOutFunction, logger),
    decisionPolicy: config,
    policies: BUNDLED_POLICIES,
    defaultChannel: config.defaultChannel,
    now: () => new Date(),
    newId: newApprovalId,
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    correlationId: currentCorrelationId,
    receiptKey,
    githubApprovers: config.githubApprovers,
    pipelineApprovers: config.pipelineApprovers,
    githubWebhookSecret: async () => (await secrets()).GITHUB_WEBHOOK_SECRET,
  };
});

/**
 * The approvals API (POST /approvals, GET /approvals/{id}, POST /approvals/{id}/cancel, and the
 * same under /iam/ for SigV4 callers). Never throws to API Gateway; the Authorization header is
 * never logged.
 */
export function handler(
  event: APIGatewayProxyEvent | SNSEvent,
  context?: Pick<Context, 'awsRequestId'>,
): Promise<APIGatewayProxyResult | unknown> {
  // The other door: SNS brings CodePipeline's manual approval notifications (template: PipelineApprovalTopic).
  if ('Records' in event)
    return withCorrelationId(edgeCorrelationId(undefined, context?.awsRequestId), async () =>
      handlePipelineNotifications(await apiDeps(), event, (details) =>
        logger.warn('pipeline_notification_refused', details),
      ),
    );
  return withCorrelationId(edgeCorrelationId(event, context?.awsRequestId), () => handle(event));
}

async function handle(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    const answer = await handleApprovalsApi(await apiDeps(), event);
    logger.info('api_request', {
      method: event.httpMethod,
      resource: event.resource,
      status: answer.statusCode,
    });
    return answer;
  } catch (error) {
    logger.error('api_request_failed', { method: event.httpMethod, resource: event.resource, error });
    return json(500, {
      error: 'internal',
      message: 'Greenlight could not handle this request just now; retry it (with the same Idempotency-Key).',
    });
  }
}
