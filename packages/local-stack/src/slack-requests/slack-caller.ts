import type { SlackApi, SlackMessage, SlackView } from '../slack-api';
import { signSlackRequest } from '../slack-signature';
import {
  type ActionDetails,
  type AppInstall,
  blockActionsPayload,
  type ConversationRef,
  interactionForm,
  type Person,
  type SubmittedView,
  slashCommandForm,
  viewClosedPayload,
  viewSubmissionPayload,
} from './interaction-payloads';
import { globalShortcutPayload, messageShortcutPayload } from './shortcut-payloads';

const FORM = 'application/x-www-form-urlencoded';

/** What the app answered. */
export interface SlackAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

/** Slack gave up waiting: the user sees `operation_timeout` (or the modal's error). */
export class SlackRequestTimeout extends Error {
  override readonly name = 'SlackRequestTimeout';
  constructor(readonly timeoutMs: number) {
    super(`The app did not answer within ${timeoutMs} ms`);
  }
}

export interface SlackCallerOptions {
  /** The stand-in that issues trigger ids and response URLs and holds the messages. */
  slack: SlackApi;
  signingSecret: string;
  /** The app's request URL (slash commands and interactivity). */
  requestUrl: string;
  app: AppInstall;
  /** Slack waits 3 s for an answer; undefined waits as long as the app takes. */
  timeoutMs?: number | undefined;
}

export interface ClickInput {
  user: string;
  channel: string;
  messageTs: string;
  action: ActionDetails;
  /** The message was an ephemeral one (no `message` in the payload; response_url acts on it). */
  isEphemeral?: boolean;
  threadTs?: string | undefined;
  stateValues?: Record<string, unknown>;
}

/**
 * Plays Slack's part towards the app: builds the requests Slack would send for what a person does
 * (a slash command, a click, a modal submitted or closed), with live trigger ids and response URLs
 * from the Web API stand-in, signs them with the signing secret and POSTs them to the request URL.
 * The tests and the sandbox page both go through it, so there is one way to be Slack.
 */
export class SlackCaller {
  constructor(private readonly options: SlackCallerOptions) {}

  person(userId: string): Person {
    const user = this.options.slack.users().find((candidate) => candidate.id === userId);
    return { id: userId, name: user?.name ?? userId };
  }

  conversation(channelId: string): ConversationRef {
    const channel = this.options.slack.channels().find((candidate) => candidate.id === channelId);
    // Slack names DMs and private conversations generically in interaction payloads.
    if (channel?.kind === 'im') return { id: channelId, name: 'directmessage' };
    if (channel?.kind === 'private' || channel?.kind === 'mpim')
      return { id: channelId, name: 'privategroup' };
    return { id: channelId, name: channel?.name ?? channelId };
  }

  /** `/command text` typed by `user` in `channel`; the response URL is returned for the caller to use. */
  async slashCommand(input: {
    command: string;
    text: string;
    user: string;
    channel: string;
  }): Promise<{ answer: SlackAnswer; responseUrl: string }> {
    const { slack } = this.options;
    const responseUrl = slack.createResponseUrl({ channel: input.channel, userId: input.user });
    const body = slashCommandForm(this.options.app, {
      command: input.command,
      text: input.text,
      user: this.person(input.user),
      channel: this.conversation(input.channel),
      responseUrl,
      triggerId: slack.createTriggerId({ userId: input.user }),
    });
    return { answer: await this.post(body, FORM), responseUrl };
  }

  /** A click (or selection) on an element of a message or an ephemeral message. */
  clickInMessage(input: ClickInput): Promise<SlackAnswer> {
    const { slack } = this.options;
    const isEphemeral = input.isEphemeral ?? false;
    const message: SlackMessage | undefined = isEphemeral
      ? undefined
      : [
          ...slack.messages(input.channel),
          ...(input.threadTs ? slack.thread(input.channel, input.threadTs) : []),
        ].find((candidate) => candidate.ts === input.messageTs);
    const payload = blockActionsPayload(this.options.app, {
      user: this.person(input.user),
      container: {
        type: 'message',
        channel: this.conversation(input.channel),
        messageTs: input.messageTs,
        message,
        isEphemeral,
        threadTs: input.threadTs,
        responseUrl: slack.createResponseUrl({
          channel: input.channel,
          userId: input.user,
          messageTs: input.messageTs,
          ...(input.threadTs !== undefined ? { threadTs: input.threadTs } : {}),
        }),
      },
      action: input.action,
      triggerId: slack.createTriggerId({ userId: input.user }),
      ...(input.stateValues !== undefined ? { stateValues: input.stateValues } : {}),
    });
    return this.post(interactionForm(payload), FORM);
  }

  /** A click (or selection) on an element inside an open modal. */
  clickInView(input: {
    user: string;
    view: SlackView;
    action: ActionDetails;
    stateValues?: Record<string, unknown>;
  }): Promise<SlackAnswer> {
    const payload = blockActionsPayload(this.options.app, {
      user: this.person(input.user),
      container: { type: 'view', view: input.view },
      action: input.action,
      triggerId: this.options.slack.createTriggerId({ userId: input.user }),
      ...(input.stateValues !== undefined ? { stateValues: input.stateValues } : {}),
    });
    return this.post(interactionForm(payload), FORM);
  }

  /** The modal's submit button; `stateValues` is `state.values` as Slack sends it. */
  submitView(input: {
    user: string;
    view: SubmittedView;
    stateValues: Record<string, unknown>;
  }): Promise<SlackAnswer> {
    const payload = viewSubmissionPayload(this.options.app, {
      user: this.person(input.user),
      view: input.view,
      stateValues: input.stateValues,
      triggerId: this.options.slack.createTriggerId({ userId: input.user }),
    });
    return this.post(interactionForm(payload), FORM);
  }

  /** The modal's close button, for a modal opened with `notify_on_close`. */
  closeView(input: { user: string; view: SubmittedView; isCleared: boolean }): Promise<SlackAnswer> {
    const payload = viewClosedPayload(this.options.app, {
      user: this.person(input.user),
      view: input.view,
      isCleared: input.isCleared,
    });
    return this.post(interactionForm(payload), FORM);
  }

  /** A global shortcut chosen from the shortcuts menu. */
  globalShortcut(input: { user: string; callbackId: string }): Promise<SlackAnswer> {
    const payload = globalShortcutPayload(this.options.app, {
      user: this.person(input.user),
      callbackId: input.callbackId,
      triggerId: this.options.slack.createTriggerId({ userId: input.user }),
    });
    return this.post(interactionForm(payload), FORM);
  }

  /** A message shortcut chosen from a message's "More actions" menu (top-level or in a thread). */
  messageShortcut(input: {
    user: string;
    callbackId: string;
    channel: string;
    messageTs: string;
    threadTs?: string | undefined;
  }): Promise<SlackAnswer> {
    const { slack } = this.options;
    const message = [
      ...slack.messages(input.channel),
      ...(input.threadTs ? slack.thread(input.channel, input.threadTs) : []),
    ].find((candidate) => candidate.ts === input.messageTs);
    if (message === undefined) throw new Error(`No message ${input.messageTs} in ${input.channel}`);
    const payload = messageShortcutPayload(this.options.app, {
      user: this.person(input.user),
      callbackId: input.callbackId,
      triggerId: slack.createTriggerId({ userId: input.user }),
      channel: this.conversation(input.channel),
      message,
      responseUrl: slack.createResponseUrl({ channel: input.channel, userId: input.user }),
    });
    return this.post(interactionForm(payload), FORM);
  }

  /** POSTs a body signed as Slack signs it. */
  async post(body: string, contentType: string, headers: Record<string, string> = {}): Promise<SlackAnswer> {
    const { timeoutMs } = this.options;
    const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(this.options.requestUrl, {
        method: 'POST',
        body,
        headers: {
          'Content-Type': contentType,
          'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          ...signSlackRequest(this.options.signingSecret, body),
          ...headers,
        },
        ...(signal ? { signal } : {}),
      });
      // Read in full inside the try: Slack's deadline covers the whole answer, not just its headers.
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
    } catch (error) {
      if (timeoutMs !== undefined && signal?.aborted) throw new SlackRequestTimeout(timeoutMs);
      throw error;
    }
  }
}
