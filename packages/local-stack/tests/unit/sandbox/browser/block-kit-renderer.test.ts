import { describe, expect, it } from '@jest/globals';
import { renderBlocks, renderMessageContent } from '../../../../src/sandbox/browser/block-kit/render-blocks';
import type { ElementUse, RenderContext } from '../../../../src/sandbox/browser/block-kit/render-context';
import { h, textOf, toHtml, type VNode, walk } from '../../../../src/sandbox/browser/block-kit/vnode';

function context(
  overrides: Partial<RenderContext> = {},
): RenderContext & { used: ElementUse[]; registered: string[] } {
  const used: ElementUse[] = [];
  const registered: string[] = [];
  return {
    surface: 'message',
    idPrefix: 'm1',
    userName: (id) => ({ U0REQUESTR: 'Rita Requester' })[id] ?? id,
    channelName: (id) => id,
    act: (use) => used.push(use),
    inputs: { register: (blockId, actionId) => registered.push(`${blockId}/${actionId}`) },
    errors: {},
    people: [{ value: 'U0APPROVER', label: 'Ana Approver' }],
    conversations: [{ value: 'C0APPROVAL', label: '#approvals' }],
    used,
    registered,
    ...overrides,
  };
}

const tree = (blocks: unknown[], ctx: RenderContext = context()) =>
  h('div', {}, ...renderBlocks(blocks, ctx));
const find = (node: VNode, predicate: (element: VNode) => boolean) => [...walk(node)].filter(predicate);
const byTag = (node: VNode, tag: string) => find(node, (element) => element.tag === tag);
const click = (node: VNode) => node.on.click?.({} as Event);

const approve = {
  type: 'button',
  action_id: 'approval_approve',
  style: 'primary',
  text: { type: 'plain_text', text: 'Approve' },
  value: 'GL-1',
};
const reject = {
  type: 'button',
  action_id: 'approval_reject',
  style: 'danger',
  text: { type: 'plain_text', text: 'Reject' },
  value: 'GL-1',
  confirm: {
    title: { type: 'plain_text', text: 'Sure?' },
    text: { type: 'mrkdwn', text: 'Really' },
    confirm: { type: 'plain_text', text: 'Yes' },
    deny: { type: 'plain_text', text: 'No' },
  },
};

describe('the Block Kit renderer', () => {
  it('renders a header as a heading of plain text, markup included as text', () => {
    const node = tree([{ type: 'header', text: { type: 'plain_text', text: '<b>Deploy</b> :rocket:' } }]);

    expect(toHtml(node)).toBe('<div><h3 class="bk-header">&#60;b&#62;Deploy&#60;/b&#62; 🚀</h3></div>');
  });

  it('renders a section with mrkdwn text, fields and an accessory button', () => {
    const node = tree([
      {
        type: 'section',
        block_id: 'summary',
        text: { type: 'mrkdwn', text: '*Deploy* by <@U0REQUESTR>' },
        fields: [
          { type: 'mrkdwn', text: '*Request*\nGL-1' },
          { type: 'plain_text', text: 'Priority: high' },
        ],
        accessory: approve,
      },
    ]);

    expect(textOf(byTag(node, 'strong')[0] as VNode)).toBe('Deploy');
    expect(find(node, (element) => element.attrs.class === 'bk-field').map(textOf)).toEqual([
      'Request\nGL-1',
      'Priority: high',
    ]);
    expect(textOf(node)).toContain('@Rita Requester');
    expect(byTag(node, 'button').map((button) => button.attrs['data-action-id'])).toEqual([
      'approval_approve',
    ]);
  });

  it('styles primary and danger buttons and reports the clicked element with its block', () => {
    const ctx = context();
    const node = tree([{ type: 'actions', block_id: 'decision', elements: [approve, reject] }], ctx);
    const [approveButton, rejectButton] = byTag(node, 'button') as [VNode, VNode];

    click(approveButton);
    click(rejectButton);

    expect(approveButton.attrs.class).toBe('bk-button bk-button-primary');
    expect(rejectButton.attrs.class).toBe('bk-button bk-button-danger');
    expect(ctx.used.map((use) => [use.blockId, use.actionId])).toEqual([
      ['decision', 'approval_approve'],
      ['decision', 'approval_reject'],
    ]);
    // The confirm object travels with the click, so the page asks before anything is sent.
    expect(ctx.used[1]?.element.confirm).toEqual(reject.confirm);
  });

  it('gives blocks and elements without ids the ids Slack derives from their position', () => {
    const ctx = context();
    const node = tree(
      [{ type: 'divider' }, { type: 'actions', elements: [{ ...approve, action_id: undefined }] }],
      ctx,
    );

    click(byTag(node, 'button')[0] as VNode);

    expect(ctx.used.map((use) => [use.blockId, use.actionId])).toEqual([['block-1', 'action-0']]);
  });

  it('opens only web URLs from link buttons', () => {
    const node = tree([
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'docs',
            text: { type: 'plain_text', text: 'Docs' },
            url: 'https://example.com',
          },
          {
            type: 'button',
            action_id: 'evil',
            text: { type: 'plain_text', text: 'Evil' },
            url: 'javascript:alert(1)',
          },
        ],
      },
    ]);

    expect(byTag(node, 'a').map((link) => [link.attrs.href, link.attrs.rel])).toEqual([
      ['https://example.com/', 'noopener noreferrer'],
    ]);
    expect(byTag(node, 'button').map(textOf)).toEqual(['Evil']);
  });

  it('renders context, dividers and images with their alt text, and drops image URLs that are not images', () => {
    const node = tree([
      {
        type: 'context',
        elements: [
          { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'avatar' },
          { type: 'mrkdwn', text: 'Waiting' },
        ],
      },
      { type: 'divider' },
      {
        type: 'image',
        image_url: 'https://example.com/chart.png',
        alt_text: 'Chart',
        title: { type: 'plain_text', text: 'Q3' },
      },
      { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'bad' },
      { type: 'image', image_url: 'data:text/html,<script>alert(1)</script>', alt_text: 'bad' },
    ]);

    expect(byTag(node, 'img').map((image) => [image.attrs.src, image.attrs.alt])).toEqual([
      ['https://example.com/a.png', 'avatar'],
      ['https://example.com/chart.png', 'Chart'],
    ]);
    expect(byTag(node, 'hr')).toHaveLength(1);
    expect(textOf(byTag(node, 'figcaption')[0] as VNode)).toBe('Q3');
  });

  it("labels a modal's inputs, marks the optional ones and shows an error under its input", () => {
    const ctx = context({ surface: 'modal', errors: { title: 'Too short' } });
    const node = tree(
      [
        {
          type: 'input',
          block_id: 'title',
          label: { type: 'plain_text', text: 'Title' },
          hint: { type: 'plain_text', text: 'Three characters or more' },
          element: { type: 'plain_text_input', action_id: 'title_input' },
        },
        {
          type: 'input',
          block_id: 'notes',
          optional: true,
          label: { type: 'plain_text', text: 'Notes' },
          element: { type: 'plain_text_input', action_id: 'notes_input', multiline: true },
        },
        {
          type: 'input',
          block_id: 'who',
          label: { type: 'plain_text', text: 'Approver' },
          element: { type: 'users_select', action_id: 'who_select' },
        },
      ],
      ctx,
    );
    const [title] = byTag(node, 'input') as [VNode];
    const labels = byTag(node, 'label');

    expect(labels.map((label) => [label.attrs.for, textOf(label)])).toEqual([
      [title.attrs.id, 'Title'],
      ['m1-notes-notes_input', 'Notes (optional)'],
      ['m1-who-who_select', 'Approver'],
    ]);
    expect(title.attrs).toMatchObject({ required: true, 'aria-invalid': 'true' });
    expect(String(title.attrs['aria-describedby']).split(' ')).toEqual(['m1-title-hint', 'm1-title-error']);
    expect(find(node, (element) => element.attrs.id === 'm1-title-error').map(textOf)).toEqual(['Too short']);
    expect(byTag(node, 'textarea')[0]?.attrs.required).toBe(false);
    expect(byTag(node, 'option').map(textOf)).toEqual(['Choose…', 'Ana Approver']);
    expect(ctx.registered).toEqual(['title/title_input', 'notes/notes_input', 'who/who_select']);
  });

  it('names a select in a message by its placeholder, as it has no label', () => {
    const node = tree([
      {
        type: 'actions',
        elements: [
          {
            type: 'static_select',
            action_id: 'pick',
            placeholder: { type: 'plain_text', text: 'Pick a size' },
            options: [{ text: { type: 'plain_text', text: 'Large' }, value: 'l' }],
          },
        ],
      },
    ]);

    expect(byTag(node, 'select')[0]?.attrs['aria-label']).toBe('Pick a size');
  });

  it('groups checkboxes under a legend named by the input label', () => {
    const node = tree(
      [
        {
          type: 'input',
          block_id: 'notify',
          label: { type: 'plain_text', text: 'Tell' },
          element: {
            type: 'checkboxes',
            action_id: 'notify_pick',
            options: [
              { text: { type: 'plain_text', text: 'E-mail' }, value: 'email' },
              { text: { type: 'mrkdwn', text: '*Slack*' }, value: 'slack' },
            ],
          },
        },
      ],
      context({ surface: 'modal' }),
    );

    expect(textOf(byTag(node, 'legend')[0] as VNode)).toBe('Tell');
    expect(byTag(node, 'label').map((label) => [label.attrs.for, textOf(label)])).toEqual([
      ['m1-notify-notify_pick-0', 'E-mail'],
      ['m1-notify-notify_pick-1', 'Slack'],
    ]);
  });

  it('keeps ids built from block ids free of markup', () => {
    const node = tree([
      {
        type: 'input',
        block_id: '"><script>alert(1)</script>',
        label: { type: 'plain_text', text: 'Title' },
        element: { type: 'plain_text_input', action_id: 'x' },
      },
    ]);

    expect(toHtml(node)).not.toContain('<script');
    expect(byTag(node, 'input')[0]?.attrs.id).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('names a block type it cannot show instead of dropping it', () => {
    expect(textOf(tree([{ type: 'video' }]))).toBe('[video block is not shown in the sandbox]');
  });

  it('shows a message without blocks from its text, as mrkdwn', () => {
    const node = h('div', {}, ...renderMessageContent({ text: 'Hello *there* &lt;you&gt;' }, context()));

    expect(toHtml(node)).toBe(
      '<div><div class="bk-text">Hello <strong>there</strong> &#60;you&#62;</div></div>',
    );
  });

  it('renders rich text as people type it, without interpreting markup', () => {
    const node = tree([
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: '<i>hi</i> ', style: { bold: true } },
              { type: 'link', url: 'javascript:alert(1)', text: 'x' },
              { type: 'user', user_id: 'U0REQUESTR' },
            ],
          },
        ],
      },
    ]);

    expect(toHtml(node)).toBe(
      '<div><div class="bk-rich-text"><span><strong>&#60;i&#62;hi&#60;/i&#62; </strong>x<span class="bk-mention">@Rita Requester</span></span></div></div>',
    );
  });
});
