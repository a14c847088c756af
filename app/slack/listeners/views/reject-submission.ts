import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { decide } from '../../../approvals';
import { adoptCorrelationId, validCorrelationId } from '../../../shared/correlation';
import { normalizeApprovalId } from '../../../shared/ids';
import { approvalMessage } from '../../views/approval-message';
import { refusalText } from '../../views/decision-refusal';
import { explanationModal } from '../../views/explanation-modal';
import { REJECT_COMMENT, type RejectContext } from '../../views/reject-modal';
import type { ButtonDeps } from '../actions/approval-buttons';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

function readContext(raw: string): RejectContext | undefined {
  try {
    const value = JSON.parse(raw) as Partial<RejectContext>;
    const approvalId = normalizeApprovalId(String(value.approvalId ?? ''));
    if (approvalId === undefined || typeof value.channelId !== 'string') return undefined;
    const correlationId = validCorrelationId(value.correlationId);
    return {
      approvalId,
      channelId: value.channelId,
      ...(typeof value.messageTs === 'string' ? { messageTs: value.messageTs } : {}),
      ...(correlationId !== undefined ? { correlationId } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The confirmed rejection: the same conditional write as Approve, with the optional comment. */
export function rejectSubmission(deps: ButtonDeps) {
  return async function rejectFromModal(args: ViewArgs): Promise<void> {
    const context = readContext(args.view.private_metadata);
    if (context === undefined) {
      await args.ack(
        explanationModal(':warning: This form lost track of its request. Click Reject on the message again.'),
      );
      return;
    }
    // The request's id, carried from the clicked button: the submission is a step of that request.
    if (context.correlationId !== undefined) adoptCorrelationId(context.correlationId);
    const comment = args.view.state.values[REJECT_COMMENT.block]?.[REJECT_COMMENT.action]?.value ?? undefined;
    try {
      const result = await decide(await deps.backend(), {
        approvalId: context.approvalId,
        decision: 'reject',
        decider: args.body.user.id,
        comment,
        via: 'slack',
        now: deps.now(),
      });
      if (!result.ok) {
        await args.ack(explanationModal(refusalText(result, context.approvalId)));
        return;
      }
      await args.ack();
      if (context.messageTs) {
        // Best effort: the workflow redraws the message as well, from the record.
        await args.client.chat
          .update({ channel: context.channelId, ts: context.messageTs, ...approvalMessage(result.approval) })
          .catch((error: unknown) =>
            deps.logger.warn('approval_message_update_failed', { approvalId: context.approvalId, error }),
          );
      }
    } catch (error) {
      deps.logger.error('approval_decision_failed', { approvalId: context.approvalId, error });
      await args.ack(
        explanationModal(
          ':warning: Greenlight could not record that just now; nothing changed. Please try again.',
        ),
      );
    }
  };
}
