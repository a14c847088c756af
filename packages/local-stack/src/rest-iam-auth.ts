import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { LOCAL_ACCOUNT } from './dev-config';

/**
 * API Gateway's AWS_IAM authorization, for the routes template.yaml marks `Auth: Authorizer:
 * AWS_IAM`: a request must carry a Signature Version 4 signature (service execute-api) by known
 * credentials, dated within 15 minutes; API Gateway then passes the caller's identity to the
 * function. Locally the only credentials are the functions' own (`local`/`local`), and the caller
 * is the account's user of that name.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
const MAX_SKEW_MS = 15 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** The path as sent, stage included, before any decoding. */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  now: number;
}

export type IamCheck =
  | {
      ok: true;
      identity: { accessKey: string; userArn: string; caller: string; accountId: string; user: string };
    }
  | { ok: false; status: 403; message: string };

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalPath(rawPath: string): string {
  // Every service but S3 signs each path segment URI-encoded twice (once by the URL, once by the signer).
  return rawPath
    .split('/')
    .map((segment) => encode(decodeURIComponent(segment)))
    .map((segment) => encode(segment))
    .join('/');
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query]
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

const refuse = (message: string): IamCheck => ({ ok: false, status: 403, message });

export function checkSigV4(request: SignedRequest, region: string): IamCheck {
  const header = (name: string) =>
    Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1];
  const authorization = header('authorization');
  if (!authorization) return refuse('Missing Authentication Token');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization.trim(),
    );
  if (!match)
    return refuse(`Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' (SigV4).`);
  const [, accessKey = '', date = '', signedRegion = '', service = '', signedHeaders = '', signature = ''] =
    match;
  if (accessKey !== LOCAL_CREDENTIALS.accessKeyId)
    return refuse('The security token included in the request is invalid.');
  if (signedRegion !== region || service !== 'execute-api')
    return refuse(
      `Credential should be scoped to a valid region and service execute-api, not ${signedRegion}/${service}.`,
    );
  const amzDate = header('x-amz-date') ?? '';
  const when = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!Number.isFinite(when) || !amzDate.startsWith(date))
    return refuse('The request must carry X-Amz-Date matching its credential scope.');
  if (Math.abs(request.now - when) > MAX_SKEW_MS)
    return refuse('Signature expired: the request is dated more than 15 minutes away.');
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return refuse('The host header must be signed.');
  const headerLines = names
    .map((name) => `${name}:${(header(name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  // The body that arrived is what is hashed: a signed x-amz-content-sha256 cannot vouch for another.
  const payloadHash = sha256(request.body);
  const canonical = [
    request.method,
    canonicalPath(request.rawPath),
    canonicalQuery(request.query),
    headerLines,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${signedRegion}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${LOCAL_CREDENTIALS.secretAccessKey}`, date);
  for (const part of [signedRegion, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(toSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return refuse(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  const user = LOCAL_CREDENTIALS.accessKeyId;
  return {
    ok: true,
    identity: {
      accessKey,
      accountId: LOCAL_ACCOUNT,
      caller: accessKey,
      user,
      userArn: `arn:aws:iam::${LOCAL_ACCOUNT}:user/${user}`,
    },
  };
}
