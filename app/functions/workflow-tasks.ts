import type { NewApproval } from '../approvals';
import { SesMailer } from '../approvals/adapters/ses-mailer';
import { loadWorkflowTasksConfig } from '../approvals/config';
import type { Mailer } from '../approvals/workflow-ports';
import { announceOutcome, requestDecision, type WorkflowTaskDeps } from '../approvals/workflow-tasks';
import { ses } from '../shared/aws/ses';
import { log } from '../shared/log';
import { oncePerContainer } from '../shared/once-per-container';
import { secretsFor } from '../shared/secrets';
import {
  type CommandReply,
  deliverReply,
  isCommandReply,
  type ReplyAddress,
  SlackPersonDirectory,
} from '../slack';
import { announceWiring } from './wiring/announce';

const logger = log.child({ fn: 'workflow-tasks' });
const secrets = secretsFor(['SLACK_BOT_TOKEN', 'LINK_SIGNING_KEY']);

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
  const announce = announceWiring(config, logger);
  const slack = announce.slack;
  const deps: WorkflowTaskDeps = {
    ...announce.deps,
    directory: new SlackPersonDirectory(slack),
    mailer: config.senderEmail ? new SesMailer(ses, config.senderEmail) : noSender,
    links: { baseUrl: config.linkBaseUrl, key: config.linkSigningKey },
    emailOverrides: config.approverEmails,
  };
  return { deps, slack };
});

export type WorkflowTask =
  | { task: 'request-decision'; request: NewApproval; taskToken: string }
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
  const { deps, slack } = await taskDeps();
  switch (task.task) {
    case 'request-decision':
      return requestDecision(deps, { request: withDefaults(task.request), taskToken: task.taskToken });
    case 'announce-outcome':
      return announceOutcome(deps, { approvalId: task.approvalId });
    case 'deliver-reply':
      await deliverReply({ slack }, task.reply, task.to);
      return { delivered: true };
  }
}

/**
 * A workflow started directly (not by /greenlight) may leave out what /greenlight computes: the
 * dates come from now and the timeout, so the record and the wait agree.
 */
function withDefaults(request: NewApproval): NewApproval {
  if (request.createdAt && request.expiresAt && request.expiresAtEpoch) return request;
  const now = new Date();
  const expires = new Date(now.getTime() + request.timeoutSeconds * 1000);
  return {
    ...request,
    createdAt: request.createdAt ?? now.toISOString(),
    expiresAt: expires.toISOString(),
    expiresAtEpoch: Math.floor(expires.getTime() / 1000),
    email: request.email ?? false,
  };
}
