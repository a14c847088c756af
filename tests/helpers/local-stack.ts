import { FREE_PORTS, WORKSPACE } from '@greenlight/local-stack/dev-config';
import { actionDetails, findElementByActionId } from '@greenlight/local-stack/slack-requests/block-elements';
import { appInstall } from '@greenlight/local-stack/slack-requests/interaction-payloads';
import { SlackCaller } from '@greenlight/local-stack/slack-requests/slack-caller';
import { type LocalStack, type StackOptions, startStack } from '@greenlight/local-stack/stack';
import { eventually } from '@greenlight/local-stack/testing/eventually';
import type { APIGatewayProxyResult } from 'aws-lambda';
import WebSocket from 'ws';
import { PRODUCT_HOOKS } from '../../scripts/local-hooks';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

/**
 * The local stack on free ports, in memory, with helpers that play Slack's part: every request
 * they send is signed with the stack's signing secret and goes through the REST emulation.
 */
export class TestStack {
  private caller: SlackCaller | undefined;

  private constructor(readonly stack: LocalStack) {}

  static async start(options: Partial<StackOptions> = {}): Promise<TestStack> {
    return new TestStack(
      await startStack({
        hooks: PRODUCT_HOOKS,
        ports: FREE_PORTS,
        dataDir: undefined,
        ...options,
        // The functions log at template.yaml's level otherwise; tests read logs through their own sinks.
        environment: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...options.environment },
      }),
    );
  }

  get endpoints() {
    return this.stack.endpoints;
  }

  stop(): Promise<void> {
    return this.stack.stop();
  }

  async post(
    path: string,
    body: string | Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    const response = await fetch(`${this.stack.rest.url}${path}`, {
      method: 'POST',
      body: body as BodyInit,
      headers,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  }

  /** Slack's part towards the app: signed requests to the stack's request URL. */
  get slackCaller(): SlackCaller {
    this.caller ??= new SlackCaller({
      slack: this.stack.slack,
      signingSecret: this.stack.secrets.signingSecret,
      requestUrl: this.stack.endpoints.slackEvents,
      app: appInstall(this.stack.endpoints.team, WORKSPACE.appId),
    });
    return this.caller;
  }

  /** POSTs a body to /slack/events signed as Slack signs it. */
  signedSlackPost(
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    return this.slackCaller.post(body, contentType, headers);
  }

  /**
   * `/greenlight <text>` typed by `user` in `channel`, with a live response_url and trigger_id:
   * the answer the person ends up seeing. The REST emulation counts the budget from arrival, so on
   * a loaded machine a command may be answered "working on it" and its reply delivered through
   * response_url; that reply is returned then (the late path has tests of its own, with
   * `slashCommandAnswer`).
   */
  async slashCommand(
    text: string,
    { user = 'U0REQUESTR', channel = 'C0APPROVAL' } = {},
  ): Promise<HttpAnswer> {
    const { answer, responseUrl } = await this.slackCaller.slashCommand({
      command: '/greenlight',
      text,
      user,
      channel,
    });
    // Loaded here, not at the top: the functions share this module registry, and a product module
    // imported before the stack sets their environment (LOG_LEVEL, say) would keep the test's.
    const { WORKING_ON_IT } = await import('../../app/slack/commands/command-workflow');
    if (answer.status !== 200 || !answer.text.includes(WORKING_ON_IT)) return answer;
    const delivered = await eventually(
      () => this.stack.slack.responses().find((response) => response.url === responseUrl),
      { timeoutMs: 30_000, what: `the late reply to "${text}"` },
    );
    const { replace_original: _replaced, ...payload } = delivered.payload as Record<string, unknown>;
    const body = JSON.stringify(payload);
    return { status: 200, headers: answer.headers, text: body, json: () => JSON.parse(body) };
  }

  /** `/greenlight <text>` as Slack's HTTP answer to it, "working on it" included. */
  async slashCommandAnswer(
    text: string,
    { user = 'U0REQUESTR', channel = 'C0APPROVAL' } = {},
  ): Promise<HttpAnswer> {
    const { answer } = await this.slackCaller.slashCommand({ command: '/greenlight', text, user, channel });
    return answer;
  }

  /**
   * A click on a button of a message the bot posted. The button is looked up in the message, so the
   * payload carries its real block id, text and style; `value` is what the test says it holds.
   */
  clickButton(input: { channel: string; messageTs: string; actionId: string; value: string; user: string }) {
    const message = this.stack.slack
      .messages(input.channel)
      .find((candidate) => candidate.ts === input.messageTs);
    const found = findElementByActionId(message?.blocks, input.actionId);
    const action = found
      ? { ...actionDetails(found), value: input.value }
      : {
          type: 'button',
          action_id: input.actionId,
          block_id: 'actions',
          text: { type: 'plain_text', text: input.actionId },
          value: input.value,
        };
    return this.slackCaller.clickInMessage({
      user: input.user,
      channel: input.channel,
      messageTs: input.messageTs,
      action,
    });
  }

  /** Submits a modal: `values` is the view's `state.values` as Slack sends it. */
  submitView(input: {
    user: string;
    callbackId: string;
    values: Record<string, unknown>;
    privateMetadata?: string;
  }) {
    return this.slackCaller.submitView({
      user: input.user,
      view: { callback_id: input.callbackId, private_metadata: input.privateMetadata ?? '' },
      stateValues: input.values,
    });
  }

  /** Opens a WebSocket client; resolves once open, rejects with the refusal's HTTP status. */
  connectWebSocket(query = ''): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${this.stack.websocket.url}${query}`);
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`refused with ${response.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }
}

export function proxyResultBody(result: unknown): Record<string, unknown> {
  return JSON.parse((result as APIGatewayProxyResult).body) as Record<string, unknown>;
}
