import { SesError } from './ses-error';

/** An address as written in SES parameters: `alice@example.com` or `Alice <alice@example.com>`. */
export interface Mailbox {
  name: string | undefined;
  address: string;
}

/** SES's limit on To + Cc + Bcc for one message. */
export const MAX_RECIPIENTS = 50;

export function parseMailbox(text: string): Mailbox {
  const named = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(text);
  if (named !== null) {
    const name = (named[1] ?? '').replace(/^"(.*)"$/, '$1').trim();
    return { name: name === '' ? undefined : name, address: (named[2] ?? '').trim() };
  }
  return { name: undefined, address: text.trim() };
}

/** Checks an address as SES does, with SES's messages for the usual mistakes. */
export function requireValidMailbox(text: string): Mailbox {
  const mailbox = parseMailbox(text);
  const at = mailbox.address.lastIndexOf('@');
  if (at < 0) throw new SesError('InvalidParameterValue', "Missing final '@domain'");
  const local = mailbox.address.slice(0, at);
  const domain = mailbox.address.slice(at + 1);
  if (local === '' || domain === '' || /[\s<>()[\]\\,;:"]/.test(mailbox.address)) {
    throw new SesError('InvalidParameterValue', `Illegal address: ${mailbox.address}`);
  }
  if (!/^[A-Za-z0-9.-]+$/.test(domain) || domain.startsWith('.') || domain.endsWith('.')) {
    throw new SesError('InvalidParameterValue', 'Domain contains illegal character');
  }
  return mailbox;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
