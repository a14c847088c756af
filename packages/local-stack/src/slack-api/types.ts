/** Public types of the Slack Web API stand-in: its options, its stored records and its change feed. */

/** Milliseconds since the epoch; injectable so tests can move time without waiting. */
export type Clock = () => number;

export interface SlackUserSeed {
  id: string;
  name: string;
  realName: string;
  email?: string;
  isBot?: boolean;
}

export interface SlackChannelSeed {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** The people in it; every seeded person when absent. The bot is always a member. */
  memberIds?: ReadonlyArray<string>;
}

/** A user group (`@handle`), which slash commands send as `<!subteam^S…|@handle>`. */
export interface SlackUserGroupSeed {
  id: string;
  handle: string;
  name: string;
  memberIds: ReadonlyArray<string>;
}

export interface EventDeliverySettings {
  /** How long Slack waits for the app to answer an event (Slack: 3 s). */
  timeoutMs?: number;
  /** Pause before each retry; its length is the number of retries (Slack: immediately, 1 min, 5 min). */
  retryDelaysMs?: ReadonlyArray<number>;
}

export interface SlackApiOptions {
  port?: number;
  host?: string;
  botToken: string;
  signingSecret: string;
  team: { id: string; name: string };
  appId: string;
  botId: string;
  botUserId: string;
  users: ReadonlyArray<SlackUserSeed>;
  /** DMs are not listed here: they are created on demand (ids `D…`). */
  channels: ReadonlyArray<SlackChannelSeed>;
  /** User groups (`usergroups.list`, `usergroups.users.list`); none when absent. */
  userGroups?: ReadonlyArray<SlackUserGroupSeed>;
  /** Where Events API deliveries go (the app's `POST /slack/events`); settable later. */
  eventsUrl?: string;
  eventDelivery?: EventDeliverySettings;
  now?: Clock;
  /** Where the workspace persists across restarts; undefined keeps it in memory. */
  dataFile?: string | undefined;
}

export type ChannelKind = 'public' | 'private' | 'im' | 'mpim';

export interface ChannelRecord {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Unix seconds. */
  created: number;
  /** The other member of a DM with the bot. */
  dmUserId: string | undefined;
  memberIds: ReadonlyArray<string>;
}

export interface UserRecord {
  id: string;
  name: string;
  realName: string;
  email: string | undefined;
  isBot: boolean;
}

/** A message exactly as Slack's Web API returns it (snake_case wire shape). */
export interface SlackMessage {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  subtype?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  client_msg_id?: string;
  bot_profile?: { id: string; app_id: string; name: string; team_id: string; deleted: boolean };
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  is_locked?: boolean;
  edited?: { user: string; ts: string };
  hidden?: boolean;
}

export type EphemeralSource = 'chat.postEphemeral' | 'response_url';

export interface EphemeralRecord {
  channel: string;
  /** The only user who sees it. */
  user: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  source: EphemeralSource;
  /** response_url may replace or delete an ephemeral it posted. */
  deleted: boolean;
}

/** A modal as Slack returns it from `views.*`. */
export interface SlackView {
  id: string;
  team_id: string;
  type: string;
  title: unknown;
  blocks: unknown[];
  close: unknown;
  submit: unknown;
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, unknown> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface ViewRecord {
  view: SlackView;
  /** The user whose trigger opened it, when the trigger id named one. */
  userId: string | undefined;
  openedAt: string;
}

export type ResponseOutcome = 'replaced' | 'deleted' | 'ephemeral' | 'in_channel' | 'rejected';

export interface ResponseRecord {
  url: string;
  receivedAt: string;
  /** The JSON body the app posted (undefined when it was not JSON). */
  payload: unknown;
  status: number;
  outcome: ResponseOutcome;
  /** Slack's error code when rejected. */
  error: string | undefined;
  /** The message or ephemeral the response created or changed. */
  ts: string | undefined;
}

export interface DeliveryAttempt {
  /** 0 for the first delivery, then the `X-Slack-Retry-Num` sent. */
  retryNum: number;
  status: number | undefined;
  /** `http_error`, `http_timeout` or `connection_failed` when the attempt failed. */
  failure: string | undefined;
}

export interface EventDeliveryReport {
  eventId: string;
  url: string | undefined;
  delivered: boolean;
  attempts: ReadonlyArray<DeliveryAttempt>;
  /** Why delivery stopped short: no events URL, the app asked for no retries, or the stand-in closed. */
  stoppedBecause: 'no_events_url' | 'no_retry_requested' | 'retries_exhausted' | 'closed' | undefined;
}

export type SlackApiChange =
  | { type: 'message_posted'; channel: string; message: SlackMessage }
  | { type: 'message_updated'; channel: string; message: SlackMessage }
  | { type: 'message_deleted'; channel: string; ts: string }
  | { type: 'ephemeral_posted'; ephemeral: EphemeralRecord }
  | { type: 'ephemeral_deleted'; ephemeral: EphemeralRecord }
  | { type: 'view_opened'; view: ViewRecord }
  | { type: 'view_updated'; view: ViewRecord }
  | { type: 'home_published'; userId: string; view: SlackView }
  | { type: 'function_execution'; execution: FunctionExecution }
  | { type: 'response_received'; response: ResponseRecord }
  | { type: 'event_delivered'; report: EventDeliveryReport };

export type SlackApiChangeListener = (change: SlackApiChange) => void;

export interface PostAsUserInput {
  userId: string;
  /** A channel id, a DM id, or the bot's user id for the user's DM with the app. */
  channel: string;
  text: string;
  threadTs?: string;
}

export interface PostAsUserResult {
  message: SlackMessage;
  channel: string;
  /** Settles once Slack would give up: delivered, or retries exhausted. */
  delivery: Promise<EventDeliveryReport>;
}

export interface ResponseUrlInput {
  channel: string;
  userId: string;
  /** The message (or ephemeral) the interaction came from: what `replace_original` / `delete_original` act on. */
  messageTs?: string;
  threadTs?: string;
}

export interface SlackApi {
  /** Ends with `/api/`: pass it as `WebClient`'s `slackApiUrl`. */
  readonly apiUrl: string;
  readonly baseUrl: string;
  close(): Promise<void>;
  setEventsUrl(url: string | undefined): void;
  channels(): ReadonlyArray<ChannelRecord>;
  /** Top-level messages, oldest first, with thread summaries (reply_count…). */
  messages(channelId: string): ReadonlyArray<SlackMessage>;
  /** The parent, then its replies, oldest first. */
  thread(channelId: string, threadTs: string): ReadonlyArray<SlackMessage>;
  ephemerals(channelId?: string): ReadonlyArray<EphemeralRecord>;
  views(): ReadonlyArray<ViewRecord>;
  responses(): ReadonlyArray<ResponseRecord>;
  deliveries(): ReadonlyArray<EventDeliveryReport>;
  users(): ReadonlyArray<UserRecord>;
  /** The seeded user groups, with their members. */
  userGroups(): ReadonlyArray<SlackUserGroupSeed>;
  postAsUser(input: PostAsUserInput): PostAsUserResult;
  createResponseUrl(input: ResponseUrlInput): string;
  createTriggerId(options?: { userId?: string }): string;
  /**
   * Makes the next `times` (default 1) calls of a Web API method (`views.open`) answer
   * `{ ok: false, error }` without running. Returns a function that withdraws what is left of it.
   */
  failMethod(method: string, error: string, options?: { times?: number }): () => void;
  onChange(listener: SlackApiChangeListener): () => void;
  /** The person's App Home tab as the app last published it. */
  homeView(userId: string): SlackView | undefined;
  /** How many views.publish calls the stand-in has answered. */
  homePublishes(): number;
  /** The person opens the app's Home tab: Slack sends the app `app_home_opened`. */
  openHome(userId: string): Promise<EventDeliveryReport>;
  /** A workflow reaches the app's custom step: Slack sends `function_executed` with these inputs. */
  runFunction(
    definition: FunctionDefinition,
    inputs: Record<string, unknown>,
  ): { execution: FunctionExecution; delivery: Promise<EventDeliveryReport> };
  /** Custom step runs, with their state and outputs once the app completed them. */
  functionExecutions(): ReadonlyArray<FunctionExecution>;
}

/** A custom step the app declares (manifest.json `functions`), as Workflow Builder runs it. */
export interface FunctionDefinition {
  callbackId: string;
  title: string;
  description: string;
  inputParameters: Array<{ name: string; type: string; title?: string; is_required?: boolean }>;
  outputParameters: Array<{ name: string; type: string; title?: string }>;
}

/** One run of a custom step: pending until the app calls functions.completeSuccess or completeError. */
export interface FunctionExecution {
  functionExecutionId: string;
  workflowExecutionId: string;
  callbackId: string;
  inputs: Record<string, unknown>;
  startedAt: string;
  state: 'running' | 'completed' | 'failed';
  outputs: Record<string, unknown> | undefined;
  error: string | undefined;
  completedAt: string | undefined;
}
