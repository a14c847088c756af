import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { FREE_PORTS } from '@greenlight/local-stack/dev-config';
import { type LocalStack, startStack } from '@greenlight/local-stack/stack';
import WebSocket from 'ws';
import { managementApi } from '../app/shared/aws/api-gateway-management';
import { encodeFrame } from '../app/websocket/connection-sender';
import { mintConnectionToken } from '../app/websocket/connection-token';
import { DEFAULT_BROADCAST_CONCURRENCY } from '../app/websocket/limits';
import { PRODUCT_HOOKS } from '../scripts/local-hooks';
import { median, round } from './stats';

/**
 * Issue 5's figures: a broadcast to thousands of real `ws` clients connected through the local
 * gateway's `$connect` (so every row is one the function wrote), timed until the last client has
 * its copy, with each client's copies counted. In the same run, on the same rows and clients: a
 * naive broadcast (one Scan page, unbounded Promise.all), and how many clients it missed.
 */

// A real browser's user agent: rows the size production rows have, which decides what one Scan page holds.
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CONNECT_CONCURRENCY = 64;
const DELIVERY_TIMEOUT_MS = 60_000;

/** One client: counts the copies of each broadcast it receives, by the broadcast's id. */
class CountingClient {
  readonly copies = new Map<string, number>();
  constructor(
    readonly socket: WebSocket,
    private readonly onCopy: (id: string) => void,
  ) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: unknown; message?: unknown };
      const id =
        typeof frame.id === 'string' ? frame.id : typeof frame.message === 'string' ? frame.message : '';
      this.copies.set(id, (this.copies.get(id) ?? 0) + 1);
      this.onCopy(id);
    });
  }
}

class Deliveries {
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Map<string, { target: number; resolve: () => void }>();

  record = (id: string) => {
    const count = (this.counts.get(id) ?? 0) + 1;
    this.counts.set(id, count);
    const waiter = this.waiters.get(id);
    if (waiter && count >= waiter.target) waiter.resolve();
  };

  /** Resolves when `target` copies of `id` have arrived, or after the timeout (then some are missing). */
  until(id: string, target: number, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<void> {
    if ((this.counts.get(id) ?? 0) >= target) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.set(id, {
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

async function connectAll(
  stack: LocalStack,
  count: number,
  deliveries: Deliveries,
): Promise<CountingClient[]> {
  const key = stack.secrets.websocketTokenKey;
  const clients: CountingClient[] = [];
  let next = 0;
  const connectOne = (index: number) =>
    new Promise<CountingClient>((resolve, reject) => {
      const token = mintConnectionToken(key, `bench${index}`, Date.now() + 3_600_000);
      const socket = new WebSocket(`${stack.websocket.url}?token=${token}`, {
        headers: { 'User-Agent': USER_AGENT },
      });
      socket.once('open', () => resolve(new CountingClient(socket, deliveries.record)));
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`refused: ${response.statusCode}`)),
      );
      socket.once('error', reject);
    });
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      clients.push(await connectOne(index));
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  return clients;
}

function tally(clients: CountingClient[], id: string, expected: CountingClient[] = clients) {
  const expectedSet = new Set(expected);
  let once = 0;
  let missed = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const client of clients) {
    const copies = client.copies.get(id) ?? 0;
    if (!expectedSet.has(client)) {
      if (copies > 0) unexpected += 1;
      continue;
    }
    if (copies === 1) once += 1;
    else if (copies === 0) missed += 1;
    else duplicated += 1;
  }
  return { exactlyOnce: once, missed, duplicated, unexpected };
}

/** Every row, counted over every page (a COUNT Scan pages at 1 MB too). */
async function countRows(db: DynamoDBDocumentClient): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: 'ConnectionsTable',
        Select: 'COUNT',
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return count;
}

interface Run extends ReturnType<typeof tally> {
  /** Until the broadcasting code returned (NaN when the code runs inside the gateway's function). */
  returnedMs: number;
  /** Until the last client had its copy. */
  deliveredMs: number;
  failed: number;
}

type Summary = ReturnType<typeof summarize>;

function summarize(broadcast: string, recipients: number, runs: Run[]) {
  const deliveredMs = median(runs.map((run) => run.deliveredMs));
  const returned = runs.map((run) => run.returnedMs).filter((ms) => !Number.isNaN(ms));
  return {
    broadcast,
    recipients,
    rounds: runs.length,
    allExactlyOnce: runs.every((run) => run.exactlyOnce === recipients && run.unexpected === 0),
    missedPerRound: Math.max(...runs.map((run) => run.missed)),
    duplicated: Math.max(...runs.map((run) => run.duplicated)),
    failedPosts: Math.max(...runs.map((run) => run.failed)),
    medianReturnedMs: returned.length > 0 ? round(median(returned), 1) : null,
    medianDeliveredMs: round(deliveredMs, 1),
    messagesPerSecond: Math.round(
      ((recipients - Math.max(...runs.map((run) => run.missed))) / deliveredMs) * 1000,
    ),
  };
}

export interface BroadcastBenchOptions {
  connections: number;
  /** Each broadcast is run this many times, alternating with the others; medians are reported. */
  rounds: number;
}

export async function benchBroadcast({ connections, rounds }: BroadcastBenchOptions) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stack = await startStack({
    hooks: PRODUCT_HOOKS,
    ports: FREE_PORTS,
    dataDir: undefined,
    // The functions' per-request lines would drown the table; warnings and errors still show.
    environment: { LOG_LEVEL: 'warn' },
  });
  try {
    // Loaded after the stack has set the functions' environment (LOG_LEVEL included), as Lambda would.
    const { approvalFrame, pushApprovalChange } = await import('../app/websocket/client-push');
    const deliveries = new Deliveries();
    const connectStart = performance.now();
    const clients = await connectAll(stack, connections, deliveries);
    const connectMs = performance.now() - connectStart;
    const db = DynamoDBDocumentClient.from(stack.dynamodb.client);
    const rowsInTable = await countRows(db);

    const [sender] = clients;
    if (sender === undefined) throw new Error('no clients connected');
    const management = managementApi(stack.websocket.managementEndpoint);
    const bounded: Run[] = [];
    const endToEnd: Run[] = [];
    const naive: Run[] = [];
    let naiveScanPageRows = 0;

    const change = (id: string) => ({
      id,
      status: 'APPROVED' as const,
      title: 'Benchmark',
      requester: 'bench',
      at: new Date().toISOString(),
    });

    // 1. The bridge's broadcast, as another Lambda function calls it: every page, bounded posts.
    const runBounded = async (pass: number) => {
      const id = `GL-BENCH${pass}`;
      const start = performance.now();
      const pushed = await pushApprovalChange(change(id));
      const returnedMs = performance.now() - start;
      await deliveries.until(id, connections);
      const deliveredMs = performance.now() - start;
      bounded.push({ returnedMs, deliveredMs, ...tally(clients, id), failed: pushed.failed });
    };

    // 2. A client's sendmessage, end to end: gateway, function (mirror + broadcast), every other client.
    const runEndToEnd = async (pass: number) => {
      const text = `bench-message-${pass}`;
      const start = performance.now();
      sender.socket.send(JSON.stringify({ action: 'sendmessage', message: text }));
      await deliveries.until(text, connections - 1);
      const deliveredMs = performance.now() - start;
      endToEnd.push({
        returnedMs: Number.NaN,
        deliveredMs,
        ...tally(clients, text, clients.slice(1)),
        failed: 0,
      });
    };

    // 3. The naive broadcast of the same frame on the same rows: one Scan page, every post at once.
    const runNaive = async (pass: number) => {
      const id = `GL-NAIVE${pass}`;
      const data = encodeFrame(approvalFrame(change(id)));
      const start = performance.now();
      const page = await db.send(new ScanCommand({ TableName: 'ConnectionsTable' }));
      const items = page.Items ?? [];
      naiveScanPageRows = items.length;
      const posts = await Promise.allSettled(
        items.map((item) =>
          management.send(
            new PostToConnectionCommand({ ConnectionId: item.connectionId as string, Data: data }),
          ),
        ),
      );
      const returnedMs = performance.now() - start;
      const posted = posts.filter((post) => post.status === 'fulfilled').length;
      // Every successful post has written its frame: wait for those, then count who has nothing.
      await deliveries.until(id, posted, 10_000);
      const deliveredMs = performance.now() - start;
      naive.push({ returnedMs, deliveredMs, ...tally(clients, id), failed: posts.length - posted });
    };

    // Not measured: the first broadcast also pays for opening sockets and compiling the code paths.
    await pushApprovalChange(change('GL-WARMUP'));
    await deliveries.until('GL-WARMUP', connections);

    const variants = [runBounded, runEndToEnd, runNaive];
    for (let pass = 1; pass <= rounds; pass += 1) {
      // Each round starts with a different variant, so none always runs first (or last).
      const offset = (pass - 1) % variants.length;
      for (const run of [...variants.slice(offset), ...variants.slice(0, offset)]) await run(pass);
    }

    const table = [
      summarize(
        `pushApprovalChange: every page, ${DEFAULT_BROADCAST_CONCURRENCY} posts in flight`,
        connections,
        bounded,
      ),
      summarize('sendmessage from one client, end to end (mirror + broadcast)', connections - 1, endToEnd),
      summarize('naive: one Scan page, unbounded Promise.all', connections, naive),
    ];
    const [boundedRow, endToEndRow, naiveRow] = table as [Summary, Summary, Summary];
    return {
      connections,
      rounds,
      rowsInTable,
      connectMs: round(connectMs, 0),
      connectsPerSecond: Math.round((connections / connectMs) * 1000),
      naiveScanPageRows,
      naiveMissedPerRound: naiveRow.missedPerRound,
      everyClientExactlyOnce: boundedRow.allExactlyOnce && endToEndRow.allExactlyOnce,
      table,
    };
  } finally {
    await stack.stop();
  }
}
