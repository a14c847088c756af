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

/** What a function that decides requests (buttons, e-mail links) reads. */
export interface DecisionSettings extends ApprovalSettings {
  /** The close-out function, handed a decision the workflow could no longer take. */
  closeOutFunction: string;
  /** Where each vote's "Greenlight Approval Updated" event goes. */
  eventBusName: string;
}

export function readDecisionSettings(reader: EnvReader): DecisionSettings {
  return {
    ...readApprovalSettings(reader),
    closeOutFunction: reader.required('CLOSE_OUT_FUNCTION'),
    eventBusName: reader.required('EVENT_BUS_NAME'),
  };
}

/** What announcing an outcome reads, in the workflow's task function and in the close-out function. */
export interface AnnounceSettings extends ApprovalSettings {
  botToken: string;
  slackApiUrl: string | undefined;
  /** The bus that receives "Greenlight Approval Decided". */
  eventBusName: string;
  /** The WebSocket bridge, told of every outcome; absent when the bridge is not configured. */
  clientPush: { connectionsTable: string; callbackUrl: string } | undefined;
  /** The GitHub App that answers deployment protection rules; absent without one (docs/github.md). */
  github: { appId: string | undefined; apiUrl: string; privateKey: string | undefined };
}

export function readAnnounceSettings(reader: EnvReader): AnnounceSettings {
  const push = reader.group(['CONNECTIONS_TABLE', 'WEBSOCKET_CALLBACK_URL']);
  return {
    ...readApprovalSettings(reader),
    botToken: reader.required('SLACK_BOT_TOKEN'),
    slackApiUrl: reader.optional('SLACK_API_URL'),
    eventBusName: reader.required('EVENT_BUS_NAME'),
    clientPush: push && {
      connectionsTable: push.CONNECTIONS_TABLE,
      callbackUrl: push.WEBSOCKET_CALLBACK_URL,
    },
    github: {
      appId: reader.optional('GITHUB_APP_ID'),
      apiUrl: reader.optional('GITHUB_API_URL') ?? 'https://api.github.com',
      // `not-configured` is what npm run secret-value stores while no App is set up.
      privateKey: reader.optional('GITHUB_APP_PRIVATE_KEY')?.startsWith('-----BEGIN')
        ? reader.optional('GITHUB_APP_PRIVATE_KEY')
        : undefined,
    },
  };
}

export interface CloseOutConfig extends AnnounceSettings {
  /** The approval workflow, whose executions are named after their request ids. */
  approvalStateMachineArn: string;
  /** See CloseOutDeps.graceMs. */
  graceSeconds: number;
}

export function loadCloseOutConfig(env: NodeJS.ProcessEnv = process.env): CloseOutConfig {
  const reader = new EnvReader(env);
  const config: CloseOutConfig = {
    ...readAnnounceSettings(reader),
    approvalStateMachineArn: reader.required('APPROVAL_STATE_MACHINE_ARN'),
    // Two minutes: far longer than the workflow (or a handed-off close-out) takes to announce.
    graceSeconds: reader.integer('SWEEP_GRACE_SECONDS', 120, { min: 0, max: 86_400 }),
  };
  reader.done();
  return config;
}

export interface WorkflowTasksConfig extends AnnounceSettings {
  linkSigningKey: string;
  /** The REST API's stage URL; e-mail links are `<base>/approvals/decision?token=…`. */
  linkBaseUrl: string;
  /** SES identity the e-mails come from; without it `--email` requests record a problem instead. */
  senderEmail: string | undefined;
  /** JSON map of Slack user id → address, used before the Slack profile's address. */
  approverEmails: Record<string, string>;
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
    ...readAnnounceSettings(reader),
    linkSigningKey: reader.required('LINK_SIGNING_KEY'),
    linkBaseUrl: reader.required('LINK_BASE_URL'),
    senderEmail: reader.optional('SENDER_EMAIL'),
    approverEmails: parseEmailMap(reader, reader.optional('APPROVER_EMAILS')),
  };
  reader.done();
  return config;
}
