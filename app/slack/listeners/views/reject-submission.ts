import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { type Approval, type Decision, decide, homeContents } from '../../../approvals';
import { adoptCorrelationId, validCorrelationId } from '../../../shared/correlation';
import { normalizeApprovalId } from '../../../shared/ids';
import { SlackHomePublisher } from '../../home-publisher';
import { approvalMessage } from '../../views/approval-message';
import { refusalText } from '../../views/decision-refusal';
import { explanationModal } from '../../views/explanation-modal';
import { REJECT_COMMENT, type RejectContext } from '../../views/reject-modal';
import { type ButtonDeps, countedText } from '../actions/approval-buttons';

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
      ...(value.fromHome === true ? { fromHome: true as const } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The confirmed decision: the same conditional write as Approve, with the comment. */
export function decisionSubmission(deps: ButtonDeps, decision: Decision) {
  return async function decideFromModal(args: ViewArgs): Promise<void> {
    const context = readContext(args.view.private_metadata);
    if (context === undefined) {
      await args.ack(
        explanationModal(
          `:warning: This form lost track of its request. Click ${decision === 'approve' ? 'Approve' : 'Reject'} on the message again.`,
        ),
      );
      return;
    }
    // The request's id, carried from the clicked button: the submission is a step of that request.
    if (context.correlationId !== undefined) adoptCorrelationId(context.correlationId);
    const comment = args.view.state.values[REJECT_COMMENT.block]?.[REJECT_COMMENT.action]?.value ?? undefined;
    try {
      const backend = await deps.backend();
      const result = await decide(backend, {
        approvalId: context.approvalId,
        decision,
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
      // A counted approval is drawn from the record as it is now (see the Approve button).
      const shown =
        result.callback === 'counted'
          ? ((await backend.store.get(context.approvalId)) ?? result.approval)
          : result.approval;
      if (context.fromHome) {
        await republishHome(deps, args, shown, result.callback === 'counted');
      } else if (result.callback === 'counted') {
        await args.client.chat
          .postEphemeral({ channel: context.channelId, user: args.body.user.id, text: countedText(shown) })
          .catch((error: unknown) =>
            deps.logger.warn('approval_counted_reply_failed', { approvalId: context.approvalId, error }),
          );
      }
      if (context.messageTs) {
        // Best effort: the workflow redraws the message as well, from the record.
        await args.client.chat
          .update({ channel: context.channelId, ts: context.messageTs, ...approvalMessage(shown) })
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

/**
 * A decision made in a modal opened from the App Home: the Home is redrawn with the request where it
 * now is, and a counted approval's tally on top. Best effort, as the message's redraw is.
 */
async function republishHome(deps: ButtonDeps, args: ViewArgs, shown: Approval, counted: boolean) {
  if (deps.home === undefined) return;
  const user = args.body.user.id;
  try {
    const contents = await homeContents(await deps.home(), user, {
      changed: shown,
      ...(counted ? { notice: countedText(shown) } : {}),
    });
    await new SlackHomePublisher(args.client).publish(contents);
  } catch (error) {
    deps.logger.warn('home_publish_failed', { approvalId: shown.id, user, error });
  }
}
