import { randomUUID } from 'node:crypto';
import { type AddressObject, simpleParser } from 'mailparser';
import type { IdentityPolicy } from './identity-policy';
import { MAX_RECIPIENTS, requireValidMailbox } from './mailbox';
import { composeMime } from './mime-message';
import type { QueryParams } from './query-protocol';
import { missingMembers, SesError } from './ses-error';
import type { OutboxMessage } from './types';

/** SES refuses messages larger than 10 MB. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface SendContext {
  policy: IdentityPolicy;
  region: string;
  now: Date;
}

/** Ids shaped like SES's: `0100` + hex milliseconds, a UUID, and `-000000`. */
export function newMessageId(now: Date): string {
  const millis = now.getTime().toString(16).padStart(12, '0');
  return `0100${millis}-${randomUUID()}-000000`;
}

function requireRecipients(recipients: ReadonlyArray<string>): void {
  if (recipients.length === 0) {
    throw new SesError(
      'InvalidParameterValue',
      'Missing recipients: the message needs at least one To, Cc or Bcc address.',
    );
  }
  if (recipients.length > MAX_RECIPIENTS)
    throw new SesError('InvalidParameterValue', `Recipient count exceeds ${MAX_RECIPIENTS}.`);
  for (const recipient of recipients) requireValidMailbox(recipient);
}

function bare(addresses: ReadonlyArray<string>): string[] {
  return addresses.map((address) => requireValidMailbox(address).address);
}

/** `SendEmail`: SES builds the MIME message from its parts. */
export function sendEmail(params: QueryParams, context: SendContext): OutboxMessage {
  const missing: string[] = [];
  if (!params.has('Source')) missing.push('source');
  if (!params.hasStructure('Message')) missing.push('message');
  else {
    if (!params.has('Message.Subject.Data'))
      missing.push(params.hasStructure('Message.Subject') ? 'message.subject.data' : 'message.subject');
    if (!params.hasStructure('Message.Body')) missing.push('message.body');
    if (params.hasStructure('Message.Body.Text') && !params.has('Message.Body.Text.Data'))
      missing.push('message.body.text.data');
    if (params.hasStructure('Message.Body.Html') && !params.has('Message.Body.Html.Data'))
      missing.push('message.body.html.data');
  }
  if (missing.length > 0) throw missingMembers(missing);

  const source = params.get('Source') ?? '';
  const sender = requireValidMailbox(source);
  const to = params.list('Destination.ToAddresses');
  const cc = params.list('Destination.CcAddresses');
  const bcc = params.list('Destination.BccAddresses');
  const replyTo = params.list('ReplyToAddresses');
  requireRecipients([...to, ...cc, ...bcc]);
  for (const address of replyTo) requireValidMailbox(address);
  context.policy.requireVerifiedSender(sender.address, context.region);

  const subject = params.get('Message.Subject.Data') ?? '';
  const text = params.get('Message.Body.Text.Data');
  const html = params.get('Message.Body.Html.Data');
  const messageId = newMessageId(context.now);
  const raw = composeMime({ messageId, source, to, cc, replyTo, subject, text, html, date: context.now });
  if (Buffer.byteLength(raw) > MAX_MESSAGE_BYTES) {
    throw new SesError('MessageRejected', `Message length is more than ${MAX_MESSAGE_BYTES} bytes long.`);
  }
  return {
    messageId,
    source: sender.address,
    to: bare(to),
    cc: bare(cc),
    bcc: bare(bcc),
    replyTo: bare(replyTo),
    subject,
    ...(text !== undefined ? { text } : {}),
    ...(html !== undefined ? { html } : {}),
    raw,
    sentAt: context.now.toISOString(),
  };
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  if (field === undefined) return [];
  const objects = Array.isArray(field) ? field : [field];
  return objects.flatMap((object) =>
    object.value.flatMap((mailbox) => (mailbox.address ? [mailbox.address] : [])),
  );
}

/** `SendRawEmail`: the caller sends the MIME message; SES reads its headers to route and index it. */
export async function sendRawEmail(params: QueryParams, context: SendContext): Promise<OutboxMessage> {
  const data = params.get('RawMessage.Data');
  if (data === undefined)
    throw missingMembers([params.hasStructure('RawMessage') ? 'rawMessage.data' : 'rawMessage']);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > MAX_MESSAGE_BYTES) {
    throw new SesError('MessageRejected', `Message length is more than ${MAX_MESSAGE_BYTES} bytes long.`);
  }
  const raw = bytes.toString('utf8');
  const parsed = await simpleParser(bytes);

  const headerFrom = addressesOf(parsed.from)[0];
  const source = params.get('Source') ?? headerFrom;
  if (source === undefined) throw new SesError('InvalidParameterValue', "Missing required header 'From'.");
  const sender = requireValidMailbox(source);
  const to = addressesOf(parsed.to);
  const cc = addressesOf(parsed.cc);
  const headerBcc = addressesOf(parsed.bcc);
  // Destinations override the headers for delivery; whoever is not visible in To/Cc is a Bcc.
  const destinations = params.list('Destinations');
  const envelope = destinations.length > 0 ? destinations : [...to, ...cc, ...headerBcc];
  requireRecipients(envelope);
  context.policy.requireVerifiedSender(sender.address, context.region);

  const visible = new Set([...to, ...cc].map((address) => address.toLowerCase()));
  const bcc = bare(envelope).filter((address) => !visible.has(address.toLowerCase()));
  const messageId = newMessageId(context.now);
  return {
    messageId,
    source: sender.address,
    to,
    cc,
    bcc: [...new Set(bcc)],
    replyTo: addressesOf(parsed.replyTo),
    subject: parsed.subject ?? '',
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    raw,
    sentAt: context.now.toISOString(),
  };
}
