import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { NewApproval } from '../../approvals';
import { currentCorrelationId } from '../../shared/correlation';
import type { Logger } from '../../shared/log';
import type { Metrics } from '../../shared/metrics';
import { renderReply, type SlackReply } from '../views/command-reply';
import { errorMessage } from '../views/help-message';
import type { ReplyAddress } from './deliver-reply';
import { decodeWorkflowReply } from './workflow-reply';

/** A command the workflow runs; `request` arrives already checked and dated by the listener. */
export type WorkflowCommand =
  | { kind: 'request'; request: NewApproval }
  | { kind: 'status'; approvalId: string }
  | { kind: 'list' }
  | { kind: 'cancel'; approvalId: string };

/** Who asked, where, when Slack received it, and where a late answer goes. */
export interface CommandOrigin {
  user: { id: string; name: string };
  teamId: string;
  channelId: string;
  /** The slash command's response_url; absent for a modal submission (the answer is an ephemeral message). */
  responseUrl?: string | undefined;
  /** Epoch ms when API Gateway received the request. */
  receivedAt: number;
}

/** What the command workflow receives (workflows/command.asl.json reads exactly these fields). */
export interface CommandWorkflowInput {
  command: { kind: WorkflowCommand['kind']; approvalId?: string };
  request?: NewApproval;
  user: { id: string; name: string };
  teamId: string;
  channelId: string;
  replyTo: ReplyAddress;
  receivedAt: string;
  /** When the listener stops waiting and answers "working on it". */
  deadline: string;
  /** After this instant the workflow also delivers its reply itself (a margin before the deadline). */
  lateAfter: string;
  /** The Slack request's id; the workflow passes it to the approval workflow and every task. */
  correlationId: string;
}

export type RunOutcome = { onTime: true; reply: SlackReply } | { onTime: false; reply: SlackReply };

/** Runs a command within a budget (ms from receipt); supplied to the listeners. */
export type CommandRunner = (
  command: WorkflowCommand,
  origin: CommandOrigin,
  budgetMs?: number,
) => Promise<RunOutcome>;

export interface CommandWorkflowOptions {
  client: SFNClient;
  stateMachineArn: string;
  /** Milliseconds from receipt within which Slack must get its answer (Slack allows 3 s). */
  budgetMs: number;
  logger: Logger;
  /** Counts the commands answered late (CommandLateReplies). */
  metrics: Metrics;
  now?: () => number;
}

export const WORKING_ON_IT = 'Working on it… the answer will appear here in a moment.';
/**
 * A reply finished within this margin of the deadline may not reach Slack through the synchronous
 * answer in time, so the workflow delivers it too; replace_original makes the pair show as one.
 */
export const LATE_MARGIN_MS = 300;

function failureReply(kind: string, error: string | undefined): SlackReply {
  return errorMessage(
    `Greenlight could not run \`${kind}\` (${error ?? 'unknown error'}). Please try again in a moment.`,
  );
}

/**
 * Runs a command through the EXPRESS command workflow with StartSyncExecution, inside the time
 * Slack gives. When the workflow is late the listener stops waiting (the execution goes on and
 * delivers the reply itself), and the caller answers "working on it" at once.
 */
export function commandWorkflowRunner(options: CommandWorkflowOptions): CommandRunner {
  const now = options.now ?? Date.now;
  return async function runCommandWorkflow(command, origin, budgetMs = options.budgetMs) {
    const deadline = origin.receivedAt + budgetMs;
    const input: CommandWorkflowInput = {
      command: { kind: command.kind, ...('approvalId' in command ? { approvalId: command.approvalId } : {}) },
      ...(command.kind === 'request' ? { request: command.request } : {}),
      user: origin.user,
      teamId: origin.teamId,
      channelId: origin.channelId,
      replyTo: {
        channelId: origin.channelId,
        userId: origin.user.id,
        ...(origin.responseUrl ? { responseUrl: origin.responseUrl } : {}),
      },
      receivedAt: new Date(origin.receivedAt).toISOString(),
      deadline: new Date(deadline).toISOString(),
      lateAfter: new Date(deadline - LATE_MARGIN_MS).toISOString(),
      correlationId: currentCorrelationId(),
    };
    // Lateness stops the waiting, never the start: the request goes out whatever the clock says
    // (even when the budget was spent before this line), and a late execution delivers its reply
    // through response_url. Aborting the call instead would answer "working on it" for a command
    // that never reached Step Functions.
    const started = options.client.send(
      new StartSyncExecutionCommand({
        stateMachineArn: options.stateMachineArn,
        input: JSON.stringify(input),
      }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.max(0, deadline - now()));
    });
    try {
      const result = await Promise.race([started, late]);
      if (result === 'late') {
        // The execution goes on; its own outcome is logged when it settles, never thrown.
        started.then(
          (settled) =>
            options.logger.info('command_workflow_settled_late', {
              kind: command.kind,
              status: settled.status,
            }),
          (error: unknown) => options.logger.error('command_workflow_failed', { kind: command.kind, error }),
        );
        options.logger.info('command_workflow_late', { kind: command.kind, budgetMs });
        options.metrics.emit({ commandLateReplies: 1 });
        return { onTime: false, reply: { response_type: 'ephemeral', text: WORKING_ON_IT } };
      }
      if (result.status === 'SUCCEEDED') {
        const reply = decodeWorkflowReply((JSON.parse(result.output ?? '{}') as { reply?: unknown }).reply);
        if (reply === undefined) throw new Error('The command workflow returned no reply');
        return { onTime: true, reply: renderReply(reply, origin.user.id) };
      }
      // StartSyncExecution answers 200 for a failed run: the status says what happened.
      options.logger.warn('command_workflow_unsuccessful', {
        kind: command.kind,
        status: result.status,
        error: result.error,
      });
      return { onTime: true, reply: failureReply(command.kind, result.error) };
    } catch (error) {
      // Throttling or an outage: the person still gets an answer, and the failure is logged as one.
      options.logger.error('command_workflow_failed', { kind: command.kind, error });
      return {
        onTime: true,
        reply: errorMessage(
          `Greenlight could not start \`${command.kind}\` right now. Please try again in a moment.`,
        ),
      };
    } finally {
      clearTimeout(timer);
    }
  };
}
