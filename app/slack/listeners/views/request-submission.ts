import { type DecisionPolicy, newApproval, type RequestField } from '../../../approvals';
import type { Logger } from '../../../shared/log';
import { type CommandRunner, LATE_MARGIN_MS } from '../../commands/command-workflow';
import { formErrorText } from '../../views/request-errors';
import { REQUEST_FIELDS, requestFormContext } from '../../views/request-modal';
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

function formFieldOf(field: RequestField): keyof typeof REQUEST_FIELDS {
  if (field === 'requester' || field === 'id' || field === 'step') return 'title';
  // The form names people, not a quorum or a policy: those errors are about who approves.
  if (field === 'need' || field === 'policy') return 'approvers';
  return field === 'source' ? 'details' : field;
}

/**
 * The request form: checked field by field (errors shown under the field), then the same command
 * workflow as `/greenlight request`. The answer is an ephemeral message in the chosen channel,
 * posted here when the workflow is on time and by the workflow itself when it is late.
 */
export function requestSubmission(deps: RequestSubmissionDeps) {
  return async function requestFromModal(args: ViewArgs): Promise<void> {
    const values = args.view.state.values;
    const title = field(values, 'title')?.value ?? '';
    const details = field(values, 'details')?.value ?? undefined;
    const approvers = field(values, 'approvers')?.selected_users ?? [];
    const channelId = field(values, 'channel')?.selected_conversation ?? '';
    const timeoutSeconds = Number(field(values, 'timeout')?.selected_option?.value);
    const email = (field(values, 'email')?.selected_options ?? []).some((option) => option.value === 'email');
    const { sourceUrl } = requestFormContext(args.view.private_metadata);

    const receivedAt = receivedAtOf(args, deps.now());
    const user = args.body.user;
    const checked = newApproval(
      {
        id: deps.newId(),
        title,
        details,
        requester: user.id,
        approvers,
        channelId,
        timeoutSeconds,
        email,
        sourceUrl,
      },
      deps.policy,
      new Date(receivedAt),
    );
    if (!checked.ok) {
      // Each error under its own field; the id and the requester are ours and Slack's, not the form's,
      // and the source link came with the form, so its error shows beside the details it belongs to.
      const errors: Record<string, string> = {};
      for (const error of checked.errors) {
        const { block } = REQUEST_FIELDS[formFieldOf(error.field)];
        errors[block] ??= formErrorText(error);
      }
      await args.ack({ response_action: 'errors', errors });
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
