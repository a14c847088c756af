import type {
  AllMiddlewareArgs,
  GlobalShortcut,
  MessageShortcut,
  SlackShortcutMiddlewareArgs,
} from '@slack/bolt';
import { REQUEST_LIMITS } from '../../../approvals';
import type { Logger } from '../../../shared/log';
import { unescapeSlackText } from '../../../shared/slack-text';
import { type RequestPrefill, requestModal } from '../../views/request-modal';
import { webApiFailureOf } from '../../web-api-failure';
import { requestLoggerOf } from '../request-logger';

export type ShortcutArgs = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

export interface ShortcutDeps {
  logger: Logger;
}

/** Global shortcut: the same form as `/greenlight`, with no channel chosen (there is none to guess). */
export function globalRequestShortcut() {
  return async function openRequestFormFromShortcut(args: ShortcutArgs): Promise<void> {
    const shortcut = args.shortcut as GlobalShortcut;
    // The trigger id expires 3 s after Slack sent the shortcut: open first, then answer.
    await args.client.views.open({ trigger_id: shortcut.trigger_id, view: requestModal('') });
    await args.ack();
  };
}

/** The first line of the message, cut to fit a title; the whole message goes in the details. */
function titleFrom(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((candidate) => candidate.trim())
    .find((candidate) => candidate !== '');
  if (line === undefined) return undefined;
  const max = REQUEST_LIMITS.titleLength;
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

export function prefillFromMessage(text: string, sourceUrl: string | undefined): RequestPrefill {
  // Slack sends the message as mrkdwn with &, < and > escaped; the form shows plain text.
  const plain = unescapeSlackText(text).trim().slice(0, REQUEST_LIMITS.detailsLength);
  const title = titleFrom(plain);
  return {
    ...(title ? { title } : {}),
    ...(plain ? { details: plain } : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
  };
}

/**
 * Message shortcut: the form about one message, its words as the details and its permalink carried
 * to the request, whose message links back. Without a permalink (Slack refused one, say for a
 * conversation the app cannot read) the form still opens, with the words only.
 */
export function messageRequestShortcut(deps: ShortcutDeps) {
  return async function openRequestFormForMessage(args: ShortcutArgs): Promise<void> {
    const shortcut = args.shortcut as MessageShortcut;
    let sourceUrl: string | undefined;
    try {
      const found = await args.client.chat.getPermalink({
        channel: shortcut.channel.id,
        message_ts: shortcut.message_ts,
      });
      sourceUrl = found.permalink;
    } catch (error) {
      const failure = webApiFailureOf(error);
      if (failure === undefined) throw error;
      requestLoggerOf(args.context, deps.logger).warn('message_permalink_failed', { ...failure });
    }
    await args.client.views.open({
      trigger_id: shortcut.trigger_id,
      view: requestModal(shortcut.channel.id, prefillFromMessage(shortcut.message.text ?? '', sourceUrl)),
    });
    await args.ack();
  };
}
