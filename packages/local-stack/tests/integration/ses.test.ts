import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SESClient,
  SendEmailCommand,
  type SendEmailCommandInput,
  SendRawEmailCommand,
} from '@aws-sdk/client-ses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { simpleParser } from 'mailparser';
import { type OutboxMessage, type Ses, startSes } from '../../src/ses';

const SENDER = 'Greenlight <approvals@greenlight.example>';

let outboxDir: string;
let ses: Ses;
let client: SESClient;

function clientFor(url: string): SESClient {
  return new SESClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

function approvalEmail(overrides: Partial<SendEmailCommandInput> = {}): SendEmailCommandInput {
  return {
    Source: SENDER,
    Destination: { ToAddresses: ['alice@example.com'] },
    Message: {
      Subject: { Data: 'Approval needed: deploy to production', Charset: 'UTF-8' },
      Body: {
        Text: { Data: 'Approve: https://greenlight.example/a/123', Charset: 'UTF-8' },
        Html: { Data: '<p><a href="https://greenlight.example/a/123">Approve</a></p>', Charset: 'UTF-8' },
      },
    },
    ...overrides,
  };
}

async function rejectionOf(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected SES to refuse the message, but it accepted it');
}

beforeAll(async () => {
  outboxDir = mkdtempSync(join(tmpdir(), 'greenlight-ses-'));
  ses = await startSes({ outboxDir, verifiedIdentities: ['greenlight.example', 'ops@example.org'] });
  client = clientFor(ses.url);
});

afterAll(async () => {
  client.destroy();
  await ses.close();
  rmSync(outboxDir, { recursive: true, force: true });
});

beforeEach(() => {
  ses.clear();
});

describe('SendEmail through the real SESClient', () => {
  it('puts the message in the outbox with its subject, text and html', async () => {
    const { MessageId } = await client.send(new SendEmailCommand(approvalEmail()));

    expect(ses.outbox()).toEqual([
      expect.objectContaining({
        messageId: MessageId,
        source: 'approvals@greenlight.example',
        to: ['alice@example.com'],
        subject: 'Approval needed: deploy to production',
        text: 'Approve: https://greenlight.example/a/123',
        html: '<p><a href="https://greenlight.example/a/123">Approve</a></p>',
      }),
    ]);
  });

  it('writes a multipart .eml that a mail parser reads back, and lists it in index.json', async () => {
    const { MessageId } = await client.send(new SendEmailCommand(approvalEmail()));

    const eml = readFileSync(join(outboxDir, `${MessageId}.eml`));
    const parsed = await simpleParser(eml);
    const index = JSON.parse(readFileSync(join(outboxDir, 'index.json'), 'utf8')) as Array<
      Partial<OutboxMessage>
    >;

    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.subject).toBe('Approval needed: deploy to production');
    expect(parsed.text?.trim()).toBe('Approve: https://greenlight.example/a/123');
    expect(parsed.html).toContain('href="https://greenlight.example/a/123"');
    expect(index.map((entry) => entry.messageId)).toEqual([MessageId]);
    expect(index[0]).not.toHaveProperty('raw');
  });

  it('encodes a UTF-8 subject so that mail readers decode it intact', async () => {
    const subject = 'Genehmigung nötig — déploiement ✅ für das Team in Zürich und Genève, bitte heute';

    await client.send(
      new SendEmailCommand(
        approvalEmail({ Message: { Subject: { Data: subject }, Body: { Text: { Data: 'x' } } } }),
      ),
    );

    const [message] = ses.outbox();
    const parsed = await simpleParser(message?.raw ?? '');
    expect(message?.raw).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    expect(parsed.subject).toBe(subject);
  });

  it('keeps Bcc recipients in the index but out of the message headers', async () => {
    await client.send(
      new SendEmailCommand(
        approvalEmail({
          Destination: { ToAddresses: ['alice@example.com'], BccAddresses: ['audit@example.com'] },
        }),
      ),
    );

    const [message] = ses.outbox();
    expect(message?.bcc).toEqual(['audit@example.com']);
    expect(message?.raw).not.toContain('audit@example.com');
  });

  it('tells onMessage listeners about each accepted message', async () => {
    const seen: string[] = [];
    const unsubscribe = ses.onMessage((message) => seen.push(message.subject));

    await client.send(new SendEmailCommand(approvalEmail()));
    unsubscribe();

    expect(seen).toEqual(['Approval needed: deploy to production']);
  });
});

describe('SendRawEmail through the real SESClient', () => {
  it('parses the raw message to fill the outbox index', async () => {
    const raw = [
      'From: Ops <ops@example.org>',
      'To: alice@example.com',
      'Cc: bob@example.com',
      'Subject: Raw approval',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=UTF-8',
      '',
      '<p>Please decide</p>',
    ].join('\r\n');

    const { MessageId } = await client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: Buffer.from(raw) },
        Destinations: ['alice@example.com', 'bob@example.com', 'hidden@example.com'],
      }),
    );

    expect(ses.outbox()).toEqual([
      expect.objectContaining({
        messageId: MessageId,
        source: 'ops@example.org',
        to: ['alice@example.com'],
        cc: ['bob@example.com'],
        bcc: ['hidden@example.com'],
        subject: 'Raw approval',
        html: '<p>Please decide</p>',
        raw,
      }),
    ]);
  });
});

describe('the outbox directory', () => {
  it('is read back when SES starts again', async () => {
    const { MessageId } = await client.send(new SendEmailCommand(approvalEmail()));
    const restarted = await startSes({ outboxDir });

    const reloaded = restarted.outbox();
    await restarted.close();

    expect(reloaded).toEqual([
      expect.objectContaining({
        messageId: MessageId,
        subject: 'Approval needed: deploy to production',
        raw: expect.stringContaining('Subject: Approval needed: deploy to production'),
      }),
    ]);
  });

  it('is emptied by clear', async () => {
    await client.send(new SendEmailCommand(approvalEmail()));

    ses.clear();

    const restarted = await startSes({ outboxDir });
    const reloaded = restarted.outbox();
    await restarted.close();
    expect(reloaded).toEqual([]);
  });
});

describe('SES errors, as the SESClient raises them', () => {
  it('rejects an unverified sender with MessageRejected naming the identity and region', async () => {
    const error = await rejectionOf(
      client.send(new SendEmailCommand(approvalEmail({ Source: 'mallory@unverified.example' }))),
    );

    expect(error.name).toBe('MessageRejected');
    expect(error.message).toBe(
      'Email address is not verified. The following identities failed the check in region US-EAST-1: mallory@unverified.example',
    );
    expect(ses.outbox()).toEqual([]);
  });

  it('accepts any address of a verified domain', async () => {
    await client.send(new SendEmailCommand(approvalEmail({ Source: 'someone-else@greenlight.example' })));

    expect(ses.outbox()).toHaveLength(1);
  });

  it('rejects a message without recipients with InvalidParameterValue', async () => {
    const error = await rejectionOf(client.send(new SendEmailCommand(approvalEmail({ Destination: {} }))));

    expect(error.name).toBe('InvalidParameterValue');
  });

  it('rejects more than 50 recipients with InvalidParameterValue', async () => {
    const many = Array.from({ length: 51 }, (_, index) => `person${index}@example.com`);

    const error = await rejectionOf(
      client.send(new SendEmailCommand(approvalEmail({ Destination: { ToAddresses: many } }))),
    );

    expect(error.name).toBe('InvalidParameterValue');
    expect(error.message).toBe('Recipient count exceeds 50.');
  });

  it('rejects a sender that is not an address with InvalidParameterValue', async () => {
    const error = await rejectionOf(
      client.send(new SendEmailCommand(approvalEmail({ Source: 'greenlight' }))),
    );

    expect(error.name).toBe('InvalidParameterValue');
  });

  it('rejects a message without a subject with ValidationError', async () => {
    const input = {
      ...approvalEmail(),
      Message: { Body: { Text: { Data: 'x' } } },
    } as unknown as SendEmailCommandInput;

    const error = await rejectionOf(client.send(new SendEmailCommand(input)));

    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain("'message.subject'");
  });

  it('answers an unknown action with an InvalidAction error document', async () => {
    const response = await fetch(ses.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Action=LaunchRockets&Version=2010-12-01',
    });

    const xml = await response.text();

    expect(response.status).toBe(400);
    expect(xml).toContain('<Code>InvalidAction</Code>');
  });
});
