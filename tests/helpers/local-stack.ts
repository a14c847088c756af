import type { APIGatewayProxyResult } from 'aws-lambda';
import WebSocket from 'ws';
import type { ServiceName } from '../../local/dev-config';
import { signSlackRequest } from '../../local/slack-signature';
import { type LocalStack, type StackOptions, startStack } from '../../local/stack';
import blockActionsFixture from '../fixtures/slack/block-actions.json';
import slashCommandFixture from '../fixtures/slack/slash-command.json';
import viewSubmissionFixture from '../fixtures/slack/view-submission.json';

// Typed as every service, so a new one cannot be left on its fixed default port (tests run in parallel).
const ALL_FREE_PORTS: Record<ServiceName, number> = {
  sandbox: 0,
  rest: 0,
  websocket: 0,
  dynamodb: 0,
  stepfunctions: 0,
  ses: 0,
  slackApi: 0,
  secretsManager: 0,
};

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
  private constructor(readonly stack: LocalStack) {}

  static async start(options: StackOptions = {}): Promise<TestStack> {
    return new TestStack(
      await startStack({
        ports: ALL_FREE_PORTS,
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

  /** POSTs a body to /slack/events signed as Slack signs it. */
  signedSlackPost(
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    return this.post('/slack/events', body, {
      'Content-Type': contentType,
      ...signSlackRequest(this.stack.secrets.signingSecret, body),
      ...headers,
    });
  }

  /** `/greenlight <text>` typed by `user` in `channel`, with a live response_url and trigger_id. */
  slashCommand(text: string, { user = 'U0REQUESTR', channel = 'C0APPROVAL' } = {}): Promise<HttpAnswer> {
    const person = this.stack.endpoints.users.find((candidate) => candidate.id === user);
    const body = new URLSearchParams({
      ...slashCommandFixture,
      team_id: this.stack.endpoints.team.id,
      user_id: user,
      user_name: person?.name ?? user,
      channel_id: channel,
      text,
      response_url: this.stack.slack.createResponseUrl({ channel, userId: user }),
      trigger_id: this.stack.slack.createTriggerId({ userId: user }),
    }).toString();
    return this.signedSlackPost(body, 'application/x-www-form-urlencoded');
  }

  /** A click on a button of a message the bot posted. */
  clickButton(input: { channel: string; messageTs: string; actionId: string; value: string; user: string }) {
    const message = this.stack.slack
      .messages(input.channel)
      .find((candidate) => candidate.ts === input.messageTs);
    const payload = {
      ...blockActionsFixture,
      user: { id: input.user, username: input.user, name: input.user, team_id: this.stack.endpoints.team.id },
      channel: { id: input.channel, name: input.channel },
      container: {
        type: 'message',
        message_ts: input.messageTs,
        channel_id: input.channel,
        is_ephemeral: false,
      },
      message: message ?? blockActionsFixture.message,
      trigger_id: this.stack.slack.createTriggerId({ userId: input.user }),
      response_url: this.stack.slack.createResponseUrl({
        channel: input.channel,
        userId: input.user,
        messageTs: input.messageTs,
      }),
      actions: [{ ...blockActionsFixture.actions[0], action_id: input.actionId, value: input.value }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.signedSlackPost(body, 'application/x-www-form-urlencoded');
  }

  /** Submits a modal: `values` is the view's `state.values` as Slack sends it. */
  submitView(input: {
    user: string;
    callbackId: string;
    values: Record<string, unknown>;
    privateMetadata?: string;
  }) {
    const payload = {
      ...viewSubmissionFixture,
      user: { ...viewSubmissionFixture.user, id: input.user, username: input.user, name: input.user },
      trigger_id: this.stack.slack.createTriggerId({ userId: input.user }),
      view: {
        ...viewSubmissionFixture.view,
        callback_id: input.callbackId,
        private_metadata: input.privateMetadata ?? '',
        state: { values: input.values },
      },
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.signedSlackPost(body, 'application/x-www-form-urlencoded');
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
