/**
 * The local stack's fixed development settings. None of these is a real credential: they exist
 * so that anything speaking Slack's or AWS's protocols can drive the stack. A `.env` file (or the
 * environment) overrides the secrets and ports; see README.
 */
export const DEV_SECRETS = {
  signingSecret: 'greenlight-local-signing-secret',
  botToken: 'xoxb-greenlight-local-dev-token',
  /** HMAC key for WebSocket connection tokens. */
  websocketTokenKey: 'greenlight-local-websocket-token-key',
  /** HMAC key for approve/reject links in e-mails. */
  linkSigningKey: 'greenlight-local-link-signing-key',
  /** Signs decision receipts: empty here, generated into the data directory (or for each in-memory stack). */
  receiptSigningKey: '',
  /** The GitHub App's webhook secret, which the local GitHub stand-in's deliveries are signed with. */
  githubWebhookSecret: 'greenlight-local-github-webhook-secret',
  /** The GitHub App's private key: empty here, generated for each stack (its stand-in holds the public half). */
  githubAppPrivateKey: '',
} as const;

/**
 * Which dev secret fills each key of the app's secret on the local stack. The product's tests check
 * these keys against the secret names the functions read (app/shared/secrets.ts).
 */
export const DEV_SECRET_KEYS = {
  SLACK_SIGNING_SECRET: 'signingSecret',
  SLACK_BOT_TOKEN: 'botToken',
  WEBSOCKET_TOKEN_KEY: 'websocketTokenKey',
  LINK_SIGNING_KEY: 'linkSigningKey',
  RECEIPT_SIGNING_KEY: 'receiptSigningKey',
  GITHUB_WEBHOOK_SECRET: 'githubWebhookSecret',
  GITHUB_APP_PRIVATE_KEY: 'githubAppPrivateKey',
} as const satisfies Record<string, keyof typeof DEV_SECRETS>;

export const DEFAULT_PORTS = {
  sandbox: 3000,
  rest: 3001,
  websocket: 3002,
  dynamodb: 3003,
  stepfunctions: 3004,
  ses: 3005,
  slackApi: 3006,
  secretsManager: 3007,
  lambda: 3008,
  eventBridge: 3009,
  githubApi: 3010,
  codePipeline: 3011,
} as const;

export type ServiceName = keyof typeof DEFAULT_PORTS;

/** Every service on a port the OS picks: for tests and benchmarks that run beside `npm start`. */
export const FREE_PORTS: Record<ServiceName, number> = {
  sandbox: 0,
  rest: 0,
  websocket: 0,
  dynamodb: 0,
  stepfunctions: 0,
  ses: 0,
  slackApi: 0,
  secretsManager: 0,
  lambda: 0,
  eventBridge: 0,
  githubApi: 0,
  codePipeline: 0,
};

/** template.yaml parameters that need a local value other than their default. */
export const LOCAL_PARAMETERS: Record<string, string> = {
  // The deployed default is empty (e-mail off until an SES identity is verified); locally every
  // sender is accepted, so e-mail works out of the box and lands in the outbox.
  SenderEmail: 'greenlight@greenlight.test',
  // The GitHub App the local GitHub stand-in plays (its id is not secret).
  GitHubAppId: '424242',
  // Who decides the local GitHub App's deployments: Ana and Omar of the seeded workspace.
  GitHubApprovers: 'U0APPROVER U0APPROVR2',
  PipelineApprovers: 'U0APPROVER U0APPROVR2',
  // GitHub deployments (and API requests naming no channel) are posted in #approvals.
  GatesDefaultChannel: 'C0APPROVAL',
};

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_STAGE = 'local';

export const WORKSPACE = {
  team: { id: 'T0GREENLT', name: 'Greenlight Local' },
  appId: 'A0GREENLT',
  botId: 'B0GLBOT',
  botUserId: 'U0GLBOT',
  users: [
    { id: 'U0GLBOT', name: 'greenlight', realName: 'Greenlight', isBot: true },
    { id: 'U0REQUESTR', name: 'rita', realName: 'Rita Requester', email: 'rita@greenlight.test' },
    { id: 'U0APPROVER', name: 'ana', realName: 'Ana Approver', email: 'ana@greenlight.test' },
    { id: 'U0APPROVR2', name: 'omar', realName: 'Omar Approver', email: 'omar@greenlight.test' },
    { id: 'U0BYSTANDR', name: 'sam', realName: 'Sam Bystander', email: 'sam@greenlight.test' },
    // The third approver: @release-managers has three members, so a 2-of-3 quorum can be tried.
    { id: 'U0APPROVR3', name: 'cleo', realName: 'Cleo Approver', email: 'cleo@greenlight.test' },
  ],
  channels: [
    { id: 'C0APPROVAL', name: 'approvals' },
    { id: 'C0MIRROR', name: 'websocket-mirror' },
    { id: 'C0GENERAL', name: 'general' },
    // Requests made here are seen by its members (and each request's requester and approvers) only.
    {
      id: 'C0LEADSPRV',
      name: 'leads',
      isPrivate: true,
      memberIds: ['U0REQUESTR', 'U0APPROVER', 'U0APPROVR2'],
    },
    // greenlight.policies.yaml makes prod-deploy this channel's default policy.
    { id: 'C0RELEASES', name: 'releases' },
  ],
  userGroups: [
    {
      id: 'S0RELEASE',
      handle: 'release-managers',
      name: 'Release managers',
      memberIds: ['U0APPROVER', 'U0APPROVR2', 'U0APPROVR3'],
    },
  ],
} as const;
