import { type DecisionSettings, readDecisionSettings } from '../approvals';
import { EnvReader } from '../shared/config';

/** Everything the Slack function reads from its environment, checked once at cold start. */
export interface SlackConfig {
  signingSecret: string;
  botToken: string;
  /** Optional: when absent, the bot user id is read from each event's `authorizations`. */
  botUserId: string | undefined;
  botId: string | undefined;
  eventDedupTable: string;
  /** Where the Web API lives; the local stack points this at its stand-in. Unset: slack.com. */
  slackApiUrl: string | undefined;
  /** The EXPRESS command workflow; without it only `help` works. */
  commandStateMachineArn: string | undefined;
  /** Milliseconds from receipt that the command workflow may take before Slack gets "working on it". */
  commandBudgetMs: number;
  /**
   * The approvals table, policy and close-out function; without APPROVALS_TABLE the Approve/Reject
   * buttons are not served.
   */
  approvals: DecisionSettings | undefined;
  /** WebSocket bridge: where thread replies go. Absent: replies are not relayed. */
  websocketReplies?: WebSocketRepliesConfig;
}

export interface WebSocketRepliesConfig {
  mirrorChannelId: string;
  connectionsTable: string;
  /** The WebSocket stage's `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`. */
  callbackUrl: string;
  /** The WebSocket function, where a relay that failed is handed off; absent: Slack's retries only. */
  relayFunction?: string;
}

/** All three or none: a partial set is named now rather than found later as lost replies. */
function websocketRepliesConfig(reader: EnvReader): WebSocketRepliesConfig | undefined {
  const group = reader.group(['MIRROR_CHANNEL_ID', 'CONNECTIONS_TABLE', 'WEBSOCKET_CALLBACK_URL']);
  const relayFunction = reader.optional('REPLY_RELAY_FUNCTION');
  return (
    group && {
      mirrorChannelId: group.MIRROR_CHANNEL_ID,
      connectionsTable: group.CONNECTIONS_TABLE,
      callbackUrl: group.WEBSOCKET_CALLBACK_URL,
      ...(relayFunction ? { relayFunction } : {}),
    }
  );
}

export function loadSlackConfig(env: NodeJS.ProcessEnv = process.env): SlackConfig {
  const reader = new EnvReader(env);
  const config: SlackConfig = {
    signingSecret: reader.required('SLACK_SIGNING_SECRET'),
    botToken: reader.required('SLACK_BOT_TOKEN'),
    botUserId: reader.optional('SLACK_BOT_USER_ID'),
    botId: reader.optional('SLACK_BOT_ID'),
    eventDedupTable: reader.required('EVENT_DEDUP_TABLE'),
    slackApiUrl: reader.optional('SLACK_API_URL'),
    commandStateMachineArn: reader.optional('COMMAND_STATE_MACHINE_ARN'),
    // Slack gives 3 s; 2.5 s leaves room for the network on both sides.
    commandBudgetMs: reader.integer('COMMAND_BUDGET_MS', 2500, { min: 400, max: 2900 }),
    approvals: reader.optional('APPROVALS_TABLE') ? readDecisionSettings(reader) : undefined,
  };
  const websocketReplies = websocketRepliesConfig(reader);
  if (websocketReplies) config.websocketReplies = websocketReplies;
  reader.done();
  return config;
}
