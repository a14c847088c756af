import { stepFunctions } from '../shared/aws/step-functions';
import { log } from '../shared/log';
import { createSlackApp } from './app';
import { lazyDecisionBackend } from './approvals-backend';
import { commandWorkflowRunner } from './commands/command-workflow';
import { loadSlackConfig } from './config';
import { lazyDynamoEventDedup } from './receiver/event-dedup';

// Cold start: configuration is checked and the app is built once per container.
const config = loadSlackConfig();
const logger = log.child({ fn: 'slack' });
const { receiver } = createSlackApp({
  config,
  logger,
  dedup: lazyDynamoEventDedup(config.eventDedupTable),
  ...(config.approvals
    ? { decisions: lazyDecisionBackend(config.approvals.approvalsTable, config.approvals) }
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

/** POST /slack/events: slash commands, interactivity and the Events API. */
export const handler = receiver.toHandler();
