import { actionIdOf, blockIdOf, elementsOf } from '../../../slack-requests/block-elements';
import { type Placement, renderElement } from './elements';
import { mrkdwn } from './mrkdwn';
import { isRecord, type Json, type RenderContext } from './render-context';
import { richText } from './rich-text';
import { safeImageUrl } from './safe-url';
import { plainText, textObject } from './text-object';
import { type Child, h, type VNode, withRef } from './vnode';

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function domId(...parts: string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_');
}

function placement(
  ctx: RenderContext,
  blockId: string,
  actionId: string,
  extra: Partial<Placement> = {},
): Placement {
  return {
    blockId,
    actionId,
    id: domId(ctx.idPrefix, blockId, actionId),
    inInput: false,
    label: undefined,
    describedBy: undefined,
    invalid: false,
    required: false,
    dispatch: false,
    ...extra,
  };
}

function section(block: Json, blockId: string, ctx: RenderContext): VNode {
  const fields = records(block.fields);
  const [accessory] = elementsOf(block);
  return h(
    'div',
    { class: 'bk-section' },
    h(
      'div',
      { class: 'bk-section-body' },
      isRecord(block.text) ? h('div', { class: 'bk-text' }, ...textObject(block.text, ctx)) : null,
      fields.length > 0
        ? h(
            'div',
            { class: 'bk-fields' },
            ...fields.map((field) => h('div', { class: 'bk-field' }, ...textObject(field, ctx))),
          )
        : null,
    ),
    accessory
      ? h(
          'div',
          { class: 'bk-accessory' },
          renderElement(accessory, placement(ctx, blockId, actionIdOf(accessory, 0)), ctx),
        )
      : null,
  );
}

function image(value: Json, className: string): VNode | string {
  const src = safeImageUrl(value.image_url);
  return src ? h('img', { class: className, src, alt: String(value.alt_text ?? '') }) : '';
}

function input(block: Json, blockId: string, ctx: RenderContext): VNode {
  const [element] = elementsOf(block);
  const label = plainText(block.label);
  const optional = block.optional === true;
  const error = ctx.errors[blockId];
  const hintId = domId(ctx.idPrefix, blockId, 'hint');
  const errorId = domId(ctx.idPrefix, blockId, 'error');
  const describedBy =
    [isRecord(block.hint) ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const type = element ? String(element.type) : '';
  const isGroup = type === 'checkboxes' || type === 'radio_buttons';
  const where = element
    ? placement(ctx, blockId, actionIdOf(element, 0), {
        inInput: true,
        label: optional ? `${label} (optional)` : label,
        describedBy,
        invalid: error !== undefined,
        required: !optional,
        dispatch: block.dispatch_action === true,
      })
    : undefined;
  return h(
    'div',
    { class: `bk-input${error ? ' bk-input-invalid' : ''}`, 'data-block-id': blockId },
    // A group of checkboxes or radios is named by its legend instead of a label.
    isGroup || !where
      ? null
      : h(
          'label',
          { class: 'bk-label', for: where.id },
          label,
          optional ? h('span', { class: 'bk-optional' }, ' (optional)') : null,
        ),
    element && where ? renderElement(element, where, ctx) : null,
    isRecord(block.hint) ? h('p', { class: 'bk-hint', id: hintId }, plainText(block.hint)) : null,
    error ? h('p', { class: 'bk-error', id: errorId }, error) : null,
  );
}

function context(block: Json, ctx: RenderContext): VNode {
  return h(
    'div',
    { class: 'bk-context' },
    ...records(block.elements).map((element) =>
      element.type === 'image'
        ? image(element, 'bk-context-image')
        : h('span', {}, ...textObject(element, ctx)),
    ),
  );
}

function actions(block: Json, blockId: string, ctx: RenderContext): VNode {
  return h(
    'div',
    { class: 'bk-actions', role: 'group', 'aria-label': 'Actions' },
    ...elementsOf(block).map((element, index) =>
      renderElement(element, placement(ctx, blockId, actionIdOf(element, index)), ctx),
    ),
  );
}

/** One block of a message or modal. Unknown blocks are named, not dropped, so nothing disappears silently. */
export function renderBlock(block: unknown, index: number, ctx: RenderContext): Child {
  if (!isRecord(block)) return '';
  const blockId = blockIdOf(block, index);
  switch (block.type) {
    case 'header':
      return h('h3', { class: 'bk-header' }, plainText(block.text));
    case 'section':
      return section(block, blockId, ctx);
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'context':
      return context(block, ctx);
    case 'actions':
      return actions(block, blockId, ctx);
    case 'image': {
      const title = plainText(block.title);
      return h(
        'figure',
        { class: 'bk-image' },
        image(block, 'bk-image-img'),
        title ? h('figcaption', {}, title) : null,
      );
    }
    case 'input':
      return input(block, blockId, ctx);
    case 'rich_text':
      return richText(block, ctx);
    case 'markdown':
      return h('div', { class: 'bk-text' }, ...mrkdwn(String(block.text ?? ''), ctx));
    default:
      return h('p', { class: 'bk-unsupported' }, `[${String(block.type)} block is not shown in the sandbox]`);
  }
}

export function renderBlocks(blocks: unknown, ctx: RenderContext): Child[] {
  return Array.isArray(blocks) ? blocks.map((block, index) => renderBlock(block, index, ctx)) : [];
}

const ATTACHMENT_COLORS: Record<string, string> = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

/** Legacy attachments: a coloured bar with their text, fields or blocks. */
function attachment(value: Json, ctx: RenderContext): VNode {
  const color =
    typeof value.color === 'string'
      ? (ATTACHMENT_COLORS[value.color] ??
        (/^#?[0-9a-f]{3,8}$/i.test(value.color) ? `#${value.color.replace(/^#/, '')}` : undefined))
      : undefined;
  const node = h(
    'div',
    { class: 'bk-attachment' },
    typeof value.pretext === 'string' ? h('div', { class: 'bk-text' }, ...mrkdwn(value.pretext, ctx)) : null,
    typeof value.title === 'string' ? h('strong', {}, value.title) : null,
    typeof value.text === 'string' ? h('div', { class: 'bk-text' }, ...mrkdwn(value.text, ctx)) : null,
    records(value.fields).length > 0
      ? h(
          'div',
          { class: 'bk-fields' },
          ...records(value.fields).map((field) =>
            h(
              'div',
              { class: 'bk-field' },
              h('strong', {}, String(field.title ?? '')),
              h('br'),
              String(field.value ?? ''),
            ),
          ),
        )
      : null,
    ...renderBlocks(value.blocks, ctx),
  );
  // Set through the CSSOM: the page's policy forbids style attributes.
  return color
    ? withRef(node, (el) => (el as HTMLElement).style.setProperty('border-left-color', color))
    : node;
}

/** A message's content as Slack shows it: its blocks (or its text when it has none), then attachments. */
export function renderMessageContent(
  message: { text?: string; blocks?: unknown[]; attachments?: unknown[] },
  ctx: RenderContext,
): Child[] {
  const body =
    Array.isArray(message.blocks) && message.blocks.length > 0
      ? renderBlocks(message.blocks, ctx)
      : [h('div', { class: 'bk-text' }, ...mrkdwn(message.text ?? '', ctx))];
  return [...body, ...records(message.attachments).map((value) => attachment(value, ctx))];
}
