import type { Choice } from '../../../slack-requests/block-elements';
import { isRecord, type Json, type Option, type RenderContext } from './render-context';
import { safeImageUrl, safeLinkUrl } from './safe-url';
import { plainText, textObject } from './text-object';
import { type Child, h, on, type VNode, withRef } from './vnode';

/** Where an element sits, and how it is labelled there. */
export interface Placement {
  blockId: string;
  actionId: string;
  /** The element's id, which a `<label for>` may point at. */
  id: string;
  /** In an input block the block's label names the control; elsewhere it names itself. */
  inInput: boolean;
  /** The input block's label, for group controls whose legend it becomes. */
  label: string | undefined;
  describedBy: string | undefined;
  invalid: boolean;
  required: boolean;
  /** An input block with `dispatch_action`: changes are sent at once, as in an actions block. */
  dispatch: boolean;
}

const SELECTS_OF_OPTIONS = new Set([
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
]);
const SELECTS_OF_PEOPLE = new Set(['users_select', 'multi_users_select']);
const SELECTS_OF_CONVERSATIONS = new Set([
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
]);

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function optionValue(option: Json): string {
  return typeof option.value === 'string' ? option.value : '';
}

function initialValues(element: Json): Set<string> {
  const values = new Set<string>();
  if (isRecord(element.initial_option)) values.add(optionValue(element.initial_option));
  for (const option of records(element.initial_options)) values.add(optionValue(option));
  for (const key of ['initial_user', 'initial_conversation', 'initial_channel']) {
    if (typeof element[key] === 'string') values.add(element[key]);
  }
  for (const key of ['initial_users', 'initial_conversations', 'initial_channels']) {
    const list = element[key];
    if (Array.isArray(list)) for (const value of list) if (typeof value === 'string') values.add(value);
  }
  return values;
}

function readSelect(select: HTMLSelectElement): Choice {
  if (select.multiple) return { values: [...select.selectedOptions].map((option) => option.value) };
  return { value: select.value === '' ? null : select.value };
}

/** What a change in a stateful control means: sent at once outside inputs, remembered inside them. */
function stateful(
  node: VNode,
  placement: Placement,
  element: Json,
  ctx: RenderContext,
  read: (el: Element) => Choice,
) {
  let current: Element | undefined;
  withRef(node, (el) => {
    current = el;
  });
  const readNow = () => (current === undefined ? {} : read(current));
  if (placement.inInput) ctx.inputs.register(placement.blockId, placement.actionId, readNow);
  if (!placement.inInput || placement.dispatch) {
    on(node, {
      change: () =>
        ctx.act({ blockId: placement.blockId, actionId: placement.actionId, element, choice: readNow() }),
    });
  }
  return node;
}

function controlAttributes(placement: Placement, element: Json, fallbackLabel: string) {
  return {
    id: placement.id,
    'aria-label': placement.inInput ? undefined : plainText(element.placeholder) || fallbackLabel,
    'aria-describedby': placement.describedBy,
    'aria-invalid': placement.invalid ? 'true' : undefined,
    required: placement.required && placement.inInput,
  };
}

function select(element: Json, placement: Placement, ctx: RenderContext, options: Child[]): VNode {
  const type = String(element.type);
  const multiple = type.startsWith('multi_');
  const placeholder = plainText(element.placeholder) || 'Choose…';
  const node = h(
    'select',
    { ...controlAttributes(placement, element, placeholder), class: 'bk-select', multiple },
    multiple ? null : h('option', { value: '' }, placeholder),
    ...options,
  );
  return stateful(node, placement, element, ctx, (el) => readSelect(el as HTMLSelectElement));
}

function optionNodes(options: Json[], selected: Set<string>): Child[] {
  return options.map((option) =>
    h(
      'option',
      { value: optionValue(option), selected: selected.has(optionValue(option)) },
      plainText(option.text),
    ),
  );
}

function listOptions(list: ReadonlyArray<Option>, selected: Set<string>): Child[] {
  return list.map((option) =>
    h('option', { value: option.value, selected: selected.has(option.value) }, option.label),
  );
}

function button(element: Json, placement: Placement, ctx: RenderContext): VNode {
  const style =
    element.style === 'primary' || element.style === 'danger' ? ` bk-button-${element.style}` : '';
  const label = plainText(element.text);
  const attributes = {
    class: `bk-button${style}`,
    'aria-label': typeof element.accessibility_label === 'string' ? element.accessibility_label : undefined,
    'data-action-id': placement.actionId,
  };
  const use = () => ctx.act({ blockId: placement.blockId, actionId: placement.actionId, element });
  const href = typeof element.url === 'string' ? safeLinkUrl(element.url) : undefined;
  // A link button opens its URL and still tells the app, as Slack does.
  if (href !== undefined) {
    return on(h('a', { ...attributes, href, target: '_blank', rel: 'noopener noreferrer' }, label), {
      click: use,
    });
  }
  return on(h('button', { ...attributes, type: 'button' }, label), { click: use });
}

function choiceGroup(
  element: Json,
  placement: Placement,
  ctx: RenderContext,
  kind: 'checkbox' | 'radio',
): VNode {
  const selected = initialValues(element);
  const name = placement.id;
  const items = records(element.options).map((option, index) => {
    const id = `${placement.id}-${index}`;
    return h(
      'div',
      { class: 'bk-choice' },
      h('input', {
        type: kind,
        id,
        name,
        value: optionValue(option),
        checked: selected.has(optionValue(option)),
      }),
      h('label', { for: id }, ...textObject(option.text, ctx)),
      isRecord(option.description)
        ? h('span', { class: 'bk-choice-hint' }, ...textObject(option.description, ctx))
        : null,
    );
  });
  const legend = placement.label ?? (kind === 'radio' ? 'Choose one' : 'Choose any');
  const node = h(
    'fieldset',
    {
      id: placement.id,
      class: 'bk-choices',
      'aria-describedby': placement.describedBy,
      'aria-invalid': placement.invalid ? 'true' : undefined,
    },
    h('legend', { class: placement.inInput ? 'bk-label' : 'visually-hidden' }, legend),
    ...items,
  );
  return stateful(node, placement, element, ctx, (el) => {
    const checked = [...el.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => input.value);
    return kind === 'radio' ? { value: checked[0] ?? null } : { values: checked };
  });
}

function textInput(element: Json, placement: Placement, ctx: RenderContext): VNode {
  const type = String(element.type);
  const attributes = {
    ...controlAttributes(placement, element, 'Type here'),
    class: 'bk-text-input',
    placeholder: plainText(element.placeholder) || undefined,
    minlength: typeof element.min_length === 'number' ? element.min_length : undefined,
    maxlength: typeof element.max_length === 'number' ? element.max_length : undefined,
  };
  const initial = typeof element.initial_value === 'string' ? element.initial_value : '';
  let node: VNode;
  if ((type === 'plain_text_input' && element.multiline === true) || type === 'rich_text_input') {
    node = h('textarea', { ...attributes, rows: 4 }, initial);
  } else {
    const inputType =
      type === 'email_text_input'
        ? 'email'
        : type === 'url_text_input'
          ? 'url'
          : type === 'number_input'
            ? 'number'
            : 'text';
    node = h('input', {
      ...attributes,
      type: inputType,
      value: initial || undefined,
      step: type === 'number_input' ? (element.is_decimal_allowed === true ? 'any' : '1') : undefined,
      min: typeof element.min_value === 'string' ? element.min_value : undefined,
      max: typeof element.max_value === 'string' ? element.max_value : undefined,
    });
  }
  return stateful(node, placement, element, ctx, (el) => ({ value: (el as HTMLInputElement).value || null }));
}

function picker(element: Json, placement: Placement, ctx: RenderContext): VNode {
  const type = String(element.type);
  if (type === 'datetimepicker') {
    const initial =
      typeof element.initial_date_time === 'number' ? new Date(element.initial_date_time * 1000) : undefined;
    const local = initial
      ? new Date(initial.getTime() - initial.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
      : undefined;
    const node = h('input', {
      ...controlAttributes(placement, element, 'Date and time'),
      type: 'datetime-local',
      value: local,
    });
    return stateful(node, placement, element, ctx, (el) => {
      const value = (el as HTMLInputElement).value;
      return { value: value === '' ? null : String(Math.floor(new Date(value).getTime() / 1000)) };
    });
  }
  const isDate = type === 'datepicker';
  const initial = isDate ? element.initial_date : element.initial_time;
  const node = h('input', {
    ...controlAttributes(placement, element, isDate ? 'Date' : 'Time'),
    type: isDate ? 'date' : 'time',
    value: typeof initial === 'string' ? initial : undefined,
  });
  return stateful(node, placement, element, ctx, (el) => ({ value: (el as HTMLInputElement).value || null }));
}

/** An interactive element (or an accessory image) as a control. */
export function renderElement(element: Json, placement: Placement, ctx: RenderContext): Child {
  const type = String(element.type);
  if (type === 'button') return button(element, placement, ctx);
  if (type === 'image') {
    const src = safeImageUrl(element.image_url);
    return src ? h('img', { class: 'bk-accessory-image', src, alt: String(element.alt_text ?? '') }) : '';
  }
  if (SELECTS_OF_OPTIONS.has(type)) {
    const selected = initialValues(element);
    const groups = records(element.option_groups).map((group) =>
      h('optgroup', { label: plainText(group.label) }, ...optionNodes(records(group.options), selected)),
    );
    return select(element, placement, ctx, [...optionNodes(records(element.options), selected), ...groups]);
  }
  if (SELECTS_OF_PEOPLE.has(type))
    return select(element, placement, ctx, listOptions(ctx.people, initialValues(element)));
  if (SELECTS_OF_CONVERSATIONS.has(type)) {
    return select(element, placement, ctx, listOptions(ctx.conversations, initialValues(element)));
  }
  if (type === 'overflow') {
    const node = h(
      'select',
      { id: placement.id, class: 'bk-select bk-overflow', 'aria-label': 'More actions' },
      h('option', { value: '' }, '⋯'),
      ...optionNodes(records(element.options), new Set()),
    );
    return stateful(node, { ...placement, inInput: false }, element, ctx, (el) =>
      readSelect(el as HTMLSelectElement),
    );
  }
  if (type === 'checkboxes') return choiceGroup(element, placement, ctx, 'checkbox');
  if (type === 'radio_buttons') return choiceGroup(element, placement, ctx, 'radio');
  if (
    ['plain_text_input', 'email_text_input', 'url_text_input', 'number_input', 'rich_text_input'].includes(
      type,
    )
  ) {
    return textInput(element, placement, ctx);
  }
  if (type === 'datepicker' || type === 'timepicker' || type === 'datetimepicker')
    return picker(element, placement, ctx);
  if (type === 'workflow_button') {
    return h(
      'button',
      { type: 'button', class: 'bk-button', disabled: true, title: 'Workflow buttons run in Slack only' },
      plainText(element.text),
    );
  }
  return h('span', { class: 'bk-unsupported' }, `[${type} is not shown in the sandbox]`);
}
