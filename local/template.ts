import { readFileSync } from 'node:fs';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { parse, type Tags } from 'yaml';

/**
 * Reads template.yaml so the local stack serves what is deployed: REST routes, tables, functions
 * and state machines come from the template, never from a second list kept by hand.
 */
export type Template = {
  Parameters?: Record<string, { Default?: unknown }>;
  Globals?: { Function?: { Environment?: { Variables?: Record<string, unknown> } } };
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
const cloudFormationTags: Tags = [
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
      routes.push({
        method: String(event.Properties.Method).toUpperCase(),
        path: String(event.Properties.Path),
        functionId,
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
    return { logicalId, entry, environment: { ...globals, ...own } };
  });
}
