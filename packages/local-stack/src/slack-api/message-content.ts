import type { ApiArgs } from './api-args';
import { validateBlocks } from './block-kit-validator';
import { problemAt, SlackApiError } from './slack-api-error';
import type { MessageContent } from './workspace';

/** Slack truncates nothing: it refuses text longer than this with `msg_too_long`. */
const MAX_TEXT_LENGTH = 40_000;

/** What Slack stores as `text` for a message sent with blocks only. */
export const BLOCKS_ONLY_FALLBACK_TEXT = "This content can't be displayed.";

/** The parts of a message the caller sent; absent parts stay undefined (chat.update keeps them). */
export interface SentContent {
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: unknown;
}

/**
 * Reads and checks `text`, `blocks`, `attachments` and `metadata` the way `chat.*` and response_url
 * do: undecodable or non-array blocks are `invalid_blocks_format`, malformed Block Kit is
 * `invalid_blocks` with a message per problem.
 */
export function readSentContent(args: ApiArgs): SentContent {
  const blocks = args.json('blocks', 'invalid_blocks_format');
  if (blocks !== undefined && !Array.isArray(blocks)) {
    throw new SlackApiError('invalid_blocks_format', [problemAt('/blocks', 'must provide an array')]);
  }
  if (blocks !== undefined) {
    const problems = validateBlocks(blocks, 'message');
    if (problems.length > 0) throw new SlackApiError('invalid_blocks', problems);
  }
  const attachments = args.json('attachments', 'invalid_attachments');
  if (attachments !== undefined && !Array.isArray(attachments))
    throw new SlackApiError('invalid_attachments');
  const text = args.string('text');
  if (text !== undefined && text.length > MAX_TEXT_LENGTH) throw new SlackApiError('msg_too_long');
  return { text, blocks, attachments, metadata: args.json('metadata', 'invalid_metadata_format') };
}

/** A new message needs something to show: text, a block or an attachment (`no_text` otherwise). */
export function requireShowable(content: SentContent): MessageContent {
  const hasBlocks = content.blocks !== undefined && content.blocks.length > 0;
  const hasAttachments = content.attachments !== undefined && content.attachments.length > 0;
  if (content.text === undefined && !hasBlocks && !hasAttachments) throw new SlackApiError('no_text');
  return {
    text: content.text ?? (hasBlocks ? BLOCKS_ONLY_FALLBACK_TEXT : ''),
    blocks: hasBlocks ? content.blocks : undefined,
    attachments: hasAttachments ? content.attachments : undefined,
    metadata: content.metadata,
  };
}
