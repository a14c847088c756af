import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  explainStackError,
  generateManifest,
  loadManifestValidator,
  ManifestError,
  readManifest,
  requestUrlFromBase,
  requestUrlFromOutputs,
} from './manifest-tools';

const USAGE = `Writes manifest.json with its request URLs pointed at a deployment.

  npm run manifest -- --stack NAME [--region REGION] [--out FILE]
  npm run manifest -- --url-base https://HOST/STAGE [--out FILE]

  --stack      the CloudFormation stack \`sam deploy\` created; its \`SlackRequestUrl\` output is used
  --region     the stack's region (default: AWS_REGION or your profile's region)
  --url-base   instead of --stack: the https base of the API, stage included (e.g. a tunnel to the local stack)
  --out        where to write (default: manifest.generated.json)`;

interface Options {
  source: { stack: string; region: string | undefined } | { urlBase: string };
  out: string;
}

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: 'string' },
        region: { type: 'string' },
        'url-base': { type: 'string' },
        out: { type: 'string', default: 'manifest.generated.json' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new ManifestError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}

function readOptions(argv: string[]): Options | 'help' {
  const values = parseCommandLine(argv);
  if (values.help) return 'help';
  const out = values.out ?? 'manifest.generated.json';
  const urlBase = values['url-base'];
  if (values.stack !== undefined && urlBase !== undefined) {
    throw new ManifestError(`Give --stack or --url-base, not both.\n\n${USAGE}`);
  }
  if (values.stack !== undefined) return { source: { stack: values.stack, region: values.region }, out };
  if (urlBase !== undefined) {
    if (values.region !== undefined) throw new ManifestError('--region goes with --stack, not --url-base.');
    return { source: { urlBase }, out };
  }
  throw new ManifestError(`Say which deployment: --stack NAME or --url-base URL.\n\n${USAGE}`);
}

async function requestUrlOfStack(stack: string, region: string | undefined): Promise<string> {
  const client = new CloudFormationClient(region === undefined ? {} : { region });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stack }));
    return requestUrlFromOutputs(Stacks?.[0]?.Outputs, stack);
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    const resolvedRegion = await client.config.region().catch(() => region);
    const explanation = explainStackError(error, stack, resolvedRegion);
    if (explanation === undefined) throw error;
    throw new ManifestError(explanation, { cause: error });
  } finally {
    client.destroy();
  }
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const validate = loadManifestValidator();
  // Check the source first, so a broken manifest.json is not blamed on the stack.
  const manifest = readManifest(validate);
  const requestUrl =
    'stack' in options.source
      ? await requestUrlOfStack(options.source.stack, options.source.region)
      : requestUrlFromBase(options.source.urlBase);
  const generated = generateManifest(manifest, requestUrl, validate);
  writeFileSync(options.out, `${JSON.stringify(generated, null, 2)}\n`);

  console.log(`Wrote ${options.out}: every request URL is ${requestUrl}

Next:
  1. https://api.slack.com/apps → Create New App → From a manifest → pick the workspace,
     choose JSON, paste ${options.out}, then Create.
     (Updating an app that exists? Its "App Manifest" page → paste → Save Changes.)
  2. Install to Workspace. Put the Bot User OAuth Token (OAuth & Permissions, xoxb-…) and the
     Signing Secret (Basic Information → App Credentials) in the stack's secret: README,
     "Deploy to AWS and install in Slack", step 3.
  3. Event Subscriptions: if Slack shows the request URL as unverified, click Retry once the stack is up.
  4. Invite the bot to the approvals and mirror channels: /invite @Greenlight
See docs/slack-app.md for the details.`);
}

main().catch((error: unknown) => {
  if (error instanceof ManifestError) console.error(`manifest: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
});
