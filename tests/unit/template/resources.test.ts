// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub strings, not JavaScript templates.
import { readFileSync } from 'node:fs';
import { cloudFormationTags, loadTemplate, resourcesOfType } from '@greenlight/local-stack/template';
import { describe, expect, it } from '@jest/globals';
import { parseDocument } from 'yaml';
import { UNSETTLED } from '../../../app/approvals/record';
import { PLACEHOLDER, TEMPLATE_SECRET_NAMES } from '../../../app/shared/secrets';

const TEMPLATE_TEXT = readFileSync('template.yaml', 'utf8');
const template = loadTemplate('template.yaml');
const conditions = Object.keys((template as { Conditions?: Record<string, unknown> }).Conditions ?? {});

const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

/** Every logical id, parameter or pseudo parameter the template's intrinsics refer to, with where. */
function references(node: unknown, path: string, found: Array<{ name: string; path: string }> = []) {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      references(item, `${path}[${index}]`, found);
    });
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') found.push({ name: value, path });
      else if (key === 'Fn::GetAtt' && Array.isArray(value)) found.push({ name: String(value[0]), path });
      else if (key === 'Fn::Sub') {
        const [text, variables = {}] = Array.isArray(value) ? value : [value];
        for (const [, name = ''] of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
          if (!(name in (variables as object))) found.push({ name: name.split('.')[0] ?? name, path });
        }
        references(variables, `${path}.Fn::Sub`, found);
      } else references(value, `${path}.${key}`, found);
    }
  }
  return found;
}

describe('template.yaml', () => {
  it('parses with the CloudFormation tags, without errors or warnings', () => {
    const document = parseDocument(TEMPLATE_TEXT, { customTags: cloudFormationTags });
    expect([...document.errors, ...document.warnings].map((problem) => problem.message)).toEqual([]);
  });

  it('is a SAM template', () => {
    expect(template).toMatchObject({
      AWSTemplateFormatVersion: '2010-09-09',
      Transform: 'AWS::Serverless-2016-10-31',
    });
  });

  it('refers only to resources, parameters and pseudo parameters it has', () => {
    const known = new Set([
      ...Object.keys(template.Resources),
      ...Object.keys(template.Parameters ?? {}),
      ...PSEUDO_PARAMETERS,
    ]);
    const dangling = references(
      { Resources: template.Resources, Outputs: template.Outputs, Globals: template.Globals },
      '',
    )
      .filter(({ name }) => !known.has(name))
      .map(({ name, path }) => `${name} at ${path}`);
    expect(dangling).toEqual([]);
  });

  it('uses only the conditions it declares', () => {
    const used = [
      ...Object.values(template.Resources).map((resource) => (resource as { Condition?: string }).Condition),
      ...[...JSON.stringify(template).matchAll(/"Fn::If":\["(\w+)"/g)].map(([, name]) => name),
    ].filter((name): name is string => name !== undefined);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !conditions.includes(name))).toEqual([]);
  });
});

describe('resource names', () => {
  // A fixed name would make two stacks in one account collide, and a replacement fail. These three
  // resources must have one; each is derived from the stack's name.
  const NAMED: Record<string, string> = {
    'EventBus.Name': 'a custom event bus has no generated name',
    'WebSocketApi.Name': 'ApiGatewayV2 requires a name (not unique, only shown in the console)',
    'CommandStateMachineLogGroup.LogGroupName':
      'Step Functions log delivery wants a group under /aws/vendedlogs/ (its resource policy stays small)',
  };

  // The property that names each type of resource in the account; undefined for types whose
  // resources have no name of their own (a route's key, a stage's path segment, a permission).
  const NAME_PROPERTY: Record<string, string | undefined> = {
    'AWS::Serverless::Function': 'FunctionName',
    'AWS::Serverless::Api': 'Name',
    'AWS::Serverless::StateMachine': 'Name',
    'AWS::DynamoDB::Table': 'TableName',
    'AWS::Logs::LogGroup': 'LogGroupName',
    'AWS::IAM::Role': 'RoleName',
    'AWS::SecretsManager::Secret': 'Name',
    'AWS::Events::EventBus': 'Name',
    'AWS::ApiGatewayV2::Api': 'Name',
    'AWS::ApiGatewayV2::Integration': undefined,
    'AWS::ApiGatewayV2::Route': undefined,
    'AWS::ApiGatewayV2::Deployment': undefined,
    'AWS::ApiGatewayV2::Stage': undefined,
    'AWS::Lambda::Permission': undefined,
    'AWS::Lambda::EventInvokeConfig': undefined,
    'AWS::SQS::Queue': 'QueueName',
    'AWS::SQS::QueuePolicy': undefined,
    'AWS::SNS::Topic': 'TopicName',
    'AWS::CloudWatch::Alarm': 'AlarmName',
    'AWS::CloudWatch::Dashboard': 'DashboardName',
    'AWS::Scheduler::Schedule': 'Name',
  };

  it('are known for every type of resource in the template', () => {
    const types = [...new Set(Object.values(template.Resources).map((resource) => resource.Type))];
    expect(types.filter((type) => !(type in NAME_PROPERTY))).toEqual([]);
  });

  it('are left to CloudFormation, except where one is required, and then derived from the stack’s', () => {
    const named = Object.entries(template.Resources).flatMap(([id, resource]) => {
      const key = NAME_PROPERTY[resource.Type];
      const value = key === undefined ? undefined : resource.Properties?.[key];
      return value === undefined ? [] : [{ where: `${id}.${key}`, value }];
    });
    expect(named.map(({ where }) => where).sort()).toEqual(Object.keys(NAMED).sort());
    for (const { value } of named) expect(JSON.stringify(value)).toContain('${AWS::StackName}');
  });
});

describe('logs', () => {
  it('every log group is kept for the configured retention', () => {
    for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties?.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
    }
  });

  it('every function logs to its own log group of the template', () => {
    const groups = resourcesOfType(template, 'AWS::Serverless::Function').map(
      ([, fn]) =>
        (fn.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref,
    );
    expect(new Set(groups).size).toBe(groups.length);
    for (const group of groups) expect(template.Resources[group ?? '']?.Type).toBe('AWS::Logs::LogGroup');
  });

  it('no role may create a log group, so none can appear without retention', () => {
    const actions = [...JSON.stringify(template.Resources).matchAll(/"(logs:\w+)"/g)].map(
      ([, action]) => action,
    );
    expect(actions).toContain('logs:PutLogEvents');
    expect(actions).not.toContain('logs:CreateLogGroup');
  });
});

describe('the DynamoDB tables', () => {
  const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');

  it.each(tables.map(([id]) => id))('%s is on demand, encrypted, and expires its items', (id) => {
    expect(template.Resources[id]?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { Enabled: true },
    });
  });

  it('every record /greenlight creates enters the unsettled index, so the sweep can find it', () => {
    const command = JSON.parse(readFileSync('workflows/command.asl.json', 'utf8')) as {
      States: Record<string, { Parameters?: { Item?: Record<string, unknown> } }>;
    };
    expect(command.States.CreateRecord?.Parameters?.Item?.[UNSETTLED.attribute]).toEqual({
      S: UNSETTLED.value,
    });
  });

  it('the approvals table, the record of every decision, can be restored to any point in time', () => {
    expect(template.Resources.ApprovalsTable?.Properties?.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
  });
});

describe('the app’s secret', () => {
  it('is created with a placeholder for every key, and nothing else that could overwrite it', () => {
    // CloudFormation writes SecretString again whenever this resource's properties change, which
    // would replace the values the operator stored: change them only on purpose.
    const properties = template.Resources.AppSecret?.Properties ?? {};
    expect(Object.keys(properties).sort()).toEqual(['Description', 'SecretString']);
    expect(JSON.parse(String(properties.SecretString))).toEqual(
      Object.fromEntries(TEMPLATE_SECRET_NAMES.map((name) => [name, PLACEHOLDER])),
    );
    // The four it was first created with: a key added to the template would reset existing stacks'
    // values on their next deploy, so later keys are written by `npm run secret-value` only.
    expect(properties.SecretString).toBe(
      '{"SLACK_SIGNING_SECRET":"REPLACE_ME","SLACK_BOT_TOKEN":"REPLACE_ME","WEBSOCKET_TOKEN_KEY":"REPLACE_ME","LINK_SIGNING_KEY":"REPLACE_ME"}',
    );
    expect(properties.Description).toBe(
      'Greenlight: Slack signing secret and bot token, WebSocket token key, e-mail link key',
    );
  });

  it('is the only secret, and holds no real value in the template', () => {
    expect(resourcesOfType(template, 'AWS::SecretsManager::Secret').map(([id]) => id)).toEqual(['AppSecret']);
    expect(TEMPLATE_TEXT).not.toMatch(/xoxb-|xoxp-/);
  });
});

describe('the parameters', () => {
  it.each(Object.keys(template.Parameters ?? {}))('%s is described and constrained', (name) => {
    const parameter = (template.Parameters?.[name] ?? {}) as Record<string, unknown>;
    expect(parameter.Description).toEqual(expect.any(String));
    expect(parameter.AllowedPattern !== undefined || parameter.AllowedValues !== undefined).toBe(true);
  });

  it.each(
    Object.entries(template.Parameters ?? {}).filter(([, parameter]) => parameter.Default !== undefined),
  )('%s has a default its own constraint accepts', (_name, parameter) => {
    const { AllowedPattern, AllowedValues, Default } = parameter as Record<string, unknown>;
    if (typeof AllowedPattern === 'string') expect(String(Default)).toMatch(new RegExp(AllowedPattern));
    if (Array.isArray(AllowedValues)) expect(AllowedValues.map(String)).toContain(String(Default));
  });
});
