import { readFileSync } from 'node:fs';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { parse, type Tags } from 'yaml';

/**
 * Reads template.yaml so the local stack serves what is deployed: REST routes, tables, functions
 * and state machines come from the template, never from a second list kept by hand.
 */
export type Template = {
  Parameters?: Record<string, { Default?: unknown }>;
  Globals?: { Function?: { Timeout?: number; Environment?: { Variables?: Record<string, unknown> } } };
  Resources: Record<string, Resource>;
  Outputs?: Record<string, unknown>;
};
export type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
};

const INTRINSICS = ['Ref', 'Condition'] as const;
const FUNCTIONS = [
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
] as const;

// CloudFormation's short forms (!Ref, !Sub, !GetAtt …) read into their long JSON forms.
export const cloudFormationTags: Tags = [
  ...INTRINSICS.map((name) => ({ tag: `!${name}`, resolve: (value: string) => ({ [name]: value }) })),
  ...FUNCTIONS.flatMap((name) => [
    { tag: `!${name}`, resolve: (value: string) => ({ [`Fn::${name}`]: value }) },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (value: unknown) => ({ [`Fn::${name}`]: toJs(value) }),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (value: unknown) => ({ [`Fn::${name}`]: toJs(value) }),
    },
  ]),
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.', 2) }) },
  {
    tag: '!GetAtt',
    collection: 'seq' as const,
    resolve: (value: unknown) => ({ 'Fn::GetAtt': toJs(value) }),
  },
];

function toJs(node: unknown): unknown {
  return node !== null && typeof node === 'object' && 'toJSON' in node
    ? (node as { toJSON(): unknown }).toJSON()
    : node;
}

export function parseTemplate(text: string): Template {
  return parse(text, { customTags: cloudFormationTags }) as Template;
}

export function loadTemplate(path = 'template.yaml'): Template {
  return parseTemplate(readFileSync(path, 'utf8'));
}

export function resourcesOfType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export interface RestRoute {
  method: string;
  path: string;
  functionId: string;
  /** `Auth: Authorizer: AWS_IAM`: only SigV4-signed callers reach the function. */
  iam?: boolean;
}

/** `Events` of type Api on each function: the REST API's routes. */
export function restRoutes(template: Template): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const [functionId, resource] of resourcesOfType(template, 'AWS::Serverless::Function')) {
    const events = (resource.Properties?.Events ?? {}) as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    for (const event of Object.values(events)) {
      if (event.Type !== 'Api') continue;
      const auth = event.Properties.Auth as { Authorizer?: unknown } | undefined;
      routes.push({
        method: String(event.Properties.Method).toUpperCase(),
        path: String(event.Properties.Path),
        functionId,
        ...(auth?.Authorizer === 'AWS_IAM' ? { iam: true } : {}),
      });
    }
  }
  return routes;
}

/** Each DynamoDB table as a CreateTable request, named after its logical id (CloudFormation names it on AWS). */
export function tableDefinitions(
  template: Template,
): Array<CreateTableCommandInput & { logicalId: string; ttlAttribute?: string }> {
  return resourcesOfType(template, 'AWS::DynamoDB::Table').map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    const ttl = props.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    const definition: CreateTableCommandInput & { logicalId: string; ttlAttribute?: string } = {
      logicalId,
      TableName: logicalId,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: props.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
      KeySchema: props.KeySchema as CreateTableCommandInput['KeySchema'],
    };
    const indexes = props.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes'];
    if (indexes) definition.GlobalSecondaryIndexes = indexes;
    if (ttl?.Enabled && ttl.AttributeName) definition.ttlAttribute = ttl.AttributeName;
    return definition;
  });
}

export interface FunctionDefinition {
  logicalId: string;
  entry: string;
  environment: Record<string, unknown>;
  timeoutSeconds: number;
}

export function functionDefinitions(template: Template): FunctionDefinition[] {
  const globals = template.Globals?.Function?.Environment?.Variables ?? {};
  return resourcesOfType(template, 'AWS::Serverless::Function').map(([logicalId, resource]) => {
    const build = (resource.Metadata?.BuildProperties ?? {}) as { EntryPoints?: string[] };
    const entry = build.EntryPoints?.[0];
    if (!entry) throw new Error(`${logicalId} has no Metadata.BuildProperties.EntryPoints`);
    const own =
      (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
      {};
    const timeoutSeconds = Number(resource.Properties?.Timeout ?? template.Globals?.Function?.Timeout ?? 3);
    return { logicalId, entry, environment: { ...globals, ...own }, timeoutSeconds };
  });
}

export interface StateMachineDefinition {
  logicalId: string;
  type: 'STANDARD' | 'EXPRESS';
  definitionUri: string;
  substitutions: Record<string, unknown>;
}

export function stateMachineDefinitions(template: Template): StateMachineDefinition[] {
  return resourcesOfType(template, 'AWS::Serverless::StateMachine').map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    if (typeof props.DefinitionUri !== 'string') throw new Error(`${logicalId} needs a DefinitionUri file`);
    return {
      logicalId,
      type: props.Type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      definitionUri: props.DefinitionUri,
      substitutions: (props.DefinitionSubstitutions ?? {}) as Record<string, unknown>,
    };
  });
}

export interface WebSocketApiDefinition {
  logicalId: string;
  routeSelectionExpression: string;
  /** Route key → the function its integration invokes. */
  routes: Map<string, string>;
}

/** The WebSocket API (AWS::ApiGatewayV2::Api with WEBSOCKET protocol), its routes and their functions. */
export function websocketApi(template: Template): WebSocketApiDefinition | undefined {
  const api = resourcesOfType(template, 'AWS::ApiGatewayV2::Api').find(
    ([, resource]) => resource.Properties?.ProtocolType === 'WEBSOCKET',
  );
  if (!api) return undefined;
  const functionIds = new Set(resourcesOfType(template, 'AWS::Serverless::Function').map(([id]) => id));
  const integrationTarget = (integrationId: string): string | undefined => {
    const uri = JSON.stringify(template.Resources[integrationId]?.Properties?.IntegrationUri ?? '');
    return [...functionIds].find((id) => uri.includes(`\${${id}.Arn}`) || uri.includes(`"${id}"`));
  };
  const routes = new Map<string, string>();
  for (const [, route] of resourcesOfType(template, 'AWS::ApiGatewayV2::Route')) {
    const target = JSON.stringify(route.Properties?.Target ?? '');
    const integrationId = /integrations\/\$\{(\w+)\}/.exec(target)?.[1];
    const fn = integrationId ? integrationTarget(integrationId) : undefined;
    if (fn) routes.set(String(route.Properties?.RouteKey), fn);
  }
  return {
    logicalId: api[0],
    routeSelectionExpression: String(api[1].Properties?.RouteSelectionExpression ?? '$request.body.action'),
    routes,
  };
}

/**
 * Resolves the intrinsic functions the template uses in environment variables and definition
 * substitutions, given what each logical id stands for locally (`Ref`) and its attributes (`GetAtt`).
 */
export function resolveValue(
  value: unknown,
  refs: Readonly<Record<string, string>>,
  attributes: Readonly<Record<string, string>> = {},
): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (value && typeof value === 'object') {
    const entry = Object.entries(value)[0];
    if (entry) {
      const [fn, arg] = entry;
      if (fn === 'Ref' && typeof arg === 'string') {
        const found = refs[arg];
        if (found === undefined) throw new Error(`Cannot resolve !Ref ${arg} locally`);
        return found;
      }
      if (fn === 'Fn::GetAtt' && Array.isArray(arg)) {
        const key = arg.join('.');
        const found = attributes[key];
        if (found === undefined) throw new Error(`Cannot resolve !GetAtt ${key} locally`);
        return found;
      }
      if (fn === 'Fn::Sub' && typeof arg === 'string') {
        return arg.replace(/\$\{([\w:.]+)\}/g, (_match, name: string) =>
          name.includes('.')
            ? resolveValue({ 'Fn::GetAtt': name.split('.') }, refs, attributes)
            : resolveValue({ Ref: name }, refs, attributes),
        );
      }
      if (fn === 'Fn::Join' && Array.isArray(arg)) {
        const [separator, parts] = arg as [string, unknown[]];
        return parts.map((part) => resolveValue(part, refs, attributes)).join(separator);
      }
    }
  }
  throw new Error(`Cannot resolve ${JSON.stringify(value)} locally`);
}

/**
 * A function's settings for asynchronous (`Event`) invocations: SAM's `EventInvokeConfig` and
 * `DeadLetterQueue` properties, or an `AWS::Lambda::EventInvokeConfig` resource naming it. The
 * on-failure target stays unresolved here; the stack resolves it like any other reference.
 */
export interface AsyncInvokeSettings {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  onFailure: unknown;
}

/** The same, with the target resolved to an ARN (or absent: a failed event is then dropped, as on AWS). */
export interface AsyncInvokeConfig {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  onFailure: string | undefined;
}

// Lambda's defaults for asynchronous invocation: two retries, events kept up to six hours.
const DEFAULT_ASYNC: AsyncInvokeSettings = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21_600,
  onFailure: undefined,
};

function asyncSettingsFrom(config: Record<string, unknown> | undefined, dlq: unknown): AsyncInvokeSettings {
  const destination = (config?.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
    ?.OnFailure?.Destination;
  return {
    maximumRetryAttempts: Number(config?.MaximumRetryAttempts ?? DEFAULT_ASYNC.maximumRetryAttempts),
    maximumEventAgeSeconds: Number(config?.MaximumEventAgeInSeconds ?? DEFAULT_ASYNC.maximumEventAgeSeconds),
    onFailure: destination ?? (dlq as { TargetArn?: unknown } | undefined)?.TargetArn,
  };
}

export function asyncInvokeSettings(template: Template): Map<string, AsyncInvokeSettings> {
  const settings = new Map<string, AsyncInvokeSettings>();
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Serverless::Function')) {
    const props = resource.Properties ?? {};
    settings.set(
      logicalId,
      asyncSettingsFrom(
        props.EventInvokeConfig as Record<string, unknown> | undefined,
        props.DeadLetterQueue,
      ),
    );
  }
  for (const [, resource] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const props = resource.Properties ?? {};
    const target = props.FunctionName as { Ref?: string } | string | undefined;
    const logicalId = typeof target === 'string' ? target : target?.Ref;
    if (logicalId !== undefined && settings.has(logicalId))
      settings.set(logicalId, asyncSettingsFrom(props, undefined));
  }
  return settings;
}

/** An `AWS::Scheduler::Schedule` whose target is one of the template's functions. */
export interface ScheduleDefinition {
  logicalId: string;
  /** Milliseconds between runs, from a `rate(…)` expression. */
  everyMs: number;
  functionId: string;
  /** The target's Input, parsed: the event the function receives. */
  input: unknown;
}

const RATE = /^rate\((\d+) (minutes?|hours?|days?)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Every enabled schedule of the template. Only `rate(…)` is emulated: a `cron(…)` or `at(…)`
 * expression, or a target that is not one of the template's functions, stops the stack with a
 * sentence saying so rather than being silently left out.
 */
export function scheduleDefinitions(template: Template): ScheduleDefinition[] {
  const functions = new Set(resourcesOfType(template, 'AWS::Serverless::Function').map(([id]) => id));
  const schedules: ScheduleDefinition[] = [];
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Scheduler::Schedule')) {
    const props = resource.Properties ?? {};
    if (props.State === 'DISABLED') continue;
    const rate = RATE.exec(String(props.ScheduleExpression ?? ''));
    if (rate === null)
      throw new Error(
        `${logicalId}: the local stack runs rate(…) schedules only, not ${String(props.ScheduleExpression)}`,
      );
    const target = (props.Target ?? {}) as { Arn?: unknown; Input?: unknown };
    const arn = target.Arn as { 'Fn::GetAtt'?: string[] } | undefined;
    const functionId = arn?.['Fn::GetAtt']?.[1] === 'Arn' ? arn['Fn::GetAtt'][0] : undefined;
    if (functionId === undefined || !functions.has(functionId))
      throw new Error(`${logicalId}: the local stack runs schedules whose target is !GetAtt <Function>.Arn`);
    // Without Input, Scheduler sends a "default notification" whose shape AWS does not document.
    if (typeof target.Input !== 'string')
      throw new Error(`${logicalId}: give the schedule's Target an Input (the event its function receives)`);
    const unit = (rate[2] ?? '').replace(/s$/, '');
    schedules.push({
      logicalId,
      everyMs: Number(rate[1]) * (UNIT_MS[unit] ?? 0),
      functionId,
      input: JSON.parse(target.Input),
    });
  }
  return schedules;
}
