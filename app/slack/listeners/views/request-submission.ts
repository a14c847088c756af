import { type DecisionPolicy, newApproval } from '../../../approvals';
import type { Logger } from '../../../shared/log';
import { type CommandRunner, LATE_MARGIN_MS } from '../../commands/command-workflow';
import { MAX_TITLE_LENGTH } from '../../commands/parse-command';
import { REQUEST_FIELDS, TIMEOUT_CHOICES } from '../../views/request-modal';
import type { ViewArgs } from './reject-submission';

export interface RequestSubmissionDeps {
  runCommand: CommandRunner;
  policy: DecisionPolicy;
  budgetMs: number;
  newId: () => string;
  now: () => number;
  logger: Logger;
}

type Values = ViewArgs['view']['state']['values'];
const field = (values: Values, key: keyof typeof REQUEST_FIELDS) =>
  values[REQUEST_FIELDS[key].block]?.[REQUEST_FIELDS[key].action];

function receivedAtOf(args: ViewArgs, fallback: number): number {
  const value = (args.context as { receivedAt?: unknown }).receivedAt;
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * The request form: checked field by field (errors shown under the field), then the same command
 * workflow as `/greenlight request`. The answer is an ephemeral message in the chosen channel,
 * posted here when the workflow is on time and by the workflow itself when it is late.
 */
export function requestSubmission(deps: RequestSubmissionDeps) {
  return async function requestFromModal(args: ViewArgs): Promise<void> {
    const values = args.view.state.values;
    const title = field(values, 'title')?.value?.trim() ?? '';
    const details = field(values, 'details')?.value ?? undefined;
    const approvers = field(values, 'approvers')?.selected_users ?? [];
    const channelId = field(values, 'channel')?.selected_conversation ?? '';
    const timeoutSeconds = Number(field(values, 'timeout')?.selected_option?.value);
    const email = (field(values, 'email')?.selected_options ?? []).some((option) => option.value === 'email');

    const errors: Record<string, string> = {};
    if (title === '') errors[REQUEST_FIELDS.title.block] = 'Say what needs approval.';
    else if (title.length > MAX_TITLE_LENGTH)
      errors[REQUEST_FIELDS.title.block] = `Keep it to ${MAX_TITLE_LENGTH} characters.`;
    if (!channelId) errors[REQUEST_FIELDS.channel.block] = 'Pick the channel to post the request in.';
    if (!TIMEOUT_CHOICES.some(([, seconds]) => seconds === timeoutSeconds)) {
      errors[REQUEST_FIELDS.timeout.block] = 'Pick how long the request stays open.';
    }
    // Field errors first: the request is only built (and dated) from fields that passed.
    if (Object.keys(errors).length > 0) {
      await args.ack({ response_action: 'errors', errors });
      return;
    }
    const receivedAt = receivedAtOf(args, deps.now());
    const user = args.body.user;
    const checked = newApproval(
      { id: deps.newId(), title, details, requester: user.id, approvers, channelId, timeoutSeconds, email },
      deps.policy,
      new Date(receivedAt),
    );
    if (!checked.ok) {
      const block = checked.error.startsWith('The details')
        ? REQUEST_FIELDS.details.block
        : REQUEST_FIELDS.approvers.block;
      await args.ack({ response_action: 'errors', errors: { [block]: checked.error } });
      return;
    }
    // Leave room to post the answer after the workflow returns, inside Slack's 3 s.
    const outcome = await deps.runCommand(
      { kind: 'request', request: checked.approval },
      { user: { id: user.id, name: user.name }, teamId: user.team_id ?? '', channelId, receivedAt },
      deps.budgetMs - LATE_MARGIN_MS,
    );
    await args.ack();
    if (!outcome.onTime) return;
    await args.client.chat
      .postEphemeral({ channel: channelId, user: user.id, ...outcome.reply })
      .catch((error: unknown) => deps.logger.warn('request_reply_failed', { error }));
  };
}
