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
  };
  reader.done();
  return config;
}
