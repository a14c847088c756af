import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http';
import { ChangeFeed } from './change-feed';
import { EventDeliverer } from './event-delivery';
import { messageEventCallback, newEventId } from './events-api-payload';
import { FunctionExecutions, functionExecutedCallback } from './function-executions';
import { appHomeOpenedCallback, HomeTabs } from './home-tabs';
import type { MethodContext } from './method-context';
import { MethodFaults } from './method-faults';
import { BodyTooLargeError, readBody } from './request-body';
import { RESPONSE_URL_PATH, ResponseUrls } from './response-urls';
import { SlackPersistence } from './slack-persistence';
import { TriggerIds } from './trigger-ids';
import type { PostAsUserInput, PostAsUserResult, SlackApi, SlackApiOptions } from './types';
import { ViewStore } from './view-store';
import { GRANTED_SCOPES } from './web-api-methods';
import { answerWebApiCall } from './web-api-request';
import { type AppIdentity, Workspace } from './workspace';

const API_PATH = '/api/';

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    ...headers,
  });
  response.end(json);
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the Slack Web API stand-in: the HTTP methods the app calls through `WebClient`, the
 * response_url endpoints, and the Events API deliveries of what simulated people type.
 */
export async function startSlackApi(options: SlackApiOptions): Promise<SlackApi> {
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const feed = new ChangeFeed();
  const identity: AppIdentity = {
    teamId: options.team.id,
    teamName: options.team.name,
    appId: options.appId,
    botId: options.botId,
    botUserId: options.botUserId,
    botName: options.users.find((user) => user.id === options.botUserId)?.name ?? 'greenlight',
  };
  const workspace = new Workspace(identity, options, now, feed);
  const views = new ViewStore(identity, now, feed);
  const triggers = new TriggerIds(now);
  const deliverer = new EventDeliverer(options.signingSecret, options.eventDelivery ?? {}, now, feed);
  deliverer.setUrl(options.eventsUrl);

  const server = createServer();
  const address = await listen(server, options.port ?? 0, host);
  const baseUrl = `http://${urlHost(host)}:${address.port}`;
  const responseUrls = new ResponseUrls(workspace, now, feed, baseUrl);
  const homes = new HomeTabs(identity, now, feed);
  const functions = new FunctionExecutions(now, feed);
  const context: MethodContext = { workspace, views, triggers, homes, functions, baseUrl };
  const persistence =
    options.dataFile === undefined
      ? undefined
      : new SlackPersistence(options.dataFile, { workspace, views, responseUrls });
  try {
    persistence?.load();
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  // Every way in that can change the workspace saves before it answers.
  const saved = <T>(result: T): T => {
    persistence?.save();
    return result;
  };
  const faults = new MethodFaults();

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const rawBody = await readBody(request);
    if (url.pathname.startsWith(API_PATH)) {
      const method = url.pathname.slice(API_PATH.length);
      // An injected failure answers before the method runs, so it changes nothing (a trigger id stays unspent).
      const fault = faults.take(method);
      if (fault !== undefined) {
        sendJson(response, 200, { ok: false, error: fault }, { 'X-OAuth-Scopes': GRANTED_SCOPES });
        return;
      }
      const body = saved(answerWebApiCall(method, request, url, rawBody, options.botToken, context));
      sendJson(response, 200, body, { 'X-OAuth-Scopes': GRANTED_SCOPES });
      return;
    }
    if (url.pathname.startsWith(RESPONSE_URL_PATH) && request.method === 'POST') {
      const id = url.pathname.slice(RESPONSE_URL_PATH.length);
      const answer = saved(responseUrls.receive(id, rawBody, request.headers['content-type'] ?? ''));
      sendJson(response, answer.status, answer.body);
      return;
    }
    sendJson(response, 404, { ok: false, error: 'not_found' });
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    route(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { ok: false, error: 'request_too_large' });
        return;
      }
      console.error('slack-api: request failed', error);
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: 'internal_error' });
    });
  });

  function postAsUser(input: PostAsUserInput): PostAsUserResult {
    workspace.requireUser(input.userId);
    // The bot's user id as channel stands for "the user's DM with the app".
    const channel =
      input.channel === identity.botUserId
        ? workspace.openDm(input.userId).channel
        : workspace.resolveChannel(input.channel, { userIdOpensDm: false });
    const message = saved(workspace.postAsPerson(channel.id, input.userId, input.text, input.threadTs));
    const eventId = newEventId();
    const payload = messageEventCallback(identity, channel, message, eventId, Math.floor(now() / 1000));
    return { message, channel: channel.id, delivery: deliverer.deliver(eventId, payload) };
  }

  return {
    apiUrl: `${baseUrl}${API_PATH}`,
    baseUrl,
    async close() {
      deliverer.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    setEventsUrl: (url) => deliverer.setUrl(url),
    channels: () =>
      workspace.channels().map((channel) => ({ ...channel, memberIds: [...channel.memberIds] })),
    messages: (channelId) => workspace.topLevel(channelId),
    thread: (channelId, threadTs) => workspace.thread(channelId, threadTs),
    ephemerals: (channelId) => workspace.ephemerals(channelId),
    views: () => views.list(),
    responses: () => responseUrls.list(),
    deliveries: () => deliverer.list(),
    users: () => workspace.users().map((user) => ({ ...user })),
    userGroups: () => workspace.userGroups().map((group) => ({ ...group, memberIds: [...group.memberIds] })),
    postAsUser,
    createResponseUrl: (input) => saved(responseUrls.create(input)),
    createTriggerId: (triggerOptions) => triggers.issue(triggerOptions?.userId),
    failMethod: (method, error, failOptions) => faults.add(method, error, failOptions?.times ?? 1),
    onChange: (listener) => feed.subscribe(listener),
    runFunction: (definition, inputs) => {
      const execution = functions.start(definition.callbackId, inputs);
      const eventId = newEventId();
      const payload = functionExecutedCallback(identity, {
        run: execution,
        definition,
        eventId,
        botToken: options.botToken,
        nowMs: now(),
      });
      return { execution, delivery: deliverer.deliver(eventId, payload) };
    },
    functionExecutions: () => functions.list(),
    homeView: (userId) => homes.get(userId),
    homePublishes: () => homes.published,
    openHome: (userId) => {
      workspace.requireUser(userId);
      const { channel } = workspace.openDm(userId);
      const eventId = newEventId();
      const payload = appHomeOpenedCallback(identity, {
        userId,
        dm: channel,
        view: homes.get(userId),
        eventId,
        nowMs: now(),
      });
      return deliverer.deliver(eventId, payload);
    },
  };
}
