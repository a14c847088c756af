import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, readBody } from '../http';
import { IdentityPolicy } from './identity-policy';
import { Outbox } from './outbox';
import { errorResponse, QueryParams, successResponse, type XmlAnswer } from './query-protocol';
import { type SendContext, sendEmail, sendRawEmail } from './send-email';
import { SesError } from './ses-error';
import type { OutboxMessage, Ses, SesOptions } from './types';

/** Room for a 10 MB message, base64-encoded, plus the other parameters. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const DEFAULT_REGION = 'us-east-1';

type ActionHandler = (params: QueryParams, context: SendContext) => Promise<OutboxMessage> | OutboxMessage;

const ACTIONS: ReadonlyMap<string, ActionHandler> = new Map<string, ActionHandler>([
  ['SendEmail', sendEmail],
  ['SendRawEmail', sendRawEmail],
]);

/** The region the client signed for (SigV4 credential scope), which SES names in its messages. */
function signedRegion(request: IncomingMessage): string {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/ses\//.exec(request.headers.authorization ?? '');
  return scope?.[1] ?? DEFAULT_REGION;
}

function send(response: ServerResponse, answer: XmlAnswer): void {
  response.writeHead(answer.status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(answer.xml),
    'x-amzn-RequestId': answer.requestId,
  });
  response.end(answer.xml);
}

/**
 * Starts a local SES (v1, AWS Query protocol) that accepts `SendEmail` and `SendRawEmail`, answers
 * and fails like SES, and keeps every accepted message in an outbox instead of sending it.
 */
export async function startSes(options: SesOptions = {}): Promise<Ses> {
  const host = options.host ?? '127.0.0.1';
  const outbox = new Outbox(options.outboxDir);
  const policy = new IdentityPolicy(options.verifiedIdentities);

  async function answer(request: IncomingMessage): Promise<XmlAnswer> {
    const raw = await readBody(request, MAX_REQUEST_BYTES);
    if (raw === 'too_large') throw new SesError('MessageRejected', 'Request is too large.', 413);
    const body = raw.toString('utf8');
    if (request.method !== 'POST') throw new SesError('InvalidAction', 'Only POST requests are supported.');
    const params = new QueryParams(body);
    const action = params.get('Action');
    if (action === undefined) throw new SesError('MissingAction', 'Missing Action');
    const handler = ACTIONS.get(action);
    if (handler === undefined) {
      throw new SesError('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
    const message = await handler(params, { policy, region: signedRegion(request), now: new Date() });
    outbox.add(message);
    return successResponse(action, { MessageId: message.messageId });
  }

  const server = createServer((request, response) => {
    answer(request)
      .catch((error: unknown) => {
        if (error instanceof SesError) return errorResponse(error);
        console.error('ses: request failed', error);
        return errorResponse(
          new SesError('InternalFailure', 'The request processing has failed.', 500, 'Receiver'),
        );
      })
      .then((result) => send(response, result));
  });
  const address = await listen(server, options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    outbox: () => outbox.list(),
    clear: () => outbox.clear(),
    onMessage: (listener) => outbox.subscribe(listener),
  };
}
