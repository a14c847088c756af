import { describe, expect, it } from '@jest/globals';
import { EMAIL_DOCUMENT_POLICY, emailDocument, emailLinks } from '../../../src/sandbox/email-view';
import type { OutboxMessage } from '../../../src/ses';

function message(parts: { html?: string; text?: string }): OutboxMessage {
  return {
    messageId: 'm-1',
    source: 'greenlight@greenlight.test',
    to: ['ana@greenlight.test'],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: 'Approval requested',
    raw: '',
    sentAt: '2026-11-22T12:00:00.000Z',
    ...parts,
  };
}

describe('an e-mail as the outbox shows it', () => {
  it('lists its web links once each, with their labels, and leaves other schemes out', () => {
    const links = emailLinks(
      '<p><a href="https://x.test/approve?id=1&amp;t=2">Approve <b>GL-1</b></a> <a href=\'javascript:alert(1)\'>x</a> <a href="mailto:a@b.test">mail</a></p>',
      'Approve: https://x.test/approve?id=1&t=2\nReject: https://x.test/reject?id=1.',
    );

    expect(links).toEqual([
      { href: 'https://x.test/approve?id=1&t=2', label: 'Approve GL-1' },
      { href: 'https://x.test/reject?id=1', label: 'https://x.test/reject?id=1' },
    ]);
  });

  it('opens every link of an HTML message in a new tab', () => {
    const document = emailDocument(
      message({
        html: '<html><head><title>x</title></head><body><a href="https://x.test">x</a></body></html>',
      }),
    );

    expect(document).toBe(
      '<html><head><base target="_blank"><title>x</title></head><body><a href="https://x.test">x</a></body></html>',
    );
  });

  it('shows a text-only message as text, with its links clickable and its markup escaped', () => {
    const document = emailDocument(
      message({ text: 'Hi <script>alert(1)</script>\nhttps://x.test/a?b=1&c=2' }),
    );

    expect(document).toContain('Hi &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(document).toContain('<a href="https://x.test/a?b=1&#38;c=2">https://x.test/a?b=1&#38;c=2</a>');
    expect(document).not.toContain('<script>');
  });

  it('is served under a policy that runs no script and submits no form', () => {
    expect(EMAIL_DOCUMENT_POLICY).toContain("default-src 'none'");
    expect(EMAIL_DOCUMENT_POLICY).toContain("form-action 'none'");
    expect(EMAIL_DOCUMENT_POLICY).toContain('sandbox allow-popups allow-popups-to-escape-sandbox');
    expect(EMAIL_DOCUMENT_POLICY).not.toMatch(/script-src|allow-scripts|allow-same-origin/);
  });
});
