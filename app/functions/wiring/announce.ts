import { WebClient } from '@slack/web-api';
import { DynamoHomeHistory } from '../../approvals/adapters/dynamo-home-history';
import { DynamoHomeStore } from '../../approvals/adapters/dynamo-home-store';
import { EventBridgeOutcomeEvents } from '../../approvals/adapters/eventbridge-outcome-events';
import type { AnnounceSettings } from '../../approvals/config';
import type { ClientPush, WorkflowStore } from '../../approvals/workflow-ports';
import type { AnnounceDeps } from '../../approvals/workflow-tasks';
import { gateCallbacks } from '../../gates';
import { CodePipelineCallbacks } from '../../gates/adapters/codepipeline-callbacks';
import { GitHubCallbacks } from '../../gates/adapters/github-callbacks';
import { managementApi } from '../../shared/aws/api-gateway-management';
import { codePipeline } from '../../shared/aws/codepipeline';
import { dynamodb } from '../../shared/aws/dynamodb';
import { eventBridge } from '../../shared/aws/eventbridge';
import type { Logger } from '../../shared/log';
import { metrics } from '../../shared/metrics';
import {
  SlackApprovalNotifier,
  SlackChannelDirectory,
  SlackHomePublisher,
  SlackStepCompletions,
} from '../../slack';
import { approvalPusher } from '../../websocket/client-push';
import { managementApiSender } from '../../websocket/connection-sender';
import { dynamoBroadcastStore } from '../../websocket/connections-store';

/**
 * What announcing an outcome is wired to, for the two functions that announce: the approval
 * workflow's task function and the close-out function. One place, so both tell Slack, the
 * WebSocket clients and EventBridge the same way. Each passes its own store: the close-out's also
 * sweeps.
 */
export function announceWiring<Store extends WorkflowStore>(
  config: AnnounceSettings,
  logger: Logger,
  store: Store,
) {
  const slack = new WebClient(config.botToken, {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  });
  const deps: AnnounceDeps = {
    store,
    notifier: new SlackApprovalNotifier(slack),
    // Live WebSocket clients hear about every outcome; without the bridge configured there is no one to tell.
    push: clientPush(config.clientPush, logger),
    channels: new SlackChannelDirectory(slack),
    events: new EventBridgeOutcomeEvents(eventBridge, config.eventBusName),
    now: () => new Date(),
    warn: (message, fields) => logger.warn(message, fields),
    metrics,
    gateCallbacks: gateCallbacks({
      github: new GitHubCallbacks(config.github),
      codepipeline: new CodePipelineCallbacks(codePipeline),
    }),
  };
  // Everyone's App Home is republished when a request is created or closed (its own claim, homePublishedAt).
  deps.homes = {
    reader: new DynamoHomeStore(dynamodb, config.approvalsTable),
    history: new DynamoHomeHistory(dynamodb, config.approvalsTable),
    publisher: new SlackHomePublisher(slack),
    warn: deps.warn,
  };
  // The Workflow Builder step that made a request is completed at its outcome (its own claim, stepCompletedAt).
  deps.steps = new SlackStepCompletions(slack);
  return { deps, slack, store };
}

function clientPush(settings: AnnounceSettings['clientPush'], logger: Logger): ClientPush {
  if (settings === undefined) return { approvalChanged: async () => {} };
  const push = approvalPusher({
    store: dynamoBroadcastStore(dynamodb, settings.connectionsTable),
    sender: managementApiSender(managementApi(settings.callbackUrl)),
    logger: logger.child({ component: 'approval-push' }),
  });
  return {
    approvalChanged: async (change) => {
      await push(change);
    },
  };
}
