/**
 * Finding an interactive element in Block Kit, and turning what a user chose in it into the shapes
 * Slack sends: an entry of `actions` in `block_actions`, or of `state.values` in a submission. Free
 * of Node APIs: the sandbox page uses the same block ids as the server that builds the payloads.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Slack gives every block a `block_id`, inventing one when the app sent none. The invented id is
 * derived from the block's position, so the page and the server agree on it without storing it.
 */
export function blockIdOf(block: unknown, index: number): string {
  return isRecord(block) && typeof block.block_id === 'string' && block.block_id !== ''
    ? block.block_id
    : `block-${index}`;
}

/** The interactive elements a block holds: a section's accessory, an actions block's elements, an input's element. */
export function elementsOf(block: unknown): Json[] {
  if (!isRecord(block)) return [];
  if (block.type === 'section' && isRecord(block.accessory)) return [block.accessory];
  if (block.type === 'actions' && Array.isArray(block.elements)) return block.elements.filter(isRecord);
  if (block.type === 'input' && isRecord(block.element)) return [block.element];
  return [];
}

/**
 * Slack also invents an `action_id` for elements sent without one; like block ids, it is derived
 * from the position so both sides agree.
 */
export function actionIdOf(element: Json, index: number): string {
  return typeof element.action_id === 'string' && element.action_id !== ''
    ? element.action_id
    : `action-${index}`;
}

export interface FoundElement {
  blockId: string;
  actionId: string;
  element: Json;
}

export function findElement(blocks: unknown, blockId: string, actionId: string): FoundElement | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const [index, block] of blocks.entries()) {
    if (blockIdOf(block, index) !== blockId) continue;
    const found = elementsOf(block).find((element, position) => actionIdOf(element, position) === actionId);
    if (found !== undefined) return { blockId, actionId, element: found };
  }
  return undefined;
}

/** The first element with this `action_id`, in whichever block it is. */
export function findElementByActionId(blocks: unknown, actionId: string): FoundElement | undefined {
  return interactiveElements(blocks).find((found) => found.actionId === actionId);
}

/** Every interactive element of a surface, in block order. */
export function interactiveElements(blocks: unknown): FoundElement[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block, index) =>
    elementsOf(block).map((element, position) => ({
      blockId: blockIdOf(block, index),
      actionId: actionIdOf(element, position),
      element,
    })),
  );
}

/** What the user did in an element: a typed value, one choice, or several. */
export interface Choice {
  value?: string | null;
  values?: string[];
}

export class ChoiceError extends Error {
  override readonly name = 'ChoiceError';
}

function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options.filter(isRecord) : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups
        .filter(isRecord)
        .flatMap((group) => (Array.isArray(group.options) ? group.options : []))
    : [];
  return [...direct, ...grouped.filter(isRecord)];
}

function pickOption(element: Json, value: string): Json {
  const option = optionsOf(element).find((candidate) => candidate.value === value);
  if (option === undefined) throw new ChoiceError(`"${value}" is not one of the element's options`);
  return option;
}

function oneValue(choice: Choice): string | null {
  return typeof choice.value === 'string' && choice.value !== '' ? choice.value : null;
}

function manyValues(choice: Choice): string[] {
  return Array.isArray(choice.values) ? choice.values : [];
}

/**
 * The element's entry in `state.values` (and the selection part of an action), as Slack shapes it
 * for each element type. Options are looked up in the element, never taken from the caller.
 */
export function stateValue(element: Json, choice: Choice): Json {
  const type = String(element.type);
  const one = oneValue(choice);
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: one };
    case 'rich_text_input':
      return {
        type,
        rich_text_value: {
          type: 'rich_text',
          elements:
            one === null ? [] : [{ type: 'rich_text_section', elements: [{ type: 'text', text: one }] }],
        },
      };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
    case 'overflow':
      return { type, selected_option: one === null ? null : pickOption(element, one) };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: manyValues(choice).map((value) => pickOption(element, value)) };
    case 'users_select':
      return { type, selected_user: one };
    case 'multi_users_select':
      return { type, selected_users: manyValues(choice) };
    case 'conversations_select':
      return { type, selected_conversation: one };
    case 'multi_conversations_select':
      return { type, selected_conversations: manyValues(choice) };
    case 'channels_select':
      return { type, selected_channel: one };
    case 'multi_channels_select':
      return { type, selected_channels: manyValues(choice) };
    case 'datepicker':
      return { type, selected_date: one };
    case 'timepicker':
      return { type, selected_time: one };
    case 'datetimepicker':
      return { type, selected_date_time: one === null ? null : Number(one) };
    default:
      throw new ChoiceError(`${type} elements cannot hold a value`);
  }
}

/** One entry of `actions` in a `block_actions` payload (without `action_ts`, which is stamped when sent). */
export function actionDetails(
  found: FoundElement,
  choice: Choice = {},
): Json & {
  action_id: string;
  block_id: string;
  type: string;
} {
  const { element } = found;
  const type = String(element.type);
  const base = { action_id: found.actionId, block_id: found.blockId, type };
  if (type === 'button' || type === 'workflow_button') {
    return {
      ...base,
      text: element.text,
      ...(typeof element.value === 'string' ? { value: element.value } : {}),
      ...(typeof element.style === 'string' ? { style: element.style } : {}),
      ...(typeof element.url === 'string' ? { url: element.url } : {}),
    };
  }
  return { ...base, ...stateValue(element, choice), type };
}
