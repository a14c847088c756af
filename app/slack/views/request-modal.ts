import type { View } from '@slack/types';
import { REQUEST_LIMITS } from '../../approvals';
import { REQUEST_VIEW } from '../action-ids';
import { DEFAULT_TIMEOUT_SECONDS } from '../commands/parse-command';
import { slackLink } from './mrkdwn';

/** Block and action ids of the form's inputs, read back on submission. */
export const REQUEST_FIELDS = {
  title: { block: 'title', action: 'title_input' },
  details: { block: 'details', action: 'details_input' },
  approvers: { block: 'approvers', action: 'approvers_input' },
  channel: { block: 'channel', action: 'channel_input' },
  timeout: { block: 'timeout', action: 'timeout_input' },
  email: { block: 'email', action: 'email_input' },
} as const;

export const TIMEOUT_CHOICES: ReadonlyArray<readonly [string, number]> = [
  ['1 hour', 3600],
  ['4 hours', 4 * 3600],
  ['1 day', 86_400],
  ['3 days', 3 * 86_400],
  ['1 week', 7 * 86_400],
];

const option = (label: string, seconds: number) => ({
  text: { type: 'plain_text' as const, text: label },
  value: String(seconds),
});

/** What a message shortcut fills in: the message's words, and a link back to it. */
export interface RequestPrefill {
  title?: string;
  details?: string;
  sourceUrl?: string;
}

/** What the form carries to its submission besides its inputs. */
export interface RequestFormContext {
  channelId: string;
  sourceUrl?: string;
}

/** Reads the form's private_metadata back; anything unreadable is an empty context, never a throw. */
export function requestFormContext(raw: string): RequestFormContext {
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof RequestFormContext, unknown>>;
    return {
      channelId: typeof value.channelId === 'string' ? value.channelId : '',
      ...(typeof value.sourceUrl === 'string' ? { sourceUrl: value.sourceUrl } : {}),
    };
  } catch {
    return { channelId: '' };
  }
}

const initial = (value: string | undefined) => (value ? { initial_value: value } : {});

/**
 * The form `/greenlight` and the shortcuts open; `channelId` (where it was typed, or the message's
 * channel) is the default place to post, and a message shortcut's prefill fills the title and details.
 */
export function requestModal(channelId: string, prefill: RequestPrefill = {}): View {
  const context: RequestFormContext = {
    channelId,
    ...(prefill.sourceUrl ? { sourceUrl: prefill.sourceUrl } : {}),
  };
  const defaultTimeout =
    TIMEOUT_CHOICES.find(([, seconds]) => seconds === DEFAULT_TIMEOUT_SECONDS) ?? TIMEOUT_CHOICES[2];
  return {
    type: 'modal',
    callback_id: REQUEST_VIEW,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: 'Ask for approval' },
    submit: { type: 'plain_text', text: 'Request' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: REQUEST_FIELDS.title.block,
        label: { type: 'plain_text', text: 'What needs approval?' },
        element: {
          type: 'plain_text_input',
          action_id: REQUEST_FIELDS.title.action,
          max_length: REQUEST_LIMITS.titleLength,
          ...initial(prefill.title),
          placeholder: { type: 'plain_text', text: 'Deploy v2 to production' },
        },
      },
      {
        type: 'input',
        block_id: REQUEST_FIELDS.details.block,
        optional: true,
        label: { type: 'plain_text', text: 'Details' },
        element: {
          type: 'plain_text_input',
          action_id: REQUEST_FIELDS.details.action,
          multiline: true,
          max_length: REQUEST_LIMITS.detailsLength,
          ...initial(prefill.details),
        },
      },
      ...sourceBlocks(prefill.sourceUrl),
      {
        type: 'input',
        block_id: REQUEST_FIELDS.approvers.block,
        label: { type: 'plain_text', text: 'Approvers' },
        element: {
          type: 'multi_users_select',
          action_id: REQUEST_FIELDS.approvers.action,
          max_selected_items: REQUEST_LIMITS.approvers,
          placeholder: { type: 'plain_text', text: 'Who decides?' },
        },
      },
      {
        type: 'input',
        block_id: REQUEST_FIELDS.channel.block,
        label: { type: 'plain_text', text: 'Post the request in' },
        element: {
          type: 'conversations_select',
          action_id: REQUEST_FIELDS.channel.action,
          ...(channelId.startsWith('C') || channelId.startsWith('G')
            ? { initial_conversation: channelId }
            : {}),
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      },
      {
        type: 'input',
        block_id: REQUEST_FIELDS.timeout.block,
        label: { type: 'plain_text', text: 'Expires after' },
        element: {
          type: 'static_select',
          action_id: REQUEST_FIELDS.timeout.action,
          options: TIMEOUT_CHOICES.map(([label, seconds]) => option(label, seconds)),
          ...(defaultTimeout ? { initial_option: option(defaultTimeout[0], defaultTimeout[1]) } : {}),
        },
      },
      {
        type: 'input',
        block_id: REQUEST_FIELDS.email.block,
        optional: true,
        label: { type: 'plain_text', text: 'E-mail' },
        element: {
          type: 'checkboxes',
          action_id: REQUEST_FIELDS.email.action,
          options: [
            {
              text: { type: 'plain_text', text: 'Also e-mail the approvers approve/reject links' },
              value: 'email',
            },
          ],
        },
      },
    ],
  };
}

/** The link the request will carry back to its message, shown so the requester knows it goes along. */
function sourceBlocks(sourceUrl: string | undefined): View['blocks'] {
  if (!sourceUrl) return [];
  return [
    {
      type: 'context',
      block_id: 'source',
      elements: [
        {
          type: 'mrkdwn',
          text: `:link: About ${slackLink(sourceUrl, 'this message')}; the request will link back to it.`,
        },
      ],
    },
  ];
}
