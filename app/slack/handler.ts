import { dynamodb } from '../shared/aws/dynamodb';
import { stepFunctions } from '../shared/aws/step-functions';
import { log } from '../shared/log';
import { createSlackApp } from './app';
import { commandWorkflowRunner } from './commands/command-workflow';
import { loadSlackConfig } from './config';
import { dynamoEventDedup } from './receiver/dynamo-event-dedup';

// Cold start: configuration is checked and the app is built once per container. The DynamoDB client
// is imported like any other (and built on first use): an `import()` would not spare its parsing,
// the bundle holds it either way, and would cost esbuild's tree-shaking of the SDK (53 KB more).
const config = loadSlackConfig();
const logger = log.child({ fn: 'slack' });
const { receiver } = createSlackApp({
  config,
  logger,
  dedup: dynamoEventDedup(dynamodb, config.eventDedupTable),
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

/** POST /slack/events: slash commands, interactivity and the Events API. */
export const handler = receiver.toHandler();
