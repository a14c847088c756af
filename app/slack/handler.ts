import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { dynamodb } from '../shared/aws/dynamodb';
import { stepFunctions } from '../shared/aws/step-functions';
import { problem } from '../shared/http';
import { log } from '../shared/log';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';
import { createSlackApp } from './app';
import { decisionBackend } from './approvals-backend';
import { commandWorkflowRunner } from './commands/command-workflow';
import { loadSlackConfig } from './config';
import { dynamoEventDedup } from './receiver/dynamo-event-dedup';

const logger = log.child({ fn: 'slack' });
const secrets = secretsFor(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN']);

// Built on the first request, when the secrets are read, then reused for the container's life.
const slackHandler = oncePerContainer(async () => {
  const config = loadSlackConfig({ ...process.env, ...(await secrets()) });
  const { receiver } = createSlackApp({
    config,
    logger,
    dedup: dynamoEventDedup(dynamodb, config.eventDedupTable),
    ...(config.approvals
      ? { decisions: decisionBackend(config.approvals.approvalsTable, config.approvals) }
      : {}),
    ...(config.commandStateMachineArn
      ? {
          runCommand: commandWorkflowRunner({
            client: stepFunctions,
            stateMachineArn: config.commandStateMachineArn,
            budgetMs: config.commandBudgetMs,
            logger,
          }),
        }
      : {}),
  });
  return receiver.toHandler();
});

/** POST /slack/events: slash commands, interactivity and the Events API. */
export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  let handle: Awaited<ReturnType<typeof slackHandler>>;
  try {
    handle = await slackHandler();
  } catch (error) {
    // Without its configuration the function cannot even check a signature; the log says what is missing.
    logger.error('slack_function_not_ready', { requestId: context.awsRequestId, error });
    return problem(500, 'internal_error', 'Something went wrong on our side. Please try again.');
  }
  return handle(event, context);
}
