import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type DecideDeps, type HomeReader, homeContents } from '../../../approvals';
import { normalizeApprovalId } from '../../../shared/ids';
import type { Logger } from '../../../shared/log';
import type { CommandRunner } from '../../commands/command-workflow';
import { SlackHomePublisher } from '../../home-publisher';
import { requestModal } from '../../views/request-modal';

type HomeButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export interface HomeButtonDeps {
  backend: () => Promise<DecideDeps>;
  home: () => Promise<HomeReader>;
  runCommand: CommandRunner;
  logger: Logger;
  now: () => number;
}

/** "New request": the same form as `/greenlight`, with no channel chosen. */
export function newRequestButton() {
  return async function openRequestFormFromHome(args: HomeButtonArgs): Promise<void> {
    await args.ack();
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: requestModal('') });
  };
}

/**
 * Cancel beside one of the person's open requests: the same command workflow as `/greenlight
 * cancel` (which checks that they asked for it), its answer sent to their DM with the app (a Home
 * shows no ephemerals), and their Home republished with the request where it now is.
 */
export function cancelFromHomeButton(deps: HomeButtonDeps) {
  return async function cancelRequestFromHome(args: HomeButtonArgs): Promise<void> {
    await args.ack();
    const user = args.body.user;
    const approvalId = normalizeApprovalId(args.action.value ?? '');
    if (approvalId === undefined) {
      await args.client.chat.postMessage({
        channel: user.id,
        text: ':warning: That button does not name a request.',
      });
      return;
    }
    const { store } = await deps.backend();
    const before = await store.get(approvalId);
    const { reply } = await deps.runCommand(
      { kind: 'cancel', approvalId },
      {
        user: { id: user.id, name: user.name ?? user.id },
        teamId: user.team_id ?? '',
        // Where a late answer goes: the request's own channel, as for a form submission.
        channelId: before?.channelId ?? user.id,
        receivedAt: deps.now(),
      },
    );
    await args.client.chat.postMessage({
      channel: user.id,
      text: reply.text,
      ...(reply.blocks ? { blocks: reply.blocks } : {}),
    });
    const after = await store.get(approvalId);
    const contents = await homeContents(await deps.home(), user.id, after ? { changed: after } : {});
    await new SlackHomePublisher(args.client).publish(contents);
  };
}
