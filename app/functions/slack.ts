import { WebClient } from '@slack/web-api';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { DecideDeps, DecisionSettings } from '../approvals';
import { DynamoApprovalStore } from '../approvals/adapters/dynamo-approval-store';
import { DynamoHomeStore } from '../approvals/adapters/dynamo-home-store';
import { EventBridgeUpdateEvents } from '../approvals/adapters/eventbridge-update-events';
import { LambdaCloseOutHandoff } from '../approvals/adapters/lambda-close-out-handoff';
import { StepFunctionsTaskCallbacks } from '../approvals/adapters/sfn-task-callbacks';
import { BUNDLED_POLICIES } from '../policies';
import { dynamodb } from '../shared/aws/dynamodb';
import { stepFunctions } from '../shared/aws/step-functions';
import { edgeCorrelationId, withCorrelationId } from '../shared/correlation';
import { problem } from '../shared/http';
import { loadEventBridge } from '../shared/load-eventbridge';
import { loadLambda } from '../shared/load-lambda';
import { log } from '../shared/log';
import { metrics } from '../shared/metrics';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';
import { createSlackApp } from '../slack/app';
import { commandWorkflowRunner } from '../slack/commands/command-workflow';
import { cachedChannelMembers } from '../slack/commands/visibility';
import { loadSlackConfig, type WebSocketRepliesConfig } from '../slack/config';
import { lambdaReplyHandoff } from '../slack/listeners/events/lambda-reply-handoff';
import { dynamoEventDedup } from '../slack/receiver/dynamo-event-dedup';
import { connectionsReplyRelay, dynamoThreadStore, managementApiSender, type ReplyRelay } from '../websocket';

const logger = log.child({ fn: 'slack' });
const secrets = secretsFor(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN']);

/**
 * The approvals store, the Step Functions callbacks the buttons decide with and the hand-off to
 * the close-out function, built on the first click. Imported like any other module: in one bundle
 * an `import()` spares no parsing, and the DynamoDB client itself is only built on first use
 * (app/shared/aws/dynamodb.ts). The Lambda client is a chunk of its own (app/shared/load-lambda.ts).
 */
function decisionBackend(settings: DecisionSettings): () => Promise<DecideDeps> {
  let backend: DecideDeps | undefined;
  return async () => {
    backend ??= {
      store: new DynamoApprovalStore(dynamodb, settings.approvalsTable),
      callbacks: new StepFunctionsTaskCallbacks(stepFunctions),
      closeOut: new LambdaCloseOutHandoff(loadLambda, settings.closeOutFunction, logger),
      policy: settings,
      events: new EventBridgeUpdateEvents(loadEventBridge, settings.eventBusName, logger),
    };
    return backend;
  };
}

/** App Home's index reads, built when a Home is first opened or clicked in. */
function homeReader(approvalsTable: string): () => Promise<DynamoHomeStore> {
  let store: DynamoHomeStore | undefined;
  return async () => {
    store ??= new DynamoHomeStore(dynamodb, approvalsTable);
    return store;
  };
}

/**
 * The relay is built with the first thread reply. The `@connections` client's module is loaded
 * then too: slash commands and button clicks never need it. The DynamoDB client is imported like
 * any other (it is built on first use, and an `import()` would stop esbuild tree-shaking the SDK).
 */
function lazyReplyRelay(config: WebSocketRepliesConfig): ReplyRelay {
  let relay: Promise<ReplyRelay> | undefined;
  const load = () => {
    relay ??= import('../shared/aws/api-gateway-management').then(({ managementApi }) =>
      connectionsReplyRelay(
        dynamoThreadStore(dynamodb, config.connectionsTable),
        managementApiSender(managementApi(config.callbackUrl)),
      ),
    );
    return relay;
  };
  return {
    findConnection: async (...args) => (await load()).findConnection(...args),
    deliver: async (...args) => (await load()).deliver(...args),
    forget: async (...args) => (await load()).forget(...args),
  };
}

// Built on the first request, when the secrets are read, then reused for the container's life.
const slackHandler = oncePerContainer(async () => {
  const config = loadSlackConfig({ ...process.env, ...(await secrets()) });
  const replies = config.websocketReplies;
  const { receiver } = createSlackApp({
    config,
    logger,
    dedup: dynamoEventDedup(dynamodb, config.eventDedupTable),
    policies: BUNDLED_POLICIES,
    ...(config.approvals ? { decisions: decisionBackend(config.approvals) } : {}),
    ...(config.approvals ? { home: homeReader(config.approvals.approvalsTable) } : {}),
    ...(config.commandStateMachineArn
      ? {
          runCommand: commandWorkflowRunner({
            client: stepFunctions,
            stateMachineArn: config.commandStateMachineArn,
            budgetMs: config.commandBudgetMs,
            logger,
            metrics,
            // Its own client: no retries, since the answer is due inside the command's budget. In
            // this function's bundle the Web API module loads on the first call, not at cold start.
            members: cachedChannelMembers(
              new WebClient(config.botToken, {
                ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
                retryConfig: { retries: 0 },
              }),
            ),
          }),
        }
      : {}),
    replies: replies && {
      mirrorChannelId: replies.mirrorChannelId,
      relay: lazyReplyRelay(replies),
      ...(replies.relayFunction
        ? { handoff: lambdaReplyHandoff(loadLambda, replies.relayFunction, logger) }
        : {}),
    },
  });
  return receiver.toHandler();
});

/** POST /slack/events: slash commands, interactivity and the Events API. */
export function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  // The Slack request is the first edge: its id follows the command into both workflows.
  return withCorrelationId(edgeCorrelationId(event, context.awsRequestId), () => handleSlack(event, context));
}

async function handleSlack(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
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
