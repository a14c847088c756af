import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type DecisionPolicy, newApproval } from '../../../approvals';
import type { PolicySet } from '../../../policies';
import type { CommandRunner } from '../../commands/command-workflow';
import { parseCommand } from '../../commands/parse-command';
import { groupMembersOf, planRequest } from '../../commands/request-plan';
import { errorMessage, helpMessage } from '../../views/help-message';
import { commandErrorText } from '../../views/request-errors';
import { requestModal } from '../../views/request-modal';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export interface GreenlightCommandDeps {
  /** Absent until the command workflow is configured; then only `help` works. */
  runCommand?: CommandRunner | undefined;
  policy: DecisionPolicy;
  /** The approval policies this function was built with (greenlight.policies.yaml). */
  policies: PolicySet;
  newId: () => string;
  now: () => number;
}

function receivedAtOf(args: CommandArgs, fallback: number): number {
  const value = (args.context as { receivedAt?: unknown }).receivedAt;
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function greenlightCommand(deps: GreenlightCommandDeps) {
  return async function answerGreenlightCommand(args: CommandArgs): Promise<void> {
    const parsed = parseCommand(args.command.text ?? '');
    if (!parsed.ok) {
      await args.ack(errorMessage(parsed.error));
      return;
    }
    const { command } = parsed;
    if (command.kind === 'help') {
      await args.ack(helpMessage());
      return;
    }
    const { runCommand } = deps;
    if (runCommand === undefined) {
      await args.ack(errorMessage(`\`${command.kind}\` is not available on this installation yet.`));
      return;
    }
    if (command.kind === 'open-modal') {
      // The trigger id expires 3 s after Slack sent the command: open first, then answer.
      await args.client.views.open({
        trigger_id: args.command.trigger_id,
        view: requestModal(args.command.channel_id),
      });
      await args.ack();
      return;
    }
    const receivedAt = receivedAtOf(args, deps.now());
    const origin = {
      user: { id: args.command.user_id, name: args.command.user_name },
      teamId: args.command.team_id,
      channelId: args.command.channel_id,
      responseUrl: args.command.response_url,
      receivedAt,
    };
    if (command.kind === 'request') {
      const plan = await planRequest(command, {
        channelId: origin.channelId,
        policies: deps.policies,
        members: groupMembersOf(args.client),
      });
      if (!plan.ok) {
        await args.ack(errorMessage(plan.error));
        return;
      }
      const checked = newApproval(
        { ...plan.input, id: deps.newId(), requester: origin.user.id, channelId: origin.channelId },
        deps.policy,
        new Date(receivedAt),
      );
      if (!checked.ok) {
        // A command answers with one sentence: the first field that is wrong.
        await args.ack(errorMessage(commandErrorText(checked.errors[0])));
        return;
      }
      const { reply } = await runCommand({ kind: 'request', request: checked.approval }, origin);
      await args.ack(reply);
      return;
    }
    const { reply } = await runCommand(command, origin);
    await args.ack(reply);
  };
}
