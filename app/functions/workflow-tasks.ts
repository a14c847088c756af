import type { WebClient } from '@slack/web-api';
import type { Context } from 'aws-lambda';
import { DynamoWorkflowStore } from '../approvals/adapters/dynamo-approval-store';
import { SesMailer } from '../approvals/adapters/ses-mailer';
import type { WakeUp } from '../approvals/callback-check';
import { loadWorkflowTasksConfig } from '../approvals/config';
import { scheduleOf } from '../approvals/record';
import type { Mailer } from '../approvals/workflow-ports';
import {
  announceOutcome,
  checkRequest,
  InvalidRequestError,
  nextWaitSeconds,
  nudge,
  requestDecision,
  verifyCallback,
  type WorkflowTaskDeps,
} from '../approvals/workflow-tasks';
import { BUNDLED_POLICIES } from '../policies';
import { dynamodb } from '../shared/aws/dynamodb';
import { ses } from '../shared/aws/ses';
import { edgeCorrelationId, withCorrelationId } from '../shared/correlation';
import { log } from '../shared/log';
import { metrics } from '../shared/metrics';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';
import {
  type CommandReply,
  cachedChannelMembers,
  decodeWorkflowReply,
  deliverReply,
  type ReplyAddress,
  SlackPersonDirectory,
} from '../slack';
import { groupMembersOf, planRequest } from '../slack/commands/request-plan';
import { announceWiring } from './wiring/announce';

const logger = log.child({ fn: 'workflow-tasks' });
const secrets = secretsFor(['SLACK_BOT_TOKEN', 'LINK_SIGNING_KEY'], {
  // Without it the GitHub gate stays off; a stack upgraded before `secret-value` ran has none yet.
  optional: ['GITHUB_APP_PRIVATE_KEY'],
});

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
  const announce = announceWiring(config, logger, new DynamoWorkflowStore(dynamodb, config.approvalsTable));
  const slack = announce.slack;
  const deps: WorkflowTaskDeps = {
    ...announce.deps,
    directory: new SlackPersonDirectory(slack),
    mailer: config.senderEmail ? new SesMailer(ses, config.senderEmail) : noSender,
    links: { baseUrl: config.linkBaseUrl, key: config.linkSigningKey },
    emailOverrides: config.approverEmails,
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    callbackRefused: (details) => {
      // A security event: a log line, and a metric CloudWatch can alarm on (Greenlight/CallbacksRefused).
      logger.warn('callback_refused', details);
      metrics.emit({ callbacksRefused: 1 });
    },
  };
  return {
    deps,
    slack,
    members: cachedChannelMembers(slack),
    policy: { allowSelfApproval: config.allowSelfApproval },
  };
});

export type WorkflowTask =
  | { task: 'check-request'; request: unknown }
  | { task: 'request-decision'; request: unknown; taskToken: string }
  | { task: 'verify-callback'; approvalId: string; execution: string; wakeUp: WakeUp; rearms: number }
  | { task: 'announce-outcome'; approvalId: string }
  | { task: 'nudge'; approvalId: string }
  | { task: 'deliver-reply'; reply: CommandReply; to: ReplyAddress };

/** Thrown for a payload no state of ours sends; Step Functions shows the name as the task's error. */
class InvalidTaskError extends Error {
  override readonly name = 'Greenlight.InvalidTask';
}

function parseTask(event: unknown): WorkflowTask {
  const value = (event ?? {}) as Record<string, unknown>;
  switch (value.task) {
    // The request itself is checked by the domain (checkRequest), field by field.
    case 'check-request':
      return { task: 'check-request', request: value.request };
    case 'request-decision':
      if (typeof value.taskToken !== 'string') throw new InvalidTaskError('request-decision needs taskToken');
      return { task: 'request-decision', request: value.request, taskToken: value.taskToken };
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
    case 'nudge':
      if (typeof value.approvalId !== 'string') throw new InvalidTaskError(`${value.task} needs approvalId`);
      return value as WorkflowTask;
    case 'deliver-reply': {
      const to = value.to as Partial<ReplyAddress> | undefined;
      const reply = decodeWorkflowReply(value.reply);
      if (reply === undefined || typeof to?.channelId !== 'string' || typeof to.userId !== 'string') {
        throw new InvalidTaskError('deliver-reply needs reply and to.channelId/to.userId');
      }
      return { task: 'deliver-reply', reply, to: to as ReplyAddress };
    }
    default:
      throw new InvalidTaskError(`Unknown task ${JSON.stringify(value.task)}`);
  }
}

/**
 * The tasks both workflows hand to Lambda: the parts that talk to Slack and SES. Every payload
 * carries the request's correlation id; one from before it did gets the invocation's.
 */
export function handler(event: unknown, context?: Pick<Context, 'awsRequestId'>): Promise<unknown> {
  const correlationId = (event as { correlationId?: unknown } | null)?.correlationId;
  return withCorrelationId(
    typeof correlationId === 'string' && correlationId !== ''
      ? correlationId
      : edgeCorrelationId(undefined, context?.awsRequestId),
    () => runTask(event),
  );
}

/**
 * A request started directly (another workflow's `startExecution.sync:2`) may name a policy by its
 * name, as `/greenlight request --policy` does: its approvers, groups (resolved now), quorum, comment
 * rule and timeout fill what the request leaves out. A request /greenlight prepared (it carries its
 * groups) or this task already checked is passed on as it is.
 */
async function withPolicy(request: unknown, slack: WebClient): Promise<unknown> {
  const input = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  if (typeof input.policy !== 'string' || input.policy === '' || 'groupsJson' in input) return request;
  const approvers = Array.isArray(input.approvers)
    ? input.approvers.filter((value): value is string => typeof value === 'string')
    : [];
  const plan = await planRequest(
    {
      kind: 'request',
      title: typeof input.title === 'string' ? input.title : '',
      approvers,
      groups: [],
      email: input.email === true,
      policy: input.policy,
      ...(typeof input.timeoutSeconds === 'number' ? { timeoutSeconds: input.timeoutSeconds } : {}),
    },
    { channelId: String(input.channelId ?? ''), policies: BUNDLED_POLICIES, members: groupMembersOf(slack) },
  );
  if (!plan.ok)
    throw new InvalidRequestError([{ field: 'policy', problem: 'not-usable', reason: plan.error }]);
  const { groups, ...planned } = plan.input;
  return { ...input, ...planned, groupsJson: JSON.stringify(groups ?? []) };
}

async function runTask(event: unknown): Promise<unknown> {
  const task = parseTask(event);
  const { deps, slack, members, policy } = await taskDeps();
  switch (task.task) {
    case 'check-request': {
      // The first wait lasts until the first reminder or escalation, or the deadline.
      const checked = checkRequest(policy, await withPolicy(task.request, slack), new Date());
      const schedule = scheduleOf(checked.scheduleJson);
      return {
        ...checked,
        firstWaitSeconds: nextWaitSeconds({ ...checked, ...(schedule ? { schedule } : {}) }, new Date()),
      };
    }
    case 'nudge':
      return nudge(deps, { approvalId: task.approvalId });
    case 'request-decision':
      return requestDecision(deps, {
        request: checkRequest(policy, task.request, new Date()),
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
