import { randomBytes } from 'node:crypto';
import { type Mailbox, parseMailbox } from './mailbox';

export interface MimeInput {
  messageId: string;
  source: string;
  to: ReadonlyArray<string>;
  cc: ReadonlyArray<string>;
  replyTo: ReadonlyArray<string>;
  subject: string;
  text: string | undefined;
  html: string | undefined;
  date: Date;
}

const CRLF = '\r\n';
/** RFC 2047: an encoded word may not exceed 75 characters; 45 bytes of base64 input stays inside it. */
const ENCODED_WORD_BYTES = 45;
/** RFC 2045: quoted-printable lines stay within 76 characters, the soft break `=` included. */
const QP_LINE = 75;

function needsEncoding(text: string): boolean {
  return /[^\x20-\x7e]/.test(text);
}

/** UTF-8 `=?UTF-8?B?…?=` words, split on character boundaries and folded onto continuation lines. */
export function encodeHeaderText(text: string): string {
  if (!needsEncoding(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > ENCODED_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

function formatMailbox(mailbox: Mailbox): string {
  if (mailbox.name === undefined) return mailbox.address;
  const name = needsEncoding(mailbox.name)
    ? encodeHeaderText(mailbox.name)
    : /[()<>@,;:\\".[\]]/.test(mailbox.name)
      ? `"${mailbox.name.replace(/["\\]/g, '\\$&')}"`
      : mailbox.name;
  return `${name} <${mailbox.address}>`;
}

function addressHeader(name: string, addresses: ReadonlyArray<string>): string[] {
  if (addresses.length === 0) return [];
  return [`${name}: ${addresses.map((address) => formatMailbox(parseMailbox(address))).join(`,${CRLF} `)}`];
}

function encodeQuotedPrintableLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  const tokens = [...bytes].map((byte, index) => {
    const printable = byte >= 33 && byte <= 126 && byte !== 61;
    // Trailing whitespace would be stripped in transit, so only inner spaces and tabs stay literal.
    const innerSpace = (byte === 32 || byte === 9) && index < bytes.length - 1;
    return printable || innerSpace
      ? String.fromCharCode(byte)
      : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  });
  const lines: string[] = [];
  let current = '';
  for (const token of tokens) {
    if (current.length + token.length > QP_LINE) {
      lines.push(`${current}=`);
      current = '';
    }
    current += token;
  }
  lines.push(current);
  return lines.join(CRLF);
}

export function encodeQuotedPrintable(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(encodeQuotedPrintableLine)
    .join(CRLF);
}

function rfc5322Date(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

function textPart(subtype: 'plain' | 'html', body: string): string[] {
  return [
    `Content-Type: text/${subtype}; charset=UTF-8`,
    'Content-Transfer-Encoding: quoted-printable',
    '',
    encodeQuotedPrintable(body),
  ];
}

/**
 * Composes the `.eml` SES would send for a `SendEmail` call: the sender, the visible recipients (never
 * Bcc), a UTF-8 subject, and the body as `multipart/alternative` when it has both text and HTML.
 */
export function composeMime(input: MimeInput): string {
  const headers = [
    ...addressHeader('From', [input.source]),
    ...addressHeader('Reply-To', input.replyTo),
    ...addressHeader('To', input.to),
    ...addressHeader('Cc', input.cc),
    `Subject: ${encodeHeaderText(input.subject)}`,
    `Message-ID: <${input.messageId}@email.amazonses.com>`,
    `Date: ${rfc5322Date(input.date)}`,
    'MIME-Version: 1.0',
  ];
  let body: string[];
  if (input.text !== undefined && input.html !== undefined) {
    const boundary = `----=_Part_${randomBytes(12).toString('hex')}`;
    body = [
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      ...textPart('plain', input.text),
      `--${boundary}`,
      ...textPart('html', input.html),
      `--${boundary}--`,
      '',
    ];
  } else if (input.html !== undefined) {
    body = textPart('html', input.html);
  } else {
    body = textPart('plain', input.text ?? '');
  }
  return [...headers, ...body].join(CRLF);
}
