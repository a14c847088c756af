import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { Logger } from '../../shared/log';
import type { CommandArgs, CommandRunner } from '../listeners/commands/greenlight-command';
import { errorMessage } from '../views/help-message';

/** What the command workflow receives: the parsed command and who asked, where, and until when. */
export interface CommandWorkflowInput {
  command: Parameters<CommandRunner>[0];
  user: { id: string; name: string };
  teamId: string;
  channelId: string;
  responseUrl: string;
  triggerId: string;
  receivedAt: string;
  /** After this instant the listener has answered "working on it" and the workflow must reply itself. */
  deadline: string;
}

/** The command workflow's output: the Slack message to answer with. */
export interface CommandWorkflowOutput {
  response: { response_type?: 'ephemeral' | 'in_channel'; text: string; blocks?: unknown[] };
}

export interface CommandWorkflowOptions {
  client: SFNClient;
  stateMachineArn: string;
  /** Milliseconds from receipt within which Slack must get its answer (Slack allows 3 s). */
  budgetMs: number;
  logger: Logger;
  now?: () => number;
}

export const WORKING_ON_IT = 'Working on it… the answer will appear here in a moment.';

// Errors a workflow raises on purpose carry a message meant for the person (e.g. Greenlight.NotFound).
const USER_FACING_ERROR = /^Greenlight\./;

function failureMessage(kind: string, error: string | undefined, cause: string | undefined): string {
  if (error && USER_FACING_ERROR.test(error) && cause) return cause;
  return `Greenlight could not run \`${kind}\` (${error ?? 'unknown error'}). Please try again in a moment.`;
}

function receivedAtOf(args: CommandArgs, now: number): number {
  const value = (args.context as { receivedAt?: unknown }).receivedAt;
  return typeof value === 'number' && Number.isFinite(value) ? value : now;
}

/**
 * Runs a command through the EXPRESS command workflow with StartSyncExecution, inside the time
 * Slack gives. When the workflow is late the request is abandoned (the execution goes on), Slack
 * gets "working on it" at once, and the workflow answers through response_url when it finishes.
 */
export function commandWorkflowRunner(options: CommandWorkflowOptions): CommandRunner {
  const now = options.now ?? Date.now;
  return async function runCommandWorkflow(command, args) {
    const receivedAt = receivedAtOf(args, now());
    const deadline = receivedAt + options.budgetMs;
    const input: CommandWorkflowInput = {
      command,
      user: { id: args.command.user_id, name: args.command.user_name },
      teamId: args.command.team_id,
      channelId: args.command.channel_id,
      responseUrl: args.command.response_url,
      triggerId: args.command.trigger_id,
      receivedAt: new Date(receivedAt).toISOString(),
      deadline: new Date(deadline).toISOString(),
    };
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - now()));
    try {
      const result = await options.client.send(
        new StartSyncExecutionCommand({
          stateMachineArn: options.stateMachineArn,
          input: JSON.stringify(input),
        }),
        { abortSignal: abort.signal },
      );
      if (result.status === 'SUCCEEDED') {
        const output = JSON.parse(result.output ?? '{}') as Partial<CommandWorkflowOutput>;
        if (!output.response?.text) throw new Error('The command workflow returned no response');
        await args.ack(output.response);
        return;
      }
      options.logger.warn('command_workflow_unsuccessful', {
        kind: command.kind,
        status: result.status,
        error: result.error,
      });
      await args.ack(errorMessage(failureMessage(command.kind, result.error, result.cause)));
    } catch (error) {
      if (abort.signal.aborted) {
        options.logger.info('command_workflow_late', { kind: command.kind, budgetMs: options.budgetMs });
        await args.ack({ response_type: 'ephemeral', text: WORKING_ON_IT });
        return;
      }
      // Throttling or an outage: the person still gets an answer, and the failure is logged as one.
      options.logger.error('command_workflow_failed', { kind: command.kind, error });
      await args.ack(
        errorMessage(
          `Greenlight could not start \`${command.kind}\` right now. Please try again in a moment.`,
        ),
      );
    } finally {
      clearTimeout(timer);
    }
  };
}
