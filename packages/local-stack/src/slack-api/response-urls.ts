import { randomBytes } from 'node:crypto';
import { ApiArgs } from './api-args';
import type { ChangeFeed } from './change-feed';
import { readSentContent, requireShowable } from './message-content';
import { SlackApiError } from './slack-api-error';
import type { Clock, ResponseOutcome, ResponseRecord, ResponseUrlInput } from './types';
import type { Workspace } from './workspace';

/** Slack honours a response_url for 30 minutes and at most 5 times. */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
export const RESPONSE_URL_MAX_USES = 5;

export const RESPONSE_URL_PATH = '/response-url/';

interface Grant {
  url: string;
  channel: string;
  userId: string;
  threadTs: string | undefined;
  issuedAt: number;
  uses: number;
  /** What `replace_original` / `delete_original` act on: the interaction's message, else the last response. */
  original: { ts: string; ephemeral: boolean } | undefined;
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

class ResponseRejected extends Error {
  constructor(
    readonly status: number,
    readonly failure: SlackApiError,
  ) {
    super(failure.code);
  }
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parsePayload(rawBody: string, contentType: string): Json {
  try {
    // Slack documents JSON; a form field `payload` holding JSON is accepted too.
    const json = contentType.includes('application/x-www-form-urlencoded')
      ? new URLSearchParams(rawBody).get('payload')
      : rawBody;
    const parsed: unknown = json === null ? undefined : JSON.parse(json);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Falls through to the rejection below: a body that is not JSON is the sender's error.
  }
  throw new ResponseRejected(400, new SlackApiError('invalid_payload'));
}

export interface ResponseUrlsSnapshot {
  grants: Array<[string, Grant]>;
  records: ResponseRecord[];
}

/**
 * The response_url endpoints handed to the app with slash commands and interactions. Each accepts
 * Slack's message payload (`text`, `blocks`, `response_type`, `replace_original`, `delete_original`,
 * `thread_ts`) and acts on the workspace like Slack: new ephemeral or in-channel messages, or a
 * replacement or deletion of the original.
 */
export class ResponseUrls {
  private readonly grants = new Map<string, Grant>();
  private readonly records: ResponseRecord[] = [];

  constructor(
    private readonly workspace: Workspace,
    private readonly now: Clock,
    private readonly feed: ChangeFeed,
    private readonly baseUrl: string,
  ) {}

  snapshot(): ResponseUrlsSnapshot {
    return { grants: [...this.grants.entries()], records: this.records };
  }

  /** A response_url names this server's port: it works after a restart on the same ports. */
  restore(snapshot: ResponseUrlsSnapshot): void {
    for (const [id, grant] of snapshot.grants) this.grants.set(id, grant);
    this.records.splice(0, this.records.length, ...snapshot.records);
  }

  create(input: ResponseUrlInput): string {
    const channel = this.workspace.resolveChannel(input.channel, { userIdOpensDm: true });
    this.workspace.requireUser(input.userId);
    const id = `${this.workspace.identity.teamId}/${randomBytes(6).toString('hex')}/${randomBytes(12).toString('hex')}`;
    const url = `${this.baseUrl}${RESPONSE_URL_PATH}${id}`;
    const messageTs = input.messageTs;
    let original: Grant['original'];
    if (messageTs !== undefined) {
      original = { ts: messageTs, ephemeral: this.workspace.ephemeral(messageTs) !== undefined };
    }
    this.grants.set(id, {
      url,
      channel: channel.id,
      userId: input.userId,
      threadTs: input.threadTs,
      issuedAt: this.now(),
      uses: 0,
      original,
    });
    return url;
  }

  list(): ResponseRecord[] {
    return this.records.map((record) => ({ ...record }));
  }

  receive(id: string, rawBody: string, contentType: string): HttpAnswer {
    let payload: unknown;
    const grant = this.grants.get(id);
    try {
      if (grant === undefined) throw new ResponseRejected(404, new SlackApiError('no_service'));
      if (this.now() - grant.issuedAt > RESPONSE_URL_LIFETIME_MS) {
        throw new ResponseRejected(404, new SlackApiError('expired_url'));
      }
      if (grant.uses >= RESPONSE_URL_MAX_USES) throw new ResponseRejected(404, new SlackApiError('used_url'));
      const body = parsePayload(rawBody, contentType);
      payload = body;
      const { outcome, ts } = this.apply(grant, body);
      grant.uses += 1;
      this.record(grant.url, payload, 200, outcome, undefined, ts);
      return { status: 200, body: { ok: true } };
    } catch (error) {
      const rejection =
        error instanceof ResponseRejected
          ? error
          : error instanceof SlackApiError
            ? new ResponseRejected(400, error)
            : undefined;
      if (rejection === undefined) throw error;
      this.record(grant?.url ?? id, payload, rejection.status, 'rejected', rejection.failure.code, undefined);
      return { status: rejection.status, body: rejection.failure.toResponse() };
    }
  }

  private apply(grant: Grant, body: Json): { outcome: ResponseOutcome; ts: string | undefined } {
    const args = new ApiArgs(body);
    const original = grant.original;
    if (args.boolean('delete_original')) {
      if (original === undefined) throw new SlackApiError('message_not_found');
      if (original.ephemeral) this.workspace.deleteEphemeral(original.ts);
      else this.workspace.delete(grant.channel, original.ts, false);
      grant.original = undefined;
      return { outcome: 'deleted', ts: original.ts };
    }
    const content = requireShowable(readSentContent(args));
    if (args.boolean('replace_original') && original !== undefined) {
      if (original.ephemeral) {
        this.workspace.replaceEphemeral(original.ts, { text: content.text, blocks: content.blocks });
      } else {
        // Replacing via response_url swaps the whole message (blocks removed if none are sent).
        this.workspace.update(
          grant.channel,
          original.ts,
          {
            text: content.text,
            blocks: content.blocks ?? [],
            attachments: content.attachments,
            metadata: undefined,
          },
          false,
        );
      }
      return { outcome: 'replaced', ts: original.ts };
    }
    const threadTs = args.string('thread_ts') ?? grant.threadTs;
    if (args.string('response_type') === 'in_channel') {
      const message = this.workspace.postAsBot(grant.channel, content, threadTs);
      grant.original = { ts: message.ts, ephemeral: false };
      return { outcome: 'in_channel', ts: message.ts };
    }
    const ephemeral = this.workspace.postEphemeral({
      channel: grant.channel,
      user: grant.userId,
      text: content.text,
      blocks: content.blocks,
      threadTs,
      source: 'response_url',
    });
    grant.original = { ts: ephemeral.ts, ephemeral: true };
    return { outcome: 'ephemeral', ts: ephemeral.ts };
  }

  private record(
    url: string,
    payload: unknown,
    status: number,
    outcome: ResponseOutcome,
    error: string | undefined,
    ts: string | undefined,
  ): void {
    const record: ResponseRecord = {
      url,
      receivedAt: new Date(this.now()).toISOString(),
      payload,
      status,
      outcome,
      error,
      ts,
    };
    this.records.push(record);
    this.feed.emit({ type: 'response_received', response: { ...record } });
  }
}
