import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type LocalCodePipeline, startCodePipeline } from './codepipeline';
import { lockDataDir } from './data-dir-lock';
import {
  DEFAULT_PORTS,
  DEV_SECRET_KEYS,
  DEV_SECRETS,
  LOCAL_ACCOUNT,
  LOCAL_PARAMETERS,
  LOCAL_REGION,
  LOCAL_STAGE,
  type ServiceName,
  WORKSPACE,
} from './dev-config';
import { type DynamoDbEngine, type LocalDynamoDb, startDynamoDb } from './dynamodb';
import { type LocalEventBridge, startEventBridge } from './eventbridge';
import { type GitHubApi, startGitHubApi } from './github-api';
import { type LambdaApi, startLambdaApi } from './lambda-api';
import { createLambdaRuntime, type LambdaRuntime } from './lambda-runtime';
import type { ProductHooks } from './product-hooks';
import { type RestGateway, startRestGateway } from './rest-gateway';
import { type LocalSandbox, startSandbox } from './sandbox/server';
import { type Schedules, startSchedules } from './schedules';
import { type LocalSecretsManager, startSecretsManager } from './secrets-manager';
import { type Ses, startSes } from './ses';
import { previousLinkBase, recordLinkBase, restPortFor } from './ses/mailed-link-base';
import { type SlackApi, startSlackApi } from './slack-api';
import { type LocalSns, localSns } from './sns';
import { onPort } from './start-errors';
import { type StepFunctionsServer, startStepFunctionsServer } from './stepfunctions';
import {
  asyncInvokeSettings,
  functionDefinitions,
  loadTemplate,
  resolveValue,
  resourcesOfType,
  restRoutes,
  scheduleDefinitions,
  stateMachineDefinitions,
  type Template,
  websocketApi,
} from './template';
import { startWebSocketGateway, type WebSocketGateway, type WebSocketProxyEvent } from './websocket-gateway';

export interface StackOptions {
  /** What only the product knows: see product-hooks.ts. */
  hooks: ProductHooks;
  /** Per service; 0 picks a free port. Defaults: DEFAULT_PORTS. */
  ports?: Partial<Record<ServiceName, number>>;
  host?: string;
  /**
   * Where DynamoDB data, the e-mail outbox, Step Functions executions and the Slack stand-in's
   * workspace persist; undefined keeps everything in memory.
   */
  dataDir?: string | undefined;
  /** dynalite or DynamoDB Local; default: what GREENLIGHT_DYNAMODB asks for (dynalite when unset). */
  dynamodbEngine?: DynamoDbEngine;
  templatePath?: string;
  /** The directory the template's EntryPoints and DefinitionUris are relative to, as for `sam build`. Default: the working directory. */
  root?: string;
  /** Overrides for the dev secrets (from .env or the environment). */
  secrets?: Partial<Record<keyof typeof DEV_SECRETS, string>>;
  /** The Web API the functions call; default the local stand-in. `https://slack.com/api/` for a real workspace. */
  slackApiUrl?: string | undefined;
  /** The GitHub API the functions call; default the local stand-in (GITHUB_API_URL for a real one). */
  githubApiUrl?: string | undefined;
  /** Extra environment for every function (tests use it to tune budgets). */
  environment?: Record<string, string>;
  /** Waits before each retry of a failed `Event` invocation; default about a minute, then two, as on AWS. */
  asyncRetryDelaysMs?: readonly number[];
  /**
   * The template's schedules: on by default at their own rate. Tests that invoke a scheduled
   * function themselves turn them off; tests of the timers shorten the period.
   */
  schedules?: { enabled?: boolean; everyMs?: number };
}

export type StackSecrets = Record<keyof typeof DEV_SECRETS, string>;

export interface Endpoints {
  rest: string;
  slackEvents: string;
  websocket: string;
  websocketManagement: string;
  dynamodb: string;
  stepfunctions: string;
  ses: string;
  slackApi: string;
  secretsManager: string;
  lambda: string;
  eventBridge: string;
  codePipeline: string;
  githubApi: string;
  /** What the GitHub stand-in's (and a test's) webhook deliveries are signed with. */
  githubWebhookSecret: string;
  sandbox: string;
  region: string;
  stage: string;
  signingSecret: string;
  botToken: string;
  team: typeof WORKSPACE.team;
  users: typeof WORKSPACE.users;
  channels: typeof WORKSPACE.channels;
  userGroups: typeof WORKSPACE.userGroups;
}

export interface LocalStack {
  endpoints: Endpoints;
  secrets: StackSecrets;
  template: Template;
  runtime: LambdaRuntime;
  dynamodb: LocalDynamoDb;
  stepFunctions: StepFunctionsServer;
  ses: Ses;
  slack: SlackApi;
  secretsManager: LocalSecretsManager;
  lambda: LambdaApi;
  eventBridge: LocalEventBridge;
  github: GitHubApi;
  codePipeline: LocalCodePipeline;
  sns: LocalSns;
  schedules: Schedules;
  websocket: WebSocketGateway;
  rest: RestGateway;
  sandbox: LocalSandbox;
  stop(): Promise<void>;
}

// The seeded channel where WebSocket connections get their threads (template parameter MirrorChannelId).
const MIRROR_CHANNEL_ID = WORKSPACE.channels.find((channel) => channel.name === 'websocket-mirror')?.id ?? '';

/** The URLs (their `Ref`s) of the template's SQS queues. */
function queueUrls(template: Template, refs: Record<string, string>): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
    .flatMap(([id]) => (refs[id] === undefined ? [] : [refs[id]]));
}

/** What each logical id and pseudo parameter stands for on this machine. */
function localReferences(
  template: Template,
  stateMachineArn: (name: string) => string,
  functionArn: (id: string) => string,
) {
  const refs: Record<string, string> = {
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::StackName': 'greenlight-local',
    'AWS::URLSuffix': 'amazonaws.com',
    Stage: LOCAL_STAGE,
    MirrorChannelId: MIRROR_CHANNEL_ID,
  };
  const attributes: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const value = LOCAL_PARAMETERS[name] ?? parameter.Default;
    if (refs[name] === undefined && value !== undefined) refs[name] = String(value);
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        refs[id] = id;
        attributes[`${id}.Arn`] = `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${id}`;
        break;
      case 'AWS::Serverless::Function':
        refs[id] = id;
        attributes[`${id}.Arn`] = functionArn(id);
        break;
      case 'AWS::Serverless::StateMachine':
        refs[id] = stateMachineArn(id);
        attributes[`${id}.Arn`] = stateMachineArn(id);
        attributes[`${id}.Name`] = id;
        break;
      case 'AWS::SecretsManager::Secret':
        // Ref of a secret is its ARN, which ends with six characters Secrets Manager picks.
        refs[id] = `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${id}-L0CAL1`;
        break;
      case 'AWS::SQS::Queue':
        // Nothing serves SQS locally: an async function's dead letters are kept by the Lambda API,
        // and the messages a workflow sends (sqs:sendMessage) by the Step Functions endpoint.
        refs[id] = `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT}/${id}`;
        attributes[`${id}.Arn`] = `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${id}`;
        break;
      case 'AWS::Events::EventBus':
        refs[id] = id;
        attributes[`${id}.Name`] = id;
        attributes[`${id}.Arn`] = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${id}`;
        break;
      default:
        break;
    }
  }
  return { refs, attributes };
}

function resolveEach(
  values: Record<string, unknown>,
  refs: Record<string, string>,
  attributes: Record<string, string>,
) {
  const resolved: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    try {
      resolved[key] = resolveValue(value, refs, attributes);
    } catch {
      unresolved.push(key);
    }
  }
  return { resolved, unresolved };
}

/**
 * Every secret of the template, filled as an operator's `npm run secret-value` leaves it: the
 * template's own keys (its placeholder JSON) and every later key the stack has a dev value for. A
 * template key with no dev value stops the stack here rather than in a function.
 */
function localSecrets(template: Template, refs: Record<string, string>, secrets: StackSecrets) {
  return resourcesOfType(template, 'AWS::SecretsManager::Secret').map(([id, resource]) => {
    const created = Object.keys(JSON.parse(String(resource.Properties?.SecretString ?? '{}')) as object);
    const keys = [...new Set([...created, ...Object.keys(DEV_SECRET_KEYS)])];
    const values: Record<string, string> = {};
    for (const key of keys) {
      const devKey = (DEV_SECRET_KEYS as Record<string, keyof StackSecrets | undefined>)[key];
      if (devKey === undefined) throw new Error(`${id}: the local stack has no dev value for ${key}`);
      values[key] = secrets[devKey];
    }
    return { arn: refs[id] ?? id, secretString: JSON.stringify(values) };
  });
}

/** An Ed25519 private key as base64url PKCS#8 DER: the app secret's receipt signing key. */
const newEd25519Key = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');

/** The key stored at `file`, made and stored there the first time. */
function keptKey(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = newEd25519Key();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * Starts the whole product on this machine: every AWS API the functions call and Slack's Web API,
 * with the functions of template.yaml running unchanged in this process.
 */
export async function startStack(options: StackOptions): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const port = (name: ServiceName) => options.ports?.[name] ?? DEFAULT_PORTS[name];
  const secrets: StackSecrets = {
    ...DEV_SECRETS,
    githubAppPrivateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string,
    // Kept in the data directory, so receipts signed before a restart still verify after it.
    receiptSigningKey: options.dataDir
      ? keptKey(join(options.dataDir, 'receipt-signing-key'))
      : newEd25519Key(),
    ...options.secrets,
  };
  const template = loadTemplate(options.templatePath ?? 'template.yaml');
  const started: Array<{ close(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.close().catch(() => {});
  };

  try {
    if (options.dataDir) started.push(lockDataDir(options.dataDir));
    const dynamodb = await onPort('dynamodb', port('dynamodb'), () =>
      startDynamoDb({
        template,
        port: port('dynamodb'),
        host,
        dataDir: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined,
        ...(options.dynamodbEngine ? { engine: options.dynamodbEngine } : {}),
      }),
    );
    started.push(dynamodb);
    const outboxDir = options.dataDir ? join(options.dataDir, 'outbox') : undefined;
    const linkBase = outboxDir ? previousLinkBase(outboxDir) : undefined;
    const ses = await onPort('ses', port('ses'), () =>
      startSes({ port: port('ses'), host, ...(outboxDir ? { outboxDir } : {}) }),
    );
    started.push(ses);
    const slack = await onPort('slackApi', port('slackApi'), () =>
      startSlackApi({
        port: port('slackApi'),
        host,
        botToken: secrets.botToken,
        signingSecret: secrets.signingSecret,
        team: WORKSPACE.team,
        appId: WORKSPACE.appId,
        botId: WORKSPACE.botId,
        botUserId: WORKSPACE.botUserId,
        users: WORKSPACE.users,
        channels: WORKSPACE.channels,
        userGroups: WORKSPACE.userGroups,
        dataFile: options.dataDir ? join(options.dataDir, 'slack', 'workspace.json') : undefined,
      }),
    );
    started.push(slack);

    const functions = functionDefinitions(template);
    const runtime = createLambdaRuntime({
      functions,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      ...(options.root ? { root: options.root } : {}),
    });
    const stateMachineArn = (name: string) =>
      `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
    const { refs, attributes } = localReferences(template, stateMachineArn, runtime.functionArn);

    const stateMachines = stateMachineDefinitions(template).map((machine) => {
      const { resolved, unresolved } = resolveEach(machine.substitutions, refs, attributes);
      if (unresolved.length)
        throw new Error(`${machine.logicalId}: cannot resolve substitutions ${unresolved.join(', ')}`);
      const text = readFileSync(resolve(options.root ?? '.', machine.definitionUri), 'utf8').replace(
        /\$\{(\w+)\}/g,
        (whole, key: string) => resolved[key] ?? whole,
      );
      return { name: machine.logicalId, type: machine.type, definition: text };
    });
    const stepFunctions = await onPort('stepfunctions', port('stepfunctions'), () =>
      startStepFunctionsServer({
        port: port('stepfunctions'),
        host,
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT,
        stateMachines,
        dynamodb: dynamodb.client,
        dataDir: options.dataDir ? join(options.dataDir, 'stepfunctions') : undefined,
        queueUrls: queueUrls(template, refs),
        invokeLambda: (name, payload) => {
          const logicalId = runtime.logicalIdOf(name);
          if (!logicalId) throw new Error(`No function ${name} in template.yaml`);
          return runtime.invoke(logicalId, payload);
        },
      }),
    );
    started.push(stepFunctions);

    const wsApi = websocketApi(template);
    const websocket = await onPort('websocket', port('websocket'), () =>
      startWebSocketGateway({
        port: port('websocket'),
        host,
        stage: LOCAL_STAGE,
        routeSelectionExpression: wsApi?.routeSelectionExpression ?? '$request.body.action',
        routes: [...(wsApi?.routes.keys() ?? [])],
        invoke: async (event: WebSocketProxyEvent) => {
          const logicalId = wsApi?.routes.get(event.requestContext.routeKey);
          if (!logicalId) throw new Error(`No integration for route ${event.requestContext.routeKey}`);
          return (await runtime.invoke(logicalId, event)) as
            | { statusCode?: number; body?: string }
            | undefined;
        },
      }),
    );
    started.push(websocket);

    const startRest = (restPort: number) =>
      startRestGateway({
        routes: restRoutes(template),
        stage: LOCAL_STAGE,
        port: restPort,
        host,
        invoke: (functionId, event) => runtime.invoke(functionId, event),
      });
    // Mailed links name the REST port: "any port" tries the one they point at first.
    const restPort = restPortFor(port('rest'), linkBase);
    const rest = await startRest(restPort).catch((error: NodeJS.ErrnoException) => {
      if (restPort === port('rest') || error.code !== 'EADDRINUSE') throw error;
      return onPort('rest', port('rest'), () => startRest(port('rest')));
    });
    started.push(rest);
    if (outboxDir) recordLinkBase(outboxDir, rest.url, linkBase);
    const secretsManager = await onPort('secretsManager', port('secretsManager'), () =>
      startSecretsManager({
        port: port('secretsManager'),
        host,
        secrets: localSecrets(template, refs, secrets),
      }),
    );
    started.push(secretsManager);
    const asyncSettings = asyncInvokeSettings(template);
    const lambda = await onPort('lambda', port('lambda'), () =>
      startLambdaApi({
        port: port('lambda'),
        host,
        runtime,
        ...(options.asyncRetryDelaysMs ? { retryDelaysMs: options.asyncRetryDelaysMs } : {}),
        asyncConfig: (logicalId) => {
          const settings = asyncSettings.get(logicalId);
          if (settings === undefined) throw new Error(`No function ${logicalId} in template.yaml`);
          const { onFailure, ...limits } = settings;
          return {
            ...limits,
            onFailure: onFailure === undefined ? undefined : resolveValue(onFailure, refs, attributes),
          };
        },
      }),
    );
    started.push(lambda);
    const eventBridge = await onPort('eventBridge', port('eventBridge'), () =>
      startEventBridge({
        port: port('eventBridge'),
        host,
        dataDir: options.dataDir ? join(options.dataDir, 'eventbridge') : undefined,
      }),
    );
    started.push(eventBridge);

    const github = await onPort('githubApi', port('githubApi'), () =>
      startGitHubApi({
        port: port('githubApi'),
        host,
        appId: refs.GitHubAppId ?? '',
        privateKeyPem: secrets.githubAppPrivateKey,
      }),
    );
    started.push(github);
    const codePipeline = await onPort('codePipeline', port('codePipeline'), () =>
      startCodePipeline({ port: port('codePipeline'), host, region: LOCAL_REGION }),
    );
    started.push(codePipeline);

    refs.RestApi = 'gl0ca1rest';
    refs.RestApiUrl = rest.url;
    slack.setEventsUrl(`${rest.url}/slack/events`);

    // The functions' environment: what template.yaml gives them, resolved locally (the secret's ARN
    // among it), plus the SDKs' standard endpoint settings. Set before any handler is first imported.
    const environment: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SFN: stepFunctions.url,
      AWS_ENDPOINT_URL_SES: ses.url,
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: websocket.managementEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.url,
      AWS_ENDPOINT_URL_CODEPIPELINE: codePipeline.url,
      // template.yaml builds it from the API's execute-api host, which has no local value (no ref
      // for WebSocketApi): here that host is this gateway, so the template's value gives way to this.
      WEBSOCKET_CALLBACK_URL: websocket.managementEndpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      SLACK_API_URL: options.slackApiUrl ?? slack.apiUrl,
      GITHUB_API_URL: options.githubApiUrl ?? github.url,
      SLACK_BOT_USER_ID: WORKSPACE.botUserId,
      SLACK_BOT_ID: WORKSPACE.botId,
    };
    // A URL of the deployed REST API (e.g. the e-mail link base) points at the local gateway here.
    const deployedRestUrl = `https://${refs.RestApi}.execute-api.${LOCAL_REGION}.amazonaws.com/${LOCAL_STAGE}`;
    const toLocalUrl = (value: string) =>
      value.startsWith(deployedRestUrl) ? `${rest.url}${value.slice(deployedRestUrl.length)}` : value;
    for (const fn of functions) {
      const { resolved, unresolved } = resolveEach(fn.environment, refs, attributes);
      const local = Object.fromEntries(
        Object.entries(resolved)
          .filter(([key]) => key !== 'NODE_OPTIONS')
          .map(([key, value]) => [key, toLocalUrl(value)]),
      );
      Object.assign(environment, local);
      for (const key of unresolved) {
        if (environment[key] === undefined)
          console.warn(`[stack] ${fn.logicalId}: ${key} has no local value`);
      }
    }
    Object.assign(environment, options.environment);
    // The secrets reach the functions through the local Secrets Manager only, as on AWS; a value
    // left in this process's environment (from .env, say) would be a second source, which they refuse.
    for (const name of Object.keys(DEV_SECRET_KEYS)) delete process.env[name];
    Object.assign(process.env, environment);

    const endpoints: Endpoints = {
      rest: rest.url,
      slackEvents: `${rest.url}/slack/events`,
      websocket: websocket.url,
      websocketManagement: websocket.managementEndpoint,
      dynamodb: dynamodb.endpoint,
      stepfunctions: stepFunctions.url,
      ses: ses.url,
      slackApi: slack.apiUrl,
      secretsManager: secretsManager.url,
      lambda: lambda.url,
      eventBridge: eventBridge.url,
      codePipeline: codePipeline.url,
      githubApi: github.url,
      githubWebhookSecret: secrets.githubWebhookSecret,
      sandbox: '',
      region: LOCAL_REGION,
      stage: LOCAL_STAGE,
      signingSecret: secrets.signingSecret,
      botToken: secrets.botToken,
      team: WORKSPACE.team,
      users: WORKSPACE.users,
      channels: WORKSPACE.channels,
      userGroups: WORKSPACE.userGroups,
    };
    const sandbox = await onPort('sandbox', port('sandbox'), () =>
      startSandbox({
        port: port('sandbox'),
        host,
        endpoints,
        slack,
        ses,
        stepFunctions,
        websocketUrl: websocket.url,
        signingSecret: secrets.signingSecret,
        websocketToken: (claims) => options.hooks.websocketToken(secrets.websocketTokenKey, claims),
        executionOutcome: options.hooks.executionOutcome,
        shortcuts: options.hooks.shortcuts,
        functions: options.hooks.functions,
        appId: WORKSPACE.appId,
        botUserId: WORKSPACE.botUserId,
      }),
    );
    started.push(sandbox);
    endpoints.sandbox = sandbox.url;
    // Last, once every function's environment is in place: a schedule may fire at any time after,
    // and a resumed execution may call any function at once.
    const schedules = startSchedules({
      schedules: options.schedules?.enabled === false ? [] : scheduleDefinitions(template),
      invoke: (logicalId, event) => lambda.invokeAsync(logicalId, event),
      ...(options.schedules?.everyMs ? { everyMs: options.schedules.everyMs } : {}),
    });
    started.push(schedules);
    const resumed = stepFunctions.resumeExecutions();
    if (resumed > 0) console.log(`[stack] resumed ${resumed} running workflow execution(s)`);

    return {
      endpoints,
      secrets,
      template,
      runtime,
      dynamodb,
      stepFunctions,
      ses,
      slack,
      secretsManager,
      lambda,
      eventBridge,
      github,
      codePipeline,
      sns: localSns({
        template,
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT,
        invokeAsync: (logicalId, event) => lambda.invokeAsync(logicalId, event),
      }),
      schedules,
      websocket,
      rest,
      sandbox,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export { resourcesOfType };
