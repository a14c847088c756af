import { describe, expect, it } from '@jest/globals';
import { mrkdwn } from '../../../../src/sandbox/browser/block-kit/mrkdwn';
import { type Child, h, textOf, toHtml, walk } from '../../../../src/sandbox/browser/block-kit/vnode';

const names = {
  userName: (id: string) => ({ U0APPROVER: 'Ana Approver' })[id] ?? id,
  channelName: (id: string) => ({ C0APPROVAL: 'approvals' })[id] ?? id,
};

const render = (text: string) => h('div', {}, ...mrkdwn(text, names));
const html = (text: string) => toHtml(render(text));
const tags = (node: Child) => [...walk(node)].map((element) => element.tag);

describe('mrkdwn', () => {
  it('formats bold, italic, strike and inline code', () => {
    expect(html('*bold* _italic_ ~gone~ `x < y`')).toBe(
      '<div><strong>bold</strong> <em>italic</em> <s>gone</s> <code>x &#60; y</code></div>',
    );
  });

  it('leaves markers inside words alone, as Slack does', () => {
    expect(tags(render('snake_case_name and 2*3*4'))).toEqual(['div']);
  });

  it('nests formatting', () => {
    expect(html('*bold and _italic_*')).toBe('<div><strong>bold and <em>italic</em></strong></div>');
  });

  it('shows HTML typed as text as that text, never as elements', () => {
    const node = render('<script>alert(1)</script> <img src=x onerror=alert(2)>');

    expect(tags(node)).toEqual(['div']);
    expect(textOf(node)).toBe('<script>alert(1)</script> <img src=x onerror=alert(2)>');
    expect(toHtml(node)).not.toMatch(/<(script|img)/);
  });

  it("decodes Slack's escapes into literal text", () => {
    const node = render('&lt;b&gt;not bold&lt;/b&gt; &amp;amp;');

    expect(tags(node)).toEqual(['div']);
    expect(textOf(node)).toBe('<b>not bold</b> &amp;');
  });

  it('makes web links into links that open a new tab without an opener', () => {
    expect(html('<https://example.com/a?b=1&amp;c=2|the docs>')).toBe(
      '<div><a href="https://example.com/a?b=1&#38;c=2" target="_blank" rel="noopener noreferrer">the docs</a></div>',
    );
  });

  it('refuses script and data URLs as links and shows them as text', () => {
    const node = render('<javascript:alert(1)|click me> <data:text/html,<b>x</b>|data>');

    expect(tags(node)).toEqual(['div']);
    expect(textOf(node)).toContain('<javascript:alert(1)|click me>');
  });

  it('names the people and channels mentions point to', () => {
    expect(textOf(render('<@U0APPROVER> in <#C0APPROVAL> and <#C0OTHER|general>, <!here>'))).toBe(
      '@Ana Approver in #approvals and #general, @here',
    );
  });

  it('turns quote lines, escaped or not, into one blockquote', () => {
    expect(html('intro\n> first\n&gt; second\nafter')).toBe(
      '<div>intro<blockquote>first<br>second</blockquote>after</div>',
    );
  });

  it('keeps code blocks verbatim', () => {
    expect(html('before\n```*not bold* <@U0APPROVER>```\nafter')).toBe(
      '<div>before<pre class="bk-pre">*not bold* &#60;@U0APPROVER&#62;</pre>after</div>',
    );
  });

  it('shows known emoji codes and leaves unknown ones as typed', () => {
    expect(textOf(render(':white_check_mark: done :not_an_emoji:'))).toBe('✅ done :not_an_emoji:');
  });

  it('breaks lines where the text does', () => {
    expect(html('one\ntwo')).toBe('<div>one<br>two</div>');
  });
});
