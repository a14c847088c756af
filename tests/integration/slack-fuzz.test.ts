import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import fc from 'fast-check';
import { buildSlackFunction, loadFresh } from '../helpers/function-bundles';
import { TestStack } from '../helpers/local-stack';
import { encodeCase, type FuzzCase, fixtureNames, fuzzCase } from '../helpers/slack-fuzz';
import { lambdaContext, slackRequest } from '../helpers/slack-requests';

/**
 * The Slack function's own bundle, on the local stack, fed correctly signed requests whose bodies
 * are real fixtures mutated at random: none may answer 500 or more, none may throw. The run is
 * seeded (FUZZ_SEED to replay one, FUZZ_RUNS for more cases); a failure prints the seed, the
 * shrunk case, the response and the function's error log lines.
 */
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

const scratch = mkdtempSync(join(tmpdir(), 'greenlight-slack-fuzz-'));
let stack: TestStack;
let handler: Handler;
let eventCount = 0;

beforeAll(async () => {
  // Error lines are what a failing case prints; they are captured per case, never shown otherwise.
  stack = await TestStack.start({ environment: { LOG_LEVEL: 'error' } });
  ({ handler } = loadFresh<{ handler: Handler }>(await buildSlackFunction(scratch)));
});

afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Sends one case, signed with the stack's secret, and returns the answer with the log lines it wrote. */
async function send(fuzz: FuzzCase) {
  const { slack } = stack.stack;
  eventCount += 1;
  const request = encodeCase(fuzz, {
    responseUrl: slack.createResponseUrl({ channel: 'C0APPROVAL', userId: 'U0APPROVER' }),
    triggerId: slack.createTriggerId({ userId: 'U0APPROVER' }),
    eventId: `Ev0FUZZ${eventCount}`,
  });
  const event = slackRequest(request.body, {
    contentType: request.contentType,
    secret: stack.stack.secrets.signingSecret,
  });
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk).trim());
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await handler(event, lambdaContext());
    return { result, lines, request };
  } finally {
    process.stdout.write = write;
  }
}

describe('the Slack function, fed signed but malformed requests', () => {
  it.each(fixtureNames().map((name) => [name]))(
    'serves the unmutated %s fixture with a 2xx',
    async (name) => {
      const { result } = await send({ fixture: name, mutations: [], encoding: 'as-slack-sends' });
      expect({
        status: result.statusCode,
        success: result.statusCode >= 200 && result.statusCode < 300,
      }).toEqual({
        status: expect.any(Number),
        success: true,
      });
    },
  );

  it(`answers ${RUNS} mutated, signed requests (seed ${SEED}) below 500, and never throws`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (fuzz) => {
        const { result, lines, request } = await send(fuzz);
        statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
        if (result.statusCode >= 500) {
          throw new Error(
            `answered ${result.statusCode} ${result.body}\n` +
              `request (${request.contentType}): ${request.body.slice(0, 2000)}\n` +
              `log: ${lines.join('\n').slice(0, 4000)}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false },
    );
    // The cases reach both the shape checks (400) and the listeners (200); none fails the signature.
    expect({
      served: (statuses.get(200) ?? 0) > RUNS / 20,
      refused: (statuses.get(400) ?? 0) > RUNS / 20,
      unsigned: statuses.get(401) ?? 0,
    }).toEqual({ served: true, refused: true, unsigned: 0 });
  });
});
