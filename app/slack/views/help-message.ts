import type { KnownBlock } from '@slack/types';

const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['/greenlight', 'Open a form to ask for an approval.'],
  [
    '/greenlight request <title> @approver… [--timeout 4h] [--email]',
    'Ask the people you mention to approve. The request expires after the timeout (default 24h); `--email` also sends them approve/reject links.',
  ],
  ['/greenlight status GL-7K3F9Q', 'Show where a request stands.'],
  ['/greenlight list', 'List your open requests and the ones waiting for you.'],
  ['/greenlight cancel GL-7K3F9Q', 'Withdraw a request you made while it is pending.'],
  ['/greenlight help', 'Show this message.'],
];

export type HelpMessage = { response_type: 'ephemeral'; text: string; blocks: KnownBlock[] };

/** The `/greenlight help` answer, shown only to the person who asked. It never changes: built once. */
export function helpMessage(): HelpMessage {
  help ??= buildHelpMessage();
  return help;
}

let help: HelpMessage | undefined;

function buildHelpMessage(): HelpMessage {
  const lines = COMMANDS.map(([usage, what]) => `\`${usage}\`\n${what}`).join('\n\n');
  return Object.freeze({
    response_type: 'ephemeral',
    text: 'Greenlight: ask for approvals and decide them in Slack.',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Greenlight' } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Ask for approvals and decide them here in Slack.' } },
      { type: 'section', text: { type: 'mrkdwn', text: lines } },
    ],
  }) as HelpMessage;
}

export function errorMessage(text: string): { response_type: 'ephemeral'; text: string } {
  return { response_type: 'ephemeral', text: `:warning: ${text}` };
}
