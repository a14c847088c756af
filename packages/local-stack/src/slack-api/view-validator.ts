import { validateBlocks } from './block-kit-validator';
import { problemAt, SlackApiError } from './slack-api-error';

export type ViewPayload = Record<string, unknown>;

function isRecord(value: unknown): value is ViewPayload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a view payload as `views.open` / `views.update` / `views.push` do. Slack answers a bad view
 * with `invalid_arguments` (not `invalid_blocks`), pointing into `/view`.
 */
export function validateView(view: unknown): ViewPayload {
  if (!isRecord(view))
    throw new SlackApiError('invalid_arguments', [problemAt('/view', 'must provide an object')]);
  const problems: string[] = [];
  if (view.type !== 'modal') problems.push(problemAt('/view/type', 'must be modal'));
  const plain = (key: string, required: boolean) => {
    const value = view[key];
    if (value === undefined) {
      if (required) problems.push(problemAt('/view', `missing required field: ${key}`));
      return;
    }
    if (!isRecord(value) || value.type !== 'plain_text' || typeof value.text !== 'string') {
      problems.push(problemAt(`/view/${key}`, 'must be a plain_text object'));
    } else if ([...value.text].length > 24) {
      problems.push(problemAt(`/view/${key}/text`, 'must be less than 25 characters'));
    } else if (value.text.length === 0) {
      problems.push(problemAt(`/view/${key}/text`, 'must be more than 0 characters'));
    }
  };
  plain('title', true);
  plain('close', false);
  plain('submit', false);
  if (view.blocks === undefined) problems.push(problemAt('/view', 'missing required field: blocks'));
  else problems.push(...validateBlocks(view.blocks, 'modal', '/view/blocks'));
  const hasInput =
    Array.isArray(view.blocks) && view.blocks.some((block) => isRecord(block) && block.type === 'input');
  if (hasInput && view.submit === undefined) {
    problems.push(problemAt('/view', 'missing required field: submit (required with input blocks)'));
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    problems.push(problemAt('/view/private_metadata', 'must be less than 3001 characters'));
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
    problems.push(problemAt('/view/callback_id', 'must be less than 256 characters'));
  }
  if (problems.length > 0) throw new SlackApiError('invalid_arguments', problems);
  return view;
}
