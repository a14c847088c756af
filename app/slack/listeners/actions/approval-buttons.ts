import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import {
  type Approval,
  commentRequired,
  type DecideDeps,
  type Decision,
  decide,
  refusalFor,
} from '../../../approvals';
import { adoptCorrelationId } from '../../../shared/correlation';
import { normalizeApprovalId } from '../../../shared/ids';
import type { Logger } from '../../../shared/log';
import { approvalMessage, correlationIdOfDecisionBlock } from '../../views/approval-message';
import { refusalText } from '../../views/decision-refusal';
import { decisionModal } from '../../views/reject-modal';
import { webApiAdvice, webApiFailureOf } from '../../web-api-failure';
import { requestLoggerOf } from '../request-logger';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export interface ButtonDeps {
  backend: () => Promise<DecideDeps>;
  logger: Logger;
  now: () => Date;
}

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, replace_original: false, text });
const TRY_AGAIN = ':warning: Greenlight could not record that just now; nothing changed. Please try again.';

/**
 * Acknowledges the click, reads the approval id from the button, and runs `decideOn` with it. A
 * failure after the ack cannot change Slack's answer, so it is logged and told to the clicker:
 * when Slack refused a call (an expired trigger id, say), with what to do about it. The click logs
 * under the request's correlation id, which the button's block carries.
 */
function onApprovalButton(
  deps: ButtonDeps,
  failure: string,
  retry: string,
  decideOn: (approvalId: string, args: ButtonArgs, correlationId: string | undefined) => Promise<void>,
) {
  return async (args: ButtonArgs): Promise<void> => {
    const correlationId = correlationIdOfDecisionBlock(args.action.block_id);
    if (correlationId !== undefined) adoptCorrelationId(correlationId);
    await args.ack();
    const approvalId = normalizeApprovalId(args.action.value ?? '');
    if (approvalId === undefined) {
      await args.respond(ephemeral(':warning: That button does not name a request.'));
      return;
    }
    try {
      await decideOn(approvalId, args, correlationId);
    } catch (error) {
      const logger = requestLoggerOf(args.context, deps.logger);
      const slackFailure = webApiFailureOf(error);
      if (slackFailure === undefined) {
        logger.error(failure, { approvalId, error });
        await args.respond(ephemeral(TRY_AGAIN));
        return;
      }
      logger.warn('slack_web_api_failed', { approvalId, ...slackFailure, error });
      await args.respond(ephemeral(webApiAdvice(slackFailure, retry)));
    }
  };
}

export function countedText(approval: Approval): string {
  const need = approval.need ?? 1;
  const approvals = need - (approval.remaining ?? 0);
  return `:ballot_box_with_check: Your approval of \`${approval.id}\` is counted: ${approvals} of ${need}. It is decided when ${need} approvers have approved.`;
}

/** Approve: one conditional write decides, then the message is redrawn at once without buttons. */
export function approveButton(deps: ButtonDeps) {
  return onApprovalButton(
    deps,
    'approval_decision_failed',
    'click Approve again',
    async function approveFromButton(approvalId, args) {
      const backend = await deps.backend();
      const result = await decide(backend, {
        approvalId,
        decision: 'approve',
        decider: args.body.user.id,
        via: 'slack',
        now: deps.now(),
      });
      if (!result.ok) {
        await args.respond(ephemeral(refusalText(result, approvalId)));
        return;
      }
      if (result.callback === 'counted') {
        // Votes cast at the same time answer in any order: the message is drawn from the record as
        // it is now, not as this vote left it, so a slower answer never shows an older tally.
        const latest = (await backend.store.get(approvalId)) ?? result.approval;
        await args.respond({ replace_original: true, ...approvalMessage(latest) });
        await args.respond(ephemeral(countedText(latest)));
        return;
      }
      // The workflow updates the message too; doing it here means the clicker sees it immediately.
      await args.respond({ replace_original: true, ...approvalMessage(result.approval) });
    },
  );
}

/**
 * Reject (and Approve where the policy requires a comment): check the clicker may decide, then ask
 * for confirmation and the comment in a modal; its submission decides.
 */
function confirmInModal(deps: ButtonDeps, decision: Decision) {
  const verb = decision === 'approve' ? 'Approve' : 'Reject';
  return onApprovalButton(
    deps,
    `approval_${decision}_prompt_failed`,
    `click ${verb} again`,
    async function confirmDecisionFromButton(approvalId, args, correlationId) {
      const backend = await deps.backend();
      const approval = await backend.store.get(approvalId);
      const refusal = refusalFor(approval, args.body.user.id, backend.policy, deps.now());
      if (refusal !== undefined || approval === undefined) {
        await args.respond(ephemeral(refusalText(refusal ?? { reason: 'not-found' }, approvalId)));
        return;
      }
      const channelId = args.body.channel?.id ?? approval.channelId;
      const messageTs = args.body.message?.ts ?? approval.messageTs;
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: decisionModal(
          {
            approvalId,
            channelId,
            ...(messageTs ? { messageTs } : {}),
            ...(correlationId ? { correlationId } : {}),
          },
          approval.title,
          decision,
          commentRequired(approval.requireCommentOn, decision),
        ),
      });
    },
  );
}

export const rejectButton = (deps: ButtonDeps) => confirmInModal(deps, 'reject');
export const approveWithCommentButton = (deps: ButtonDeps) => confirmInModal(deps, 'approve');
