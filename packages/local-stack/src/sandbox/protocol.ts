/**
 * What the sandbox server and its page say to each other: the per-user snapshot and live events
 * (Server-Sent Events), and the JSON bodies of its API. Types only, so the browser bundle and the
 * server share one definition.
 */
import type { FunctionDefinition, ShortcutDefinition } from '../product-hooks';
import type {
  ChannelRecord,
  EphemeralRecord,
  FunctionExecution,
  SlackMessage,
  SlackUserGroupSeed,
  SlackView,
  UserRecord,
} from '../slack-api/types';

export type {
  ChannelRecord,
  EphemeralRecord,
  FunctionDefinition,
  FunctionExecution,
  ShortcutDefinition,
  SlackMessage,
  SlackUserGroupSeed,
  SlackView,
  UserRecord,
};

/** An Events API delivery of a message typed in the sandbox, as far as it has got. */
export interface DeliveryView {
  channel: string;
  ts: string;
  state: 'pending' | 'delivered' | 'failed';
  /** HTTP statuses (or failure names) of each attempt. */
  attempts: string[];
  stoppedBecause: string | undefined;
}

export interface EmailLink {
  href: string;
  label: string;
}

export interface EmailView {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  sentAt: string;
  text: string | undefined;
  hasHtml: boolean;
  links: EmailLink[];
}

/** `caught`: the state's task failed and a Catch took the execution on, as the console's "Caught error". */
export type StepStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'caught';

/**
 * How an execution ended in the product's own terms (an approval workflow that succeeded because it
 * recorded a rejection ends "Rejected"), when the product says so through its hooks.
 */
export interface ExecutionOutcome {
  label: string;
  tone: 'positive' | 'negative' | 'neutral';
  /** The person the outcome is attributed to, a Slack user id. */
  by?: string;
  /** What they said, if anything. */
  comment?: string;
}

/** One state an execution went through, folded from its history events. */
export interface StepView {
  name: string;
  /** The state's type as the history names it: Task, Choice, Pass, Wait, Succeed, Fail, Map, Parallel. */
  type: string;
  status: StepStatus;
  enteredAt: string;
  exitedAt: string | undefined;
  input: string | undefined;
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** What the state is doing while it runs, e.g. "waiting for a task token". */
  note: string | undefined;
}

export interface ExecutionView {
  executionArn: string;
  name: string;
  stateMachineName: string;
  type: string;
  status: string;
  startDate: string;
  stopDate: string | undefined;
  input: string;
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  outcome: ExecutionOutcome | undefined;
  steps: StepView[];
}

export interface Snapshot {
  me: string;
  team: { id: string; name: string };
  botUserId: string;
  users: UserRecord[];
  /** User groups, for `@` suggestions (`<!subteam^S…>`). */
  userGroups: SlackUserGroupSeed[];
  /** The conversations `me` is a member of. */
  channels: ChannelRecord[];
  /** Every message of those conversations, replies included, oldest first. */
  messages: Record<string, SlackMessage[]>;
  /** Only `me`'s. */
  ephemerals: EphemeralRecord[];
  /** `me`'s open modal stack, bottom first. */
  modals: SlackView[];
  deliveries: DeliveryView[];
  emails: EmailView[];
  /** Newest first. */
  executions: ExecutionView[];
  websocketUrl: string;
  /** The app's shortcuts, as its manifest declares them. */
  shortcuts: ShortcutDefinition[];
  /** `me`'s App Home tab as the app last published it (views.publish). */
  home: SlackView | undefined;
  /** The app's custom steps, and every run of them (Workflow Builder), newest last. */
  functions: FunctionDefinition[];
  functionRuns: FunctionExecution[];
}

export type LiveEvent =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'channel'; channel: ChannelRecord }
  | { type: 'message'; channel: string; message: SlackMessage }
  | { type: 'message_deleted'; channel: string; ts: string }
  | { type: 'ephemeral'; ephemeral: EphemeralRecord }
  | { type: 'ephemeral_deleted'; ts: string }
  | { type: 'modals'; modals: SlackView[] }
  | { type: 'delivery'; delivery: DeliveryView }
  | { type: 'email'; email: EmailView }
  | { type: 'execution'; execution: ExecutionView }
  | { type: 'home'; view: SlackView }
  | { type: 'function_run'; run: FunctionExecution };

/** Where an interactive element is. */
export type Surface =
  | { kind: 'message'; channel: string; ts: string; threadTs?: string }
  | { kind: 'ephemeral'; ts: string }
  | { kind: 'view'; viewId: string }
  /** The acting person's App Home tab. */
  | { kind: 'home' };

export interface ChoiceInput {
  value?: string | null;
  values?: string[];
}

/** `values[blockId][actionId]`: what the user entered in each element of the surface. */
export type ValuesInput = Record<string, Record<string, ChoiceInput>>;

export interface CommandRequest {
  user: string;
  channel: string;
  /** As typed: `/greenlight request …`. */
  text: string;
}

export interface MessageRequest {
  user: string;
  channel: string;
  text: string;
  threadTs?: string;
}

export interface ActionRequest {
  user: string;
  surface: Surface;
  blockId: string;
  actionId: string;
  choice?: ChoiceInput;
  values?: ValuesInput;
}

export interface SubmitRequest {
  user: string;
  viewId: string;
  values: ValuesInput;
}

export interface CloseRequest {
  user: string;
  viewId: string;
}

/** A one-step workflow run from the Workflow Builder pane: the app's custom step with these inputs. */
export interface WorkflowRunRequest {
  user: string;
  callbackId: string;
  inputs: Record<string, string | number | string[]>;
}

/** The person opens the app's Home tab: Slack sends the app `app_home_opened`. */
export interface HomeRequest {
  user: string;
}

/** A shortcut chosen from a menu: a global one, or a message one with the message it was chosen on. */
export interface ShortcutRequest {
  user: string;
  callbackId: string;
  message?: { channel: string; ts: string; threadTs?: string };
}

export interface TokenRequest {
  user: string;
}

/** Every API answer: `ok`, or a sentence the page shows. */
export type ApiResult<T = unknown> = ({ ok: true } & T) | { ok: false; error: string };

export interface CommandResult {
  /** What Slack did with the app's immediate answer. */
  shown: 'nothing' | 'ephemeral' | 'in_channel';
}

export interface SubmitResult {
  /** Errors to show under the inputs, by block id (`response_action: errors`). */
  errors: Record<string, string>;
  closed: boolean;
}

export interface TokenResult {
  url: string;
  expiresAt: string;
}
