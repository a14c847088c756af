import { describe, expect, it } from '@jest/globals';
import {
  clientMessageText,
  connectedText,
  disconnectedText,
  escapeSlackText,
  notDeliveredText,
  unescapeSlackText,
} from '../../../app/websocket/mirror-text';

describe('the mirror’s Slack text', () => {
  it('escapes &, < and > so mentions and links stay text', () => {
    expect(escapeSlackText('<!channel> <!here|here> <@U0ANA> <#C0GENERAL> <https://x.test|x> a&b')).toBe(
      '&lt;!channel&gt; &lt;!here|here&gt; &lt;@U0ANA&gt; &lt;#C0GENERAL&gt; &lt;https://x.test|x&gt; a&amp;b',
    );
  });

  it('escapes an already escaped entity again, so it shows as typed', () => {
    expect(escapeSlackText('&lt;!channel&gt;')).toBe('&amp;lt;!channel&amp;gt;');
    expect(unescapeSlackText(escapeSlackText('&lt;!channel&gt; <b> & co'))).toBe('&lt;!channel&gt; <b> & co');
  });

  it('shows a client message as its subject’s words, both escaped', () => {
    expect(clientMessageText('bob', 'hi <@U0ANA> & all')).toBe('*bob*: hi &lt;@U0ANA&gt; &amp; all');
  });

  it('shows lone UTF-16 surrogates as U+FFFD and keeps well-formed pairs', () => {
    expect(clientMessageText('bob', 'half an emoji \ud83d')).toBe('*bob*: half an emoji \uFFFD');
    expect(clientMessageText('bob', 'a\udc00b \ud83d\ude00')).toBe('*bob*: a\uFFFDb \ud83d\ude00');
    expect(clientMessageText('b\ud800', 'x')).toBe('*b\uFFFD*: x');
  });

  it('never cuts a surrogate pair in half when it shortens a close reason', () => {
    const text = disconnectedText('bob', {
      statusCode: 1000,
      reason: `${'x'.repeat(121)}😀😀😀`,
      connectedForMs: 0,
    });
    expect(text).toContain(`${'x'.repeat(121)}😀…`);
    expect(text).not.toMatch(/\p{Surrogate}/u);
  });

  it('announces a connection with its id, address and shortened user agent, escaped', () => {
    const text = connectedText({
      connectionId: 'abc123=',
      subject: 'alice',
      sourceIp: '203.0.113.7',
      userAgent: `<!here> ${'x'.repeat(300)}`,
    });
    expect(text).toContain('*alice* connected over WebSocket.');
    expect(text).toContain('Connection `abc123=` from 203.0.113.7, user agent: &lt;!here&gt; xxx');
    expect(text).toContain('…\nReply in this thread');
    expect(text).not.toMatch(/<!/);
  });

  it('notes a disconnection with its code, the client’s reason escaped, and how long it lasted', () => {
    expect(
      disconnectedText('alice', { statusCode: 1000, reason: '<!channel> bye', connectedForMs: 125_000 }),
    ).toBe(':wave: *alice* disconnected (1000 &lt;!channel&gt; bye) after 2 min.');
    expect(disconnectedText('alice', { connectedForMs: 7_500_000 })).toBe(
      ':wave: *alice* disconnected after 2 h 5 min.',
    );
  });

  it('says a reply was not delivered, naming the subject when known', () => {
    expect(notDeliveredText('alice')).toBe(':warning: Not delivered: *alice* is no longer connected.');
    expect(notDeliveredText(undefined)).toBe(':warning: Not delivered: this client is no longer connected.');
  });
});
