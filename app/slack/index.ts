/**
 * The Slack feature as other features see it. app/functions wires the Slack function from these
 * and from the modules they name; the approvals workflow's task function uses the notifier and the
 * command replies it delivers for the command workflow.
 */
export {
  SlackApprovalNotifier,
  SlackChannelDirectory,
  SlackPersonDirectory,
  slackProblem,
} from './approval-notifier';
export { deliverReply, type ReplyAddress } from './commands/deliver-reply';
export { type ChannelMembers, cachedChannelMembers } from './commands/visibility';
export { decodeWorkflowReply } from './commands/workflow-reply';
export { SlackHomePublisher } from './home-publisher';
export type { CommandReply } from './views/command-reply';
export { SlackStepCompletions } from './workflow-step-completions';
