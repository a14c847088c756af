import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type GreenlightCommand, parseCommand } from '../../commands/parse-command';
import { errorMessage, helpMessage } from '../../views/help-message';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * Runs a parsed command that needs the backend (the command workflow). Supplied by the caller so
 * this listener stays about Slack; until the workflows are wired it is absent.
 */
export type CommandRunner = (
  command: Exclude<GreenlightCommand, { kind: 'help' }>,
  args: CommandArgs,
) => Promise<void>;

export function greenlightCommand(runCommand: CommandRunner | undefined) {
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
    if (runCommand === undefined) {
      await args.ack(errorMessage(`\`${command.kind}\` is not available on this installation yet.`));
      return;
    }
    await runCommand(command, args);
  };
}
