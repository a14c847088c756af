import { WebClient } from '@slack/web-api';
import type { NewApproval } from '../approvals';
import { DynamoApprovalStore } from '../approvals/adapters/dynamo-approval-store';
import { SesMailer } from '../approvals/adapters/ses-mailer';
import type { WakeUp } from '../approvals/callback-check';
import { loadWorkflowTasksConfig, type WorkflowTasksConfig } from '../approvals/config';
import type { Mailer } from '../approvals/workflow-ports';
import {
  announceOutcome,
  requestDecision,
  verifyCallback,
  type WorkflowTaskDeps,
} from '../approvals/workflow-tasks';
import { managementApi } from '../shared/aws/api-gateway-management';
import { dynamodb } from '../shared/aws/dynamodb';
import { ses } from '../shared/aws/ses';
import { log } from '../shared/log';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';
import {
  type CommandReply,
  cachedChannelMembers,
  deliverReply,
  isCommandReply,
  type ReplyAddress,
  SlackApprovalNotifier,
  SlackChannelDirectory,
  SlackPersonDirectory,
} from '../slack';
import { approvalPusher } from '../websocket/client-push';
import { managementApiSender } from '../websocket/connection-sender';
import { dynamoConnectionsStore } from '../websocket/connections-store';

const logger = log.child({ fn: 'workflow-tasks' });
const secrets = secretsFor(['SLACK_BOT_TOKEN', 'LINK_SIGNING_KEY']);

function clientPush(
  settings: WorkflowTasksConfig['clientPush'],
): WorkflowTaskDeps['push']['approvalChanged'] {
  if (settings === undefined) return async () => {};
  const push = approvalPusher({
    store: dynamoConnectionsStore(dynamodb, settings.connectionsTable),
    sender: managementApiSender(managementApi(settings.callbackUrl)),
    logger: logger.child({ component: 'approval-push' }),
  });
  return async (change) => {
    await push(change);
  };
}

const noSender: Mailer = {
  send: () =>
    Promise.reject(
      Object.assign(new Error('SENDER_EMAIL is not configured'), { name: 'NoSenderConfigured' }),
    ),
};

// Built on the first task, when the secrets are read; configuration and clients then live as long
// as the container. A failure (a ConfigError naming what is missing) fails that task, and the next
// task tries again.
const taskDeps = oncePerContainer(async () => {
  const config = loadWorkflowTasksConfig({ ...process.env, ...(await secrets()) });
  const slack = new WebClient(config.botToken, {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  });
  const store = new DynamoApprovalStore(dynamodb, config.approvalsTable);
  const deps: WorkflowTaskDeps = {
    store,
    notifier: new SlackApprovalNotifier(slack),
    directory: new SlackPersonDirectory(slack),
    mailer: config.senderEmail ? new SesMailer(ses, config.senderEmail) : noSender,
    // Live WebSocket clients hear about every outcome; without the bridge configured there is no one to tell.
    push: { approvalChanged: clientPush(config.clientPush) },
    channels: new SlackChannelDirectory(slack),
    links: { baseUrl: config.linkBaseUrl, key: config.linkSigningKey },
    emailOverrides: config.approverEmails,
    now: () => new Date(),
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    warn: (message, fields) => logger.warn(message, fields),
    callbackRefused: (details) =>
      // A security event: the line is also an Embedded Metric Format record, so CloudWatch counts
      // refusals (alarm on Greenlight/CallbacksRefused) with no PutMetricData call or permission.
      logger.warn('callback_refused', {
        ...details,
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: 'Greenlight',
              Dimensions: [[]],
              Metrics: [{ Name: 'CallbacksRefused', Unit: 'Count' }],
            },
          ],
        },
        CallbacksRefused: 1,
      }),
  };
  return { deps, slack, members: cachedChannelMembers(slack) };
});

export type WorkflowTask =
  | { task: 'request-decision'; request: NewApproval; taskToken: string; startedAt?: string }
  | { task: 'verify-callback'; approvalId: string; execution: string; wakeUp: WakeUp; rearms: number }
  | { task: 'announce-outcome'; approvalId: string }
  | { task: 'deliver-reply'; reply: CommandReply; to: ReplyAddress };

/** Thrown for a payload no state of ours sends; Step Functions shows the name as the task's error. */
class InvalidTaskError extends Error {
  override readonly name = 'Greenlight.InvalidTask';
}

function parseTask(event: unknown): WorkflowTask {
  const value = (event ?? {}) as Record<string, unknown>;
  switch (value.task) {
    case 'request-decision': {
      const request = value.request as Partial<NewApproval> | undefined;
      if (
        typeof value.taskToken !== 'string' ||
        typeof request?.id !== 'string' ||
        !Array.isArray(request.approvers)
      ) {
        throw new InvalidTaskError('request-decision needs request.id, request.approvers and taskToken');
      }
      return value as WorkflowTask;
    }
    case 'verify-callback':
      if (
        typeof value.approvalId !== 'string' ||
        typeof value.execution !== 'string' ||
        typeof value.rearms !== 'number' ||
        value.wakeUp === null ||
        typeof value.wakeUp !== 'object'
      ) {
        throw new InvalidTaskError('verify-callback needs approvalId, execution, wakeUp and rearms');
      }
      return value as WorkflowTask;
    case 'announce-outcome':
      if (typeof value.approvalId !== 'string')
        throw new InvalidTaskError('announce-outcome needs approvalId');
      return value as WorkflowTask;
    case 'deliver-reply': {
      const to = value.to as Partial<ReplyAddress> | undefined;
      if (
        !isCommandReply(value.reply) ||
        typeof to?.channelId !== 'string' ||
        typeof to.userId !== 'string'
      ) {
        throw new InvalidTaskError('deliver-reply needs reply and to.channelId/to.userId');
      }
      return value as WorkflowTask;
    }
    default:
      throw new InvalidTaskError(`Unknown task ${JSON.stringify(value.task)}`);
  }
}

/** The tasks both workflows hand to Lambda: the parts that talk to Slack and SES. */
export async function handler(event: unknown): Promise<unknown> {
  const task = parseTask(event);
  const { deps, slack, members } = await taskDeps();
  switch (task.task) {
    case 'request-decision':
      return requestDecision(deps, {
        request: withDefaults(task.request, task.startedAt),
        taskToken: task.taskToken,
      });
    case 'verify-callback':
      return verifyCallback(deps, task);
    case 'announce-outcome':
      return announceOutcome(deps, { approvalId: task.approvalId });
    case 'deliver-reply':
      await deliverReply({ slack, members }, task.reply, task.to);
      return { delivered: true };
  }
}

/**
 * A workflow started directly (not by /greenlight) may leave out what /greenlight computes: the
 * dates come from the execution's start and the timeout, so the record's deadline is never later
 * than the wait's (a timeout that fires before the record's deadline would be refused as forged).
 */
function withDefaults(request: NewApproval, startedAt: string | undefined): NewApproval {
  if (request.createdAt && request.expiresAt && request.expiresAtEpoch) return request;
  const started = startedAt === undefined ? Number.NaN : Date.parse(startedAt);
  const now = new Date(Number.isFinite(started) ? started : Date.now());
  const expires = new Date(now.getTime() + request.timeoutSeconds * 1000);
  return {
    ...request,
    createdAt: request.createdAt ?? now.toISOString(),
    expiresAt: expires.toISOString(),
    expiresAtEpoch: Math.floor(expires.getTime() / 1000),
    email: request.email ?? false,
  };
}
