import { problemAt } from './slack-api-error';

/** Where blocks are shown: Slack allows 50 in a message and 100 in a modal or a Home tab. */
export type BlockSurface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<BlockSurface, number> = { message: 50, modal: 100, home: 100 };

const SELECTS = [
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
];
const PICKERS = ['checkboxes', 'radio_buttons', 'datepicker', 'timepicker'];
const ACTIONS_ELEMENTS = new Set([
  'button',
  'overflow',
  'datetimepicker',
  'workflow_button',
  ...SELECTS,
  ...PICKERS,
]);
const ACCESSORY_ELEMENTS = new Set([
  'button',
  'overflow',
  'image',
  'workflow_button',
  ...SELECTS,
  ...PICKERS,
]);
const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'file_input',
  'datetimepicker',
  ...SELECTS,
  ...PICKERS,
]);
const RICH_TEXT_CONTAINERS = new Set([
  'rich_text_section',
  'rich_text_list',
  'rich_text_preformatted',
  'rich_text_quote',
]);
const STYLES = new Set(['primary', 'danger']);

type Json = Record<string, unknown>;

interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
}

interface TextRule {
  max: number;
  plainOnly?: boolean;
  required?: boolean;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack counts characters, not UTF-16 code units. */
function characterCount(value: string): number {
  return [...value].length;
}

/**
 * Checks Block Kit the way Slack's API does before it stores a message or opens a modal: known
 * block and element types, required fields, length and count limits, unique ids. It is structural
 * (it does not render), and it returns every problem in Slack's `[ERROR] … [json-pointer:…]` form.
 */
export function validateBlocks(blocks: unknown, surface: BlockSurface, pointer = '/blocks'): string[] {
  const checker = new BlockKitChecker(surface);
  checker.blocks(blocks, pointer);
  return checker.problems;
}

class BlockKitChecker {
  readonly problems: string[] = [];
  private readonly actionIds = new Set<string>();
  private readonly blockIds = new Set<string>();

  constructor(private readonly surface: BlockSurface) {}

  blocks(value: unknown, pointer: string): void {
    if (!Array.isArray(value)) {
      this.report(pointer, 'must provide an array');
      return;
    }
    const max = MAX_BLOCKS[this.surface];
    if (value.length > max) this.report(pointer, `no more than ${max} items allowed`);
    value.forEach((block, index) => {
      this.block(block, `${pointer}/${index}`);
    });
  }

  private report(pointer: string, reason: string): void {
    this.problems.push(problemAt(pointer, reason));
  }

  private block(block: unknown, pointer: string): void {
    if (!isRecord(block)) {
      this.report(pointer, 'must provide an object');
      return;
    }
    if (typeof block.type !== 'string') {
      this.report(pointer, 'missing required field: type');
      return;
    }
    const blockId = this.string(block, 'block_id', pointer, { max: 255 });
    if (blockId !== undefined) {
      if (this.blockIds.has(blockId)) this.report(`${pointer}/block_id`, `duplicate block_id: ${blockId}`);
      this.blockIds.add(blockId);
    }
    switch (block.type) {
      case 'header':
        this.text(block, 'text', pointer, { max: 150, plainOnly: true, required: true });
        return;
      case 'section':
        this.section(block, pointer);
        return;
      case 'divider':
        return;
      case 'context':
        this.context(block, pointer);
        return;
      case 'actions': {
        const elements = this.array(block, 'elements', pointer, { required: true, min: 1, max: 25 });
        elements?.forEach((element, index) => {
          this.element(element, `${pointer}/elements/${index}`, ACTIONS_ELEMENTS, 'an actions block');
        });
        return;
      }
      case 'image':
        this.image(block, pointer);
        this.text(block, 'title', pointer, { max: 2000, plainOnly: true });
        return;
      case 'input':
        this.input(block, pointer);
        return;
      case 'rich_text':
        this.richText(block, pointer);
        return;
      case 'markdown':
        this.string(block, 'text', pointer, { required: true, min: 1, max: 12000 });
        return;
      default:
        this.report(`${pointer}/type`, `unsupported block type: ${block.type}`);
    }
  }

  private section(block: Json, pointer: string): void {
    if (block.text === undefined && block.fields === undefined) {
      this.report(pointer, 'must provide one of: text, fields');
    }
    this.text(block, 'text', pointer, { max: 3000 });
    const fields = this.array(block, 'fields', pointer, { min: 1, max: 10 });
    fields?.forEach((field, index) => {
      this.textObject(field, `${pointer}/fields/${index}`, { max: 2000 });
    });
    if (block.accessory !== undefined) {
      this.element(block.accessory, `${pointer}/accessory`, ACCESSORY_ELEMENTS, 'a section accessory');
    }
  }

  private context(block: Json, pointer: string): void {
    const elements = this.array(block, 'elements', pointer, { required: true, min: 1, max: 10 });
    elements?.forEach((element, index) => {
      const at = `${pointer}/elements/${index}`;
      if (isRecord(element) && element.type === 'image') this.image(element, at);
      else this.textObject(element, at, { max: 3000 });
    });
  }

  private input(block: Json, pointer: string): void {
    this.text(block, 'label', pointer, { max: 2000, plainOnly: true, required: true });
    this.text(block, 'hint', pointer, { max: 2000, plainOnly: true });
    this.boolean(block, 'optional', pointer);
    this.boolean(block, 'dispatch_action', pointer);
    if (block.element === undefined) this.report(pointer, 'missing required field: element');
    else this.element(block.element, `${pointer}/element`, INPUT_ELEMENTS, 'an input block');
  }

  private richText(block: Json, pointer: string): void {
    const elements = this.array(block, 'elements', pointer, { required: true });
    elements?.forEach((element, index) => {
      const at = `${pointer}/elements/${index}`;
      if (!isRecord(element) || typeof element.type !== 'string') {
        this.report(at, 'missing required field: type');
      } else if (!RICH_TEXT_CONTAINERS.has(element.type)) {
        this.report(`${at}/type`, `unsupported rich text element: ${element.type}`);
      } else {
        this.array(element, 'elements', at, { required: true });
      }
    });
  }

  private image(value: Json, pointer: string): void {
    if (value.image_url === undefined && value.slack_file === undefined) {
      this.report(pointer, 'must provide one of: image_url, slack_file');
    }
    this.string(value, 'image_url', pointer, { min: 1, max: 3000 });
    this.string(value, 'alt_text', pointer, { required: true, min: 1, max: 2000 });
  }

  private element(value: unknown, pointer: string, allowed: ReadonlySet<string>, where: string): void {
    if (!isRecord(value)) {
      this.report(pointer, 'must provide an object');
      return;
    }
    if (typeof value.type !== 'string') {
      this.report(pointer, 'missing required field: type');
      return;
    }
    if (!allowed.has(value.type)) {
      this.report(`${pointer}/type`, `${value.type} is not a valid element in ${where}`);
      return;
    }
    if (value.type === 'image') {
      this.image(value, pointer);
      return;
    }
    const actionId = this.string(value, 'action_id', pointer, { min: 1, max: 255 });
    if (actionId !== undefined) {
      if (this.actionIds.has(actionId)) {
        this.report(
          `${pointer}/action_id`,
          `duplicate action_id: ${actionId} (must be unique in the ${this.surface})`,
        );
      }
      this.actionIds.add(actionId);
    }
    if (value.confirm !== undefined) this.confirm(value.confirm, `${pointer}/confirm`);
    this.text(value, 'placeholder', pointer, { max: 150, plainOnly: true });
    this.elementDetails(value, pointer, value.type);
  }

  private elementDetails(value: Json, pointer: string, type: string): void {
    switch (type) {
      case 'button':
        this.text(value, 'text', pointer, { max: 75, plainOnly: true, required: true });
        this.string(value, 'value', pointer, { max: 2000 });
        this.string(value, 'url', pointer, { max: 3000 });
        this.string(value, 'accessibility_label', pointer, { max: 75 });
        this.style(value, pointer);
        return;
      case 'workflow_button':
        this.text(value, 'text', pointer, { max: 75, plainOnly: true, required: true });
        if (!isRecord(value.workflow)) this.report(pointer, 'missing required field: workflow');
        this.style(value, pointer);
        return;
      case 'overflow':
        this.options(value, 'options', pointer, { min: 1, max: 5, required: true });
        return;
      case 'checkboxes':
      case 'radio_buttons':
        this.options(value, 'options', pointer, { min: 1, max: 10, required: true }, true);
        return;
      case 'static_select':
      case 'multi_static_select':
        if (value.options === undefined && value.option_groups === undefined) {
          this.report(pointer, 'must provide one of: options, option_groups');
        }
        this.options(value, 'options', pointer, { min: 1, max: 100 });
        this.optionGroups(value, pointer);
        return;
      case 'datepicker':
        this.pattern(value, 'initial_date', pointer, /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
        return;
      case 'timepicker':
        this.pattern(value, 'initial_time', pointer, /^\d{2}:\d{2}$/, 'HH:mm');
        return;
      case 'plain_text_input':
        this.string(value, 'initial_value', pointer, {});
        this.boolean(value, 'multiline', pointer);
        this.range(value, 'min_length', pointer, 0, 3000);
        this.range(value, 'max_length', pointer, 1, 3000);
        return;
      case 'number_input':
        if (typeof value.is_decimal_allowed !== 'boolean') {
          this.report(pointer, 'missing required field: is_decimal_allowed');
        }
        return;
      default:
    }
  }

  private confirm(value: unknown, pointer: string): void {
    if (!isRecord(value)) {
      this.report(pointer, 'must provide an object');
      return;
    }
    this.text(value, 'title', pointer, { max: 100, plainOnly: true, required: true });
    this.text(value, 'text', pointer, { max: 300, required: true });
    this.text(value, 'confirm', pointer, { max: 30, plainOnly: true, required: true });
    this.text(value, 'deny', pointer, { max: 30, plainOnly: true, required: true });
    this.style(value, pointer);
  }

  private options(owner: Json, key: string, pointer: string, rule: StringRule, mrkdwnAllowed = false): void {
    const options = this.array(owner, key, pointer, rule);
    const values = new Set<string>();
    options?.forEach((option, index) => {
      const at = `${pointer}/${key}/${index}`;
      if (!isRecord(option)) {
        this.report(at, 'must provide an object');
        return;
      }
      this.text(option, 'text', at, { max: 75, plainOnly: !mrkdwnAllowed, required: true });
      const value = this.string(option, 'value', at, { required: true, min: 1, max: 150 });
      if (value !== undefined && values.has(value))
        this.report(`${at}/value`, `duplicate option value: ${value}`);
      if (value !== undefined) values.add(value);
      this.text(option, 'description', at, { max: 75, plainOnly: !mrkdwnAllowed });
      this.string(option, 'url', at, { max: 3000 });
    });
  }

  private optionGroups(owner: Json, pointer: string): void {
    const groups = this.array(owner, 'option_groups', pointer, { min: 1, max: 100 });
    groups?.forEach((group, index) => {
      const at = `${pointer}/option_groups/${index}`;
      if (!isRecord(group)) {
        this.report(at, 'must provide an object');
        return;
      }
      this.text(group, 'label', at, { max: 75, plainOnly: true, required: true });
      this.options(group, 'options', at, { required: true, min: 1, max: 100 });
    });
  }

  private style(owner: Json, pointer: string): void {
    if (owner.style !== undefined && !(typeof owner.style === 'string' && STYLES.has(owner.style))) {
      this.report(`${pointer}/style`, 'must be one of: primary, danger');
    }
  }

  /** A text object held under `key` of `owner`. */
  private text(owner: Json, key: string, pointer: string, rule: TextRule): void {
    if (owner[key] === undefined) {
      if (rule.required) this.report(pointer, `missing required field: ${key}`);
      return;
    }
    this.textObject(owner[key], `${pointer}/${key}`, rule);
  }

  private textObject(value: unknown, pointer: string, rule: TextRule): void {
    if (!isRecord(value)) {
      this.report(pointer, 'must provide a text object');
      return;
    }
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') {
      this.report(`${pointer}/type`, 'must be one of: plain_text, mrkdwn');
      return;
    }
    if (rule.plainOnly && value.type !== 'plain_text') {
      this.report(`${pointer}/type`, 'must be plain_text');
      return;
    }
    this.string(value, 'text', pointer, { required: true, min: 1, max: rule.max });
    if (value.emoji !== undefined && value.type !== 'plain_text') {
      this.report(`${pointer}/emoji`, 'is only allowed on plain_text');
    }
  }

  private string(owner: Json, key: string, pointer: string, rule: StringRule): string | undefined {
    const value = owner[key];
    if (value === undefined) {
      if (rule.required) this.report(pointer, `missing required field: ${key}`);
      return undefined;
    }
    const at = `${pointer}/${key}`;
    if (typeof value !== 'string') {
      this.report(at, 'must be a string');
      return undefined;
    }
    const length = characterCount(value);
    if (rule.min !== undefined && length < rule.min)
      this.report(at, `must be more than ${rule.min - 1} characters`);
    if (rule.max !== undefined && length > rule.max)
      this.report(at, `must be less than ${rule.max + 1} characters`);
    return value;
  }

  private array(owner: Json, key: string, pointer: string, rule: StringRule): unknown[] | undefined {
    const value = owner[key];
    if (value === undefined) {
      if (rule.required) this.report(pointer, `missing required field: ${key}`);
      return undefined;
    }
    const at = `${pointer}/${key}`;
    if (!Array.isArray(value)) {
      this.report(at, 'must provide an array');
      return undefined;
    }
    if (rule.min !== undefined && value.length < rule.min)
      this.report(at, `must provide at least ${rule.min} items`);
    if (rule.max !== undefined && value.length > rule.max)
      this.report(at, `no more than ${rule.max} items allowed`);
    return value;
  }

  private boolean(owner: Json, key: string, pointer: string): void {
    if (owner[key] !== undefined && typeof owner[key] !== 'boolean')
      this.report(`${pointer}/${key}`, 'must be a boolean');
  }

  private range(owner: Json, key: string, pointer: string, min: number, max: number): void {
    const value = owner[key];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.report(`${pointer}/${key}`, `must be an integer from ${min} to ${max}`);
    }
  }

  private pattern(owner: Json, key: string, pointer: string, pattern: RegExp, shape: string): void {
    const value = owner[key];
    if (value !== undefined && !(typeof value === 'string' && pattern.test(value))) {
      this.report(`${pointer}/${key}`, `must be formatted as ${shape}`);
    }
  }
}
