import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import {
  type Approval,
  commentRequired,
  type DecideDeps,
  type Decision,
  decide,
  type HomeReader,
  homeContents,
  refusalFor,
} from '../../../approvals';
import { adoptCorrelationId } from '../../../shared/correlation';
import { normalizeApprovalId } from '../../../shared/ids';
import type { Logger } from '../../../shared/log';
import { SlackHomePublisher } from '../../home-publisher';
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
  /** The index reads a Home is built from; absent: no App Home (its buttons still decide). */
  home?: (() => Promise<HomeReader>) | undefined;
}

/** Where the click came from: a message (answered through its response_url) or the clicker's App Home. */
interface ClickAnswer {
  /** Whether the click came from the clicker's App Home (a modal it opens answers there too). */
  home: boolean;
  tell(text: string, changed?: Approval): Promise<void>;
  decided(approval: Approval): Promise<void>;
  /** An approval short of the quorum: the tally redrawn where it was clicked, and the clicker told. */
  counted(approval: Approval): Promise<void>;
}

const fromHome = (args: ButtonArgs) => (args.body.view as { type?: string } | undefined)?.type === 'home';

/**
 * A Home has no response_url and shows no ephemerals: what a message click is told ephemerally
 * goes to the person's DM with the app, and the Home is republished (with the note on top), so a
 * stale button is gone at once.
 */
function clickAnswer(deps: ButtonDeps, args: ButtonArgs): ClickAnswer {
  if (!fromHome(args)) {
    return {
      home: false,
      tell: async (text) => {
        await args.respond(ephemeral(text));
      },
      decided: async (approval) => {
        // The workflow updates the message too; doing it here means the clicker sees it immediately.
        await args.respond({ replace_original: true, ...approvalMessage(approval) });
      },
      counted: async (approval) => {
        await args.respond({ replace_original: true, ...approvalMessage(approval) });
        await args.respond(ephemeral(countedText(approval)));
      },
    };
  }
  const user = args.body.user.id;
  const republish = async (changed: Approval | undefined, notice: string | undefined) => {
    if (deps.home === undefined) return;
    const contents = await homeContents(await deps.home(), user, {
      ...(changed ? { changed } : {}),
      ...(notice ? { notice } : {}),
    });
    await new SlackHomePublisher(args.client).publish(contents);
  };
  return {
    home: true,
    tell: async (text, changed) => {
      await args.client.chat.postMessage({ channel: user, text });
      await republish(changed, text);
    },
    decided: (approval) => republish(approval, undefined),
    counted: async (approval) => {
      // No workflow step redraws the channel's message for a counted vote: the click does, as from it.
      await redrawMessage(args.client, approval, deps.logger);
      await republish(approval, countedText(approval));
    },
  };
}

/** Best effort: the message in the channel shows the new tally; the record already holds the vote. */
async function redrawMessage(
  client: ButtonArgs['client'],
  approval: Approval,
  logger: Logger,
): Promise<void> {
  if (!approval.messageTs) return;
  await client.chat
    .update({ channel: approval.channelId, ts: approval.messageTs, ...approvalMessage(approval) })
    .catch((error: unknown) =>
      logger.warn('approval_message_update_failed', { approvalId: approval.id, error }),
    );
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
  decideOn: (
    approvalId: string,
    args: ButtonArgs,
    answer: ClickAnswer,
    correlationId: string | undefined,
  ) => Promise<void>,
) {
  return async (args: ButtonArgs): Promise<void> => {
    const correlationId = correlationIdOfDecisionBlock(args.action.block_id);
    if (correlationId !== undefined) adoptCorrelationId(correlationId);
    await args.ack();
    const answer = clickAnswer(deps, args);
    const approvalId = normalizeApprovalId(args.action.value ?? '');
    if (approvalId === undefined) {
      await answer.tell(':warning: That button does not name a request.');
      return;
    }
    try {
      await decideOn(approvalId, args, answer, correlationId);
    } catch (error) {
      const logger = requestLoggerOf(args.context, deps.logger);
      const slackFailure = webApiFailureOf(error);
      if (slackFailure === undefined) {
        logger.error(failure, { approvalId, error });
        await answer.tell(TRY_AGAIN);
        return;
      }
      logger.warn('slack_web_api_failed', { approvalId, ...slackFailure, error });
      await answer.tell(webApiAdvice(slackFailure, retry));
    }
  };
}

export function countedText(approval: Approval): string {
  const need = approval.need ?? 1;
  const approvals = need - (approval.remaining ?? 0);
  return `:ballot_box_with_check: Your approval of \`${approval.id}\` is counted: ${approvals} of ${need}. It is decided when ${need} approvers have approved.`;
}

/** A refusal names the request as the record has it now, so a Home shows it where it now belongs. */
async function currentRecord(deps: ButtonDeps, approvalId: string): Promise<Approval | undefined> {
  return (await deps.backend()).store.get(approvalId);
}

/** Approve: one conditional write decides, then the message is redrawn at once without buttons. */
export function approveButton(deps: ButtonDeps) {
  return onApprovalButton(
    deps,
    'approval_decision_failed',
    'click Approve again',
    async function approveFromButton(approvalId, args, answer, correlationId) {
      const backend = await deps.backend();
      const result = await decide(backend, {
        approvalId,
        decision: 'approve',
        decider: args.body.user.id,
        via: 'slack',
        now: deps.now(),
      });
      if (!result.ok) {
        const current = await currentRecord(deps, approvalId);
        // A Home's index items do not say which policy wants a comment, so its Approve is the plain
        // one: where the write asks for a comment, the click opens the same modal as Approve… does.
        if (result.reason === 'comment-required' && answer.home && current !== undefined) {
          await openDecisionModal(args, answer, current, 'approve', correlationId);
          return;
        }
        await answer.tell(refusalText(result, approvalId), current);
        return;
      }
      if (result.callback === 'counted') {
        // Votes cast at the same time answer in any order: the message is drawn from the record as
        // it is now, not as this vote left it, so a slower answer never shows an older tally.
        await answer.counted((await backend.store.get(approvalId)) ?? result.approval);
        return;
      }
      await answer.decided(result.approval);
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
    async function confirmDecisionFromButton(approvalId, args, answer, correlationId) {
      const backend = await deps.backend();
      const approval = await backend.store.get(approvalId);
      const refusal = refusalFor(approval, args.body.user.id, backend.policy, deps.now());
      if (refusal !== undefined || approval === undefined) {
        await answer.tell(refusalText(refusal ?? { reason: 'not-found' }, approvalId), approval);
        return;
      }
      await openDecisionModal(args, answer, approval, decision, correlationId);
    },
  );
}

async function openDecisionModal(
  args: ButtonArgs,
  answer: ClickAnswer,
  approval: Approval,
  decision: Decision,
  correlationId: string | undefined,
): Promise<void> {
  const channelId = args.body.channel?.id ?? approval.channelId;
  const messageTs = args.body.message?.ts ?? approval.messageTs;
  await args.client.views.open({
    trigger_id: args.body.trigger_id,
    view: decisionModal(
      {
        approvalId: approval.id,
        channelId,
        ...(messageTs ? { messageTs } : {}),
        ...(correlationId ? { correlationId } : {}),
        ...(answer.home ? { fromHome: true } : {}),
      },
      approval.title,
      decision,
      commentRequired(approval.requireCommentOn, decision),
    ),
  });
}

export const rejectButton = (deps: ButtonDeps) => confirmInModal(deps, 'reject');
export const approveWithCommentButton = (deps: ButtonDeps) => confirmInModal(deps, 'approve');
