import type { FunctionDefinition, ShortcutDefinition, WebSocketTokenMinter } from '../product-hooks';
import type { SlackApi, SlackView } from '../slack-api';
import { SlackApiError } from '../slack-api/slack-api-error';
import {
  actionDetails,
  actionIdOf,
  blockIdOf,
  ChoiceError,
  elementsOf,
  findElement,
  stateValue,
} from '../slack-requests/block-elements';
import { type SlackAnswer, type SlackCaller, SlackRequestTimeout } from '../slack-requests/slack-caller';
import { respondedView } from './modal-stacks';
import type {
  ActionRequest,
  ApiResult,
  CloseRequest,
  CommandRequest,
  CommandResult,
  HomeRequest,
  MessageRequest,
  ShortcutRequest,
  SubmitRequest,
  SubmitResult,
  TokenRequest,
  TokenResult,
  ValuesInput,
  WorkflowRunRequest,
} from './protocol';
import { InputError } from './request-input';
import type { SandboxState } from './sandbox-state';

/** Tokens the page mints live an hour: long enough for a session, short enough to be a real expiry. */
const TOKEN_LIFETIME_SECONDS = 3600;

/** Slack's wording when a required input is left empty; it never reaches the app. */
const REQUIRED_FIELD = 'Please complete this required field.';

/** The app failed the person: Slack shows an error, and so does the page. */
export class AppFailure extends Error {
  override readonly name = 'AppFailure';
}

export interface SandboxApiOptions {
  slack: SlackApi;
  caller: SlackCaller;
  state: SandboxState;
  botUserId: string;
  websocketUrl: string;
  /** Mints a WebSocket connection token for a person; the product's own token format, passed in. */
  websocketToken: WebSocketTokenMinter;
  /** The app's shortcuts: only these can be chosen, each from its own menu. */
  shortcuts: ReadonlyArray<ShortcutDefinition>;
  /** The app's custom steps: what the Workflow Builder pane can run. */
  functions: ReadonlyArray<FunctionDefinition>;
  /** Slack's 3 s, shown in messages. */
  timeoutMs: number;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasValue(entry: Json): boolean {
  return Object.entries(entry).some(
    ([key, value]) => key !== 'type' && value !== null && !(Array.isArray(value) && value.length === 0),
  );
}

/**
 * What the page can do, each as Slack would do it for the acting person: run a slash command, type a
 * message, click, submit or close a modal, and mint a WebSocket token. Every request to the app is
 * built and signed by the SlackCaller; the signing secret and token key never leave this process.
 */
export class SandboxApi {
  constructor(private readonly options: SandboxApiOptions) {}

  async command(request: CommandRequest): Promise<ApiResult<CommandResult>> {
    this.requirePerson(request.user);
    const channel = this.conversationFor(request.user, request.channel);
    const [, command = '', text = ''] = /^(\/\S+)\s*([\s\S]*)$/.exec(request.text) ?? [];
    const { answer, responseUrl } = await this.askApp(`${command} failed`, () =>
      this.options.caller.slashCommand({ command: command.toLowerCase(), text, user: request.user, channel }),
    );
    if (answer.status < 200 || answer.status > 299) {
      throw new AppFailure(
        `${command} failed with the error "dispatch_failed": the app answered HTTP ${answer.status}.`,
      );
    }
    if (answer.text.trim() === '') return { ok: true, shown: 'nothing' };
    const contentType = answer.headers.get('content-type') ?? '';
    let message: Json;
    try {
      const parsed: unknown = contentType.includes('json') ? JSON.parse(answer.text) : { text: answer.text };
      if (!isRecord(parsed)) throw new Error('not an object');
      message = parsed;
    } catch {
      throw new AppFailure(`${command} answered with a body that is not a message.`);
    }
    // Slack shows the immediate answer as it would a response_url post, so it goes through one.
    const shown = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(message),
    });
    const result = (await shown.json()) as {
      ok?: boolean;
      error?: string;
      response_metadata?: { messages?: string[] };
    };
    if (!result.ok) {
      const details = result.response_metadata?.messages?.join('; ');
      throw new AppFailure(
        `Slack refused ${command}'s answer: ${result.error ?? shown.status}${details ? ` (${details})` : ''}`,
      );
    }
    return { ok: true, shown: message.response_type === 'in_channel' ? 'in_channel' : 'ephemeral' };
  }

  message(request: MessageRequest): ApiResult<{ channel: string; ts: string }> {
    this.requirePerson(request.user);
    // The bot's user id stands for "my DM with the app", which postAsUser opens on first use.
    const channel =
      request.channel === this.options.botUserId
        ? request.channel
        : this.conversationFor(request.user, request.channel);
    try {
      const posted = this.options.slack.postAsUser({
        userId: request.user,
        channel,
        text: request.text,
        ...(request.threadTs !== undefined ? { threadTs: request.threadTs } : {}),
      });
      this.options.state.trackDelivery(posted.channel, posted.message.ts, posted.delivery);
      return { ok: true, channel: posted.channel, ts: posted.message.ts };
    } catch (error) {
      if (error instanceof SlackApiError) throw new InputError(`Slack refused the message: ${error.code}.`);
      throw error;
    }
  }

  async action(request: ActionRequest): Promise<ApiResult> {
    this.requirePerson(request.user);
    const { caller, slack } = this.options;
    const { surface } = request;
    let answer: SlackAnswer;
    if (surface.kind === 'home') {
      const view = this.options.slack.homeView(request.user);
      if (view === undefined) throw new InputError('Open the Home tab first.');
      const action = this.elementAction(view.blocks, request);
      answer = await this.askApp('The click failed', () =>
        caller.clickInView({ user: request.user, view, action, stateValues: {} }),
      );
    } else if (surface.kind === 'view') {
      const view = this.openView(request.user, surface.viewId);
      const action = this.elementAction(view.blocks, request);
      const stateValues = this.viewState(view, request.values ?? {});
      answer = await this.askApp('The click failed', () =>
        caller.clickInView({ user: request.user, view, action, stateValues }),
      );
    } else if (surface.kind === 'ephemeral') {
      const ephemeral = slack
        .ephemerals()
        .find((candidate) => candidate.ts === surface.ts && candidate.user === request.user);
      if (ephemeral === undefined) throw new InputError('That message is no longer there.');
      const action = this.elementAction(ephemeral.blocks, request);
      answer = await this.askApp('The click failed', () =>
        caller.clickInMessage({
          user: request.user,
          channel: ephemeral.channel,
          messageTs: ephemeral.ts,
          threadTs: ephemeral.threadTs,
          isEphemeral: true,
          action,
          stateValues: this.messageState(ephemeral.blocks, request.values ?? {}),
        }),
      );
    } else {
      this.conversationFor(request.user, surface.channel);
      const candidates = surface.threadTs
        ? slack.thread(surface.channel, surface.threadTs)
        : slack.messages(surface.channel);
      const message = candidates.find((candidate) => candidate.ts === surface.ts);
      if (message === undefined) throw new InputError('That message is no longer there.');
      const action = this.elementAction(message.blocks, request);
      answer = await this.askApp('The click failed', () =>
        caller.clickInMessage({
          user: request.user,
          channel: surface.channel,
          messageTs: surface.ts,
          threadTs: surface.threadTs,
          action,
          stateValues: this.messageState(message.blocks, request.values ?? {}),
        }),
      );
    }
    this.requireSuccess(answer);
    return { ok: true };
  }

  async submit(request: SubmitRequest): Promise<ApiResult<SubmitResult>> {
    this.requirePerson(request.user);
    const view = this.openView(request.user, request.viewId);
    const stateValues = this.viewState(view, request.values);
    const missing = this.missingRequired(view, stateValues);
    if (Object.keys(missing).length > 0) return { ok: true, errors: missing, closed: false };

    const answer = await this.askApp('The form was not sent', () =>
      this.options.caller.submitView({ user: request.user, view, stateValues }),
    );
    this.requireSuccess(answer);
    const { modals } = this.options.state;
    if (answer.text.trim() === '') {
      modals.apply(request.user, view.id, { kind: 'close' });
      return { ok: true, errors: {}, closed: true };
    }
    let body: Json;
    try {
      const parsed: unknown = JSON.parse(answer.text);
      if (!isRecord(parsed)) throw new Error('not an object');
      body = parsed;
    } catch {
      throw new AppFailure('The app answered the submission with something that is not JSON.');
    }
    try {
      switch (body.response_action) {
        case 'errors': {
          const errors = isRecord(body.errors) ? body.errors : {};
          return {
            ok: true,
            errors: Object.fromEntries(
              Object.entries(errors).map(([blockId, text]) => [blockId, String(text)]),
            ),
            closed: false,
          };
        }
        case 'update':
          modals.apply(request.user, view.id, {
            kind: 'update',
            view: respondedView(view, body.view, 'update'),
          });
          return { ok: true, errors: {}, closed: false };
        case 'push':
          modals.apply(request.user, view.id, { kind: 'push', view: respondedView(view, body.view, 'push') });
          return { ok: true, errors: {}, closed: false };
        case 'clear':
          modals.apply(request.user, view.id, { kind: 'clear' });
          return { ok: true, errors: {}, closed: true };
        default:
          throw new AppFailure(
            `The app answered with an unknown response_action: ${String(body.response_action)}.`,
          );
      }
    } catch (error) {
      if (error instanceof SlackApiError)
        throw new AppFailure(
          `The view in the app's answer is invalid: ${error.messages.join('; ') || error.code}`,
        );
      throw error;
    }
  }

  async close(request: CloseRequest): Promise<ApiResult> {
    this.requirePerson(request.user);
    const view = this.openView(request.user, request.viewId);
    this.options.state.modals.apply(request.user, view.id, { kind: 'close' });
    if (view.notify_on_close) {
      const answer = await this.askApp('Closing the form failed', () =>
        this.options.caller.closeView({ user: request.user, view, isCleared: false }),
      );
      this.requireSuccess(answer);
    }
    return { ok: true };
  }

  /**
   * A shortcut from the Shortcuts menu (global) or a message's "More actions" menu (message): sent
   * to the app as Slack sends it, with a fresh trigger id, so the modal it opens appears.
   */
  async shortcut(request: ShortcutRequest): Promise<ApiResult> {
    this.requirePerson(request.user);
    const { message } = request;
    const wanted = message === undefined ? 'global' : 'message';
    const shortcut = this.options.shortcuts.find(
      (candidate) => candidate.callbackId === request.callbackId && candidate.type === wanted,
    );
    if (shortcut === undefined)
      throw new InputError(`The app has no ${wanted} shortcut ${request.callbackId}.`);
    const { caller, slack } = this.options;
    let answer: SlackAnswer;
    if (message === undefined) {
      answer = await this.askApp(`${shortcut.name} failed`, () =>
        caller.globalShortcut({ user: request.user, callbackId: shortcut.callbackId }),
      );
    } else {
      this.conversationFor(request.user, message.channel);
      const candidates = message.threadTs
        ? slack.thread(message.channel, message.threadTs)
        : slack.messages(message.channel);
      if (!candidates.some((candidate) => candidate.ts === message.ts))
        throw new InputError('That message is no longer there.');
      answer = await this.askApp(`${shortcut.name} failed`, () =>
        caller.messageShortcut({
          user: request.user,
          callbackId: shortcut.callbackId,
          channel: message.channel,
          messageTs: message.ts,
          threadTs: message.threadTs,
        }),
      );
    }
    this.requireSuccess(answer);
    return { ok: true };
  }

  /**
   * A one-step workflow, started by the acting person: Workflow Builder runs the app's step with
   * the inputs (the person as requester, as a workflow's "person who started it" would fill it) and
   * the app hears `function_executed`. The run's state and outputs follow as live events.
   */
  async runWorkflow(request: WorkflowRunRequest): Promise<ApiResult<{ functionExecutionId: string }>> {
    this.requirePerson(request.user);
    const definition = this.options.functions.find(
      (candidate) => candidate.callbackId === request.callbackId,
    );
    if (definition === undefined) throw new InputError(`The app has no step ${request.callbackId}.`);
    const { execution, delivery } = this.options.slack.runFunction(definition, {
      requester: request.user,
      ...request.inputs,
    });
    const report = await delivery;
    if (!report.delivered)
      throw new AppFailure(
        `The app did not accept function_executed (${report.stoppedBecause ?? 'no answer'}).`,
      );
    return { ok: true, functionExecutionId: execution.functionExecutionId };
  }

  /** Opening the app's Home tab: the app hears `app_home_opened` and publishes the Home it shows. */
  async openHome(request: HomeRequest): Promise<ApiResult<{ delivered: boolean }>> {
    this.requirePerson(request.user);
    const report = await this.options.slack.openHome(request.user);
    if (!report.delivered)
      throw new AppFailure(
        `The app did not accept app_home_opened (${report.stoppedBecause ?? 'no answer'}).`,
      );
    return { ok: true, delivered: true };
  }

  websocketToken(request: TokenRequest): ApiResult<TokenResult> {
    this.requirePerson(request.user);
    const exp = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SECONDS;
    const token = this.options.websocketToken({ sub: request.user, exp });
    return {
      ok: true,
      url: `${this.options.websocketUrl}?token=${encodeURIComponent(token)}`,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  private requirePerson(userId: string): void {
    const user = this.options.slack.users().find((candidate) => candidate.id === userId);
    if (user === undefined || user.isBot)
      throw new InputError(`${userId} is not a person in this workspace.`);
  }

  /** A conversation the person is in; the bot's user id means their DM with the app, opened if need be. */
  private conversationFor(userId: string, channelId: string): string {
    const { slack, botUserId } = this.options;
    if (channelId === botUserId) {
      const existing = slack
        .channels()
        .find((channel) => channel.kind === 'im' && channel.dmUserId === userId);
      if (existing !== undefined) return existing.id;
      // Issuing a response URL for the person's own id opens their DM with the app, as Slack's
      // conversations.open would; the URL itself is not used.
      slack.createResponseUrl({ channel: userId, userId });
      const opened = slack.channels().find((channel) => channel.kind === 'im' && channel.dmUserId === userId);
      if (opened === undefined) throw new InputError('Could not open a DM with the app.');
      return opened.id;
    }
    const channel = slack.channels().find((candidate) => candidate.id === channelId);
    if (channel === undefined) throw new InputError(`There is no conversation ${channelId}.`);
    if (!channel.memberIds.includes(userId)) throw new InputError(`${userId} is not in ${channel.name}.`);
    return channel.id;
  }

  private openView(userId: string, viewId: string): SlackView {
    const view = this.options.state.modals.find(userId, viewId);
    if (view === undefined) throw new InputError('That modal is not open any more.');
    return view;
  }

  private elementAction(blocks: unknown, request: ActionRequest) {
    const found = findElement(blocks, request.blockId, request.actionId);
    if (found === undefined)
      throw new InputError(`There is no element ${request.actionId} in block ${request.blockId}.`);
    try {
      return actionDetails(found, request.choice);
    } catch (error) {
      if (error instanceof ChoiceError) throw new InputError(`${request.actionId}: ${error.message}.`);
      throw error;
    }
  }

  /** `state.values` of a message: the elements the person set, checked against the message. */
  private messageState(blocks: unknown, values: ValuesInput): Json {
    const state: Record<string, Json> = {};
    for (const [blockId, byAction] of Object.entries(values)) {
      for (const [actionId, choice] of Object.entries(byAction)) {
        const found = findElement(blocks, blockId, actionId);
        if (found === undefined) throw new InputError(`There is no element ${actionId} in block ${blockId}.`);
        state[blockId] = { ...state[blockId], [actionId]: this.value(found.element, choice, actionId) };
      }
    }
    return state;
  }

  /** `state.values` of a modal: every input block's element, empty ones as null, as Slack sends it. */
  private viewState(view: SlackView, values: ValuesInput): Record<string, Json> {
    const state: Record<string, Json> = {};
    for (const [index, block] of view.blocks.entries()) {
      if (!isRecord(block) || block.type !== 'input') continue;
      const blockId = blockIdOf(block, index);
      for (const [position, element] of elementsOf(block).entries()) {
        const actionId = actionIdOf(element, position);
        const choice = values[blockId]?.[actionId] ?? {};
        state[blockId] = { ...state[blockId], [actionId]: this.value(element, choice, actionId) };
      }
    }
    return state;
  }

  private value(element: Json, choice: { value?: string | null; values?: string[] }, actionId: string): Json {
    try {
      return stateValue(element, choice);
    } catch (error) {
      if (error instanceof ChoiceError) throw new InputError(`${actionId}: ${error.message}.`);
      throw error;
    }
  }

  /** Slack's client refuses to submit a modal whose required inputs are empty. */
  private missingRequired(view: SlackView, state: Record<string, Json>): Record<string, string> {
    const missing: Record<string, string> = {};
    for (const [index, block] of view.blocks.entries()) {
      if (!isRecord(block) || block.type !== 'input' || block.optional === true) continue;
      const blockId = blockIdOf(block, index);
      const entries = Object.values(state[blockId] ?? {}).filter(isRecord);
      if (!entries.some(hasValue)) missing[blockId] = REQUIRED_FIELD;
    }
    return missing;
  }

  /** Calls the app; `failure` starts the sentence the person reads when it does not answer. */
  private async askApp<T>(failure: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof SlackRequestTimeout) {
        throw new AppFailure(
          `${failure} with the error "operation_timeout": the app did not answer within ${this.options.timeoutMs / 1000} s.`,
        );
      }
      // fetch reports a refused or reset connection as a TypeError.
      if (error instanceof TypeError)
        throw new AppFailure(`${failure}: the app's request URL cannot be reached.`);
      throw error;
    }
  }

  private requireSuccess(answer: SlackAnswer): void {
    if (answer.status < 200 || answer.status > 299) {
      throw new AppFailure(`The app answered HTTP ${answer.status}; Slack shows the person an error.`);
    }
  }
}
