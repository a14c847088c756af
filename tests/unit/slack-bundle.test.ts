import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { build, type Metafile } from 'esbuild';
import { bundleOptions, handlerFile, lambdaFunction } from '../../scripts/lambda-functions';

/**
 * What the Slack function's handler bundle (functions/slack.js) holds: every byte in it is parsed at each cold
 * start, so what a slash command never runs is kept out (see scripts/lambda-functions.ts).
 */
const REPO_ROOT = join(__dirname, '../..');
let handlerInputs: string[];
let chunkInputs: string[];

function inputsOf(metafile: Metafile, output: string): string[] {
  const found = Object.entries(metafile.outputs).find(([path]) => path.endsWith(output));
  if (found === undefined) throw new Error(`no output ${output}`);
  return Object.keys(found[1].inputs);
}

beforeAll(async () => {
  const { metafile } = await build({
    ...bundleOptions(lambdaFunction('slack')),
    absWorkingDir: REPO_ROOT,
    outdir: 'out',
    write: false,
    metafile: true,
  });
  handlerInputs = inputsOf(metafile, `out/${handlerFile(lambdaFunction('slack'))}`);
  chunkInputs = inputsOf(metafile, 'out/slack/web-api-chunk.js');
});

const matching = (inputs: string[], pattern: RegExp) => inputs.filter((input) => pattern.test(input));

describe("the Slack function's handler bundle", () => {
  it('leaves @slack/web-api to its chunk', () => {
    expect({
      inHandler: matching(handlerInputs, /@slack\/web-api\//),
      inChunk: matching(chunkInputs, /@slack\/web-api\/dist\/WebClient\.js$/).length,
    }).toEqual({ inHandler: [], inChunk: 1 });
  });

  it("leaves out Bolt's stock receivers and what only they use", () => {
    // Express, OAuth and Socket Mode are about 1.2 MB of the bundle (docs/cold-start.md).
    const stockReceivers =
      /bolt\/dist\/receivers\/|node_modules\/(express|raw-body|path-to-regexp|tsscmp|@slack\/(oauth|socket-mode))\//;
    expect(matching(handlerInputs, stockReceivers)).toEqual([]);
  });

  it("holds of the SDK's credentials only the environment's, which Lambda sets", () => {
    // The rest of the SDK's default chain was 115 KB of the handler's file (app/shared/aws/lambda-credentials.ts).
    const chain =
      /@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)\/|@smithy\/credential-provider-imds\//;
    expect({
      chain: matching(handlerInputs, chain),
      env: matching(handlerInputs, /@aws-sdk\/credential-provider-env\//).length > 0,
    }).toEqual({ chain: [], env: true });
  });

  it('holds the DynamoDB client tree-shaken: not the whole client and its waiters', () => {
    // An import() of an SDK module defeats esbuild's tree-shaking, and the whole client comes back.
    expect(matching(handlerInputs, /client-dynamodb\/dist-es\/(DynamoDB\.js|waiters\/)/)).toEqual([]);
  });
});
