import { EnvReader } from '../shared/config';

/** Settings every function that decides or runs approvals shares. */
export interface ApprovalSettings {
  approvalsTable: string;
  /** Whether a requester named as approver may decide their own request (default: no). */
  allowSelfApproval: boolean;
}

export function readApprovalSettings(reader: EnvReader): ApprovalSettings {
  const allow = reader.optional('ALLOW_SELF_APPROVAL') ?? 'false';
  if (allow !== 'true' && allow !== 'false')
    reader.fail(`ALLOW_SELF_APPROVAL must be true or false, got "${allow}"`);
  return { approvalsTable: reader.required('APPROVALS_TABLE'), allowSelfApproval: allow === 'true' };
}

export interface WorkflowTasksConfig extends ApprovalSettings {
  botToken: string;
  slackApiUrl: string | undefined;
  linkSigningKey: string;
  /** The REST API's stage URL; e-mail links are `<base>/approvals/decision?token=…`. */
  linkBaseUrl: string;
  /** SES identity the e-mails come from; without it `--email` requests record a problem instead. */
  senderEmail: string | undefined;
  /** JSON map of Slack user id → address, used before the Slack profile's address. */
  approverEmails: Record<string, string>;
  /** The WebSocket bridge, told of every outcome; absent when the bridge is not configured. */
  clientPush: { connectionsTable: string; callbackUrl: string } | undefined;
}

function parseEmailMap(reader: EnvReader, raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const entries = Object.entries(parsed as Record<string, unknown>);
      if (
        entries.every(
          ([key, value]) => /^[UW][A-Z0-9]+$/.test(key) && typeof value === 'string' && value.includes('@'),
        )
      ) {
        return Object.fromEntries(entries) as Record<string, string>;
      }
    }
  } catch {
    // reported below
  }
  reader.fail('APPROVER_EMAILS must be a JSON object of Slack user id to e-mail address');
  return {};
}

export function loadWorkflowTasksConfig(env: NodeJS.ProcessEnv = process.env): WorkflowTasksConfig {
  const reader = new EnvReader(env);
  const config: WorkflowTasksConfig = {
    ...readApprovalSettings(reader),
    botToken: reader.required('SLACK_BOT_TOKEN'),
    slackApiUrl: reader.optional('SLACK_API_URL'),
    linkSigningKey: reader.required('LINK_SIGNING_KEY'),
    linkBaseUrl: reader.required('LINK_BASE_URL'),
    senderEmail: reader.optional('SENDER_EMAIL'),
    approverEmails: parseEmailMap(reader, reader.optional('APPROVER_EMAILS')),
    clientPush: undefined,
  };
  const push = reader.group(['CONNECTIONS_TABLE', 'WEBSOCKET_CALLBACK_URL']);
  if (push)
    config.clientPush = {
      connectionsTable: push.CONNECTIONS_TABLE,
      callbackUrl: push.WEBSOCKET_CALLBACK_URL,
    };
  reader.done();
  return config;
}
