import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer } from '../workflow-ports';

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly sender: string,
  ) {}

  async send(to: string, content: { subject: string; text: string; html: string }): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        Source: this.sender,
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: content.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: content.text, Charset: 'UTF-8' },
            Html: { Data: content.html, Charset: 'UTF-8' },
          },
        },
      }),
    );
  }
}
