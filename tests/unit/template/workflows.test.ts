// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub strings and ASL placeholders.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate, resourcesOfType, stateMachineDefinitions } from '@greenlight/local-stack/template';
import { describe, expect, it } from '@jest/globals';
import validateAsl from 'asl-validator';
import {
  actionsOf,
  type PolicyStatement,
  resourcesOf,
  stateMachineStatements,
} from '../../helpers/template-policies';

/**
 * The state machines of workflows/: valid Amazon States Language once their placeholders are
 * filled, every placeholder defined by the template (and every definition used), and each deployed
 * state machine's role allowing exactly the service integrations its definition calls.
 */
const template = loadTemplate('template.yaml');
const machines = stateMachineDefinitions(template);

const PLACEHOLDER = /\$\{(\w+)\}/g;

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map(([, name = '']) => name))].sort();
}

/** A plausible deployed value for each placeholder: an ARN where the name says so, else a name. */
function filled(text: string): unknown {
  return JSON.parse(
    text.replace(PLACEHOLDER, (_whole, name: string) =>
      name.endsWith('Arn')
        ? `arn:aws:states:eu-west-1:123456789012:stateMachine:greenlight-${name}`
        : `greenlight-${name}`,
    ),
  );
}

const aslFiles = [
  ...readdirSync('workflows')
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => join('workflows', file)),
  ...readdirSync('workflows/examples')
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => join('workflows/examples', file)),
];

describe('every state machine definition in workflows/', () => {
  it.each(aslFiles)('%s is valid Amazon States Language once its placeholders are filled', (file) => {
    const result = validateAsl(filled(readFileSync(file, 'utf8')), { checkPaths: true, checkArn: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is deployed by template.yaml, or is an example', () => {
    const deployed = machines.map((machine) => machine.definitionUri);
    const notDeployed = aslFiles.filter((file) => !deployed.includes(file));
    expect(notDeployed.filter((file) => !file.startsWith('workflows/examples/'))).toEqual([]);
    expect(deployed.filter((file) => !existsSync(file))).toEqual([]);
  });
});

describe.each(machines.map((machine) => [machine.logicalId, machine] as const))('%s', (_id, machine) => {
  const text = readFileSync(machine.definitionUri, 'utf8');

  it('defines every placeholder its definition uses, and uses every one it defines', () => {
    expect(Object.keys(machine.substitutions).sort()).toEqual(placeholders(text));
  });
});

describe('the examples in workflows/examples/', () => {
  const examples = aslFiles.filter((file) => file.startsWith('workflows/examples/'));

  it.each(examples)('%s uses only placeholders a deployed stack outputs', (file) => {
    const outputs = Object.keys(template.Outputs ?? {});
    expect(placeholders(readFileSync(file, 'utf8')).filter((name) => !outputs.includes(name))).toEqual([]);
  });
});

// ----------------------------------------------------------------------------------------------
// The state machines' roles against their definitions.

type State = {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  States?: Record<string, State>;
  Branches?: Array<{ States: Record<string, State> }>;
  Iterator?: { States: Record<string, State> };
  ItemProcessor?: { States: Record<string, State> };
};

function tasks(states: Record<string, State>): State[] {
  return Object.values(states).flatMap((state) => [
    ...(state.Type === 'Task' ? [state] : []),
    ...(state.Branches ?? []).flatMap((branch) => tasks(branch.States)),
    ...tasks(state.Iterator?.States ?? {}),
    ...tasks(state.ItemProcessor?.States ?? {}),
  ]);
}

const placeholderIn = (value: unknown): string => {
  const name = /^\$\{(\w+)\}$/.exec(String(value))?.[1];
  if (name === undefined) throw new Error(`expected a placeholder, got ${JSON.stringify(value)}`);
  return name;
};

/**
 * What a placeholder stands for, as a policy names it: the logical id a `!Ref`/`!GetAtt` of the
 * substitution points at, and how the resource's ARN is written in the template.
 */
function resourceArn(substitutions: Record<string, unknown>, placeholder: string, suffix = ''): unknown {
  const value = substitutions[placeholder] as { Ref?: string; 'Fn::GetAtt'?: string[] };
  const id = value.Ref ?? value['Fn::GetAtt']?.[0];
  const type = id === undefined ? undefined : template.Resources[id]?.Type;
  if (suffix) return { 'Fn::Sub': `\${${id}.Arn}${suffix}` };
  switch (type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::Events::EventBus':
    case 'AWS::Serverless::Function':
    // A queue's Ref is its URL (what sqs:sendMessage takes); a policy names its ARN.
    case 'AWS::SQS::Queue':
      return { 'Fn::GetAtt': [id, 'Arn'] };
    case 'AWS::Serverless::StateMachine':
      return { Ref: id };
    default:
      throw new Error(`${placeholder}: teach this test how a policy names a ${type}`);
  }
}

/** The (action, resource) pairs a Task's integration needs, from its Resource and Parameters. */
function integrationGrants(task: State, substitutions: Record<string, unknown>): Array<[string, unknown]> {
  const parameters = task.Parameters ?? {};
  const resource = task.Resource ?? '';
  const optimized = /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/.exec(resource);
  if (optimized?.[1]) {
    const action = `dynamodb:${optimized[1][0]?.toUpperCase()}${optimized[1].slice(1)}`;
    return [[action, resourceArn(substitutions, placeholderIn(parameters.TableName))]];
  }
  switch (resource) {
    case 'arn:aws:states:::aws-sdk:dynamodb:query': {
      const table = placeholderIn(parameters.TableName);
      const index = parameters.IndexName === undefined ? '' : `/index/${String(parameters.IndexName)}`;
      return [['dynamodb:Query', resourceArn(substitutions, table, index)]];
    }
    case 'arn:aws:states:::aws-sdk:sfn:sendTaskFailure':
      return [['states:SendTaskFailure', '*']];
    case 'arn:aws:states:::states:startExecution':
      return [
        ['states:StartExecution', resourceArn(substitutions, placeholderIn(parameters.StateMachineArn))],
      ];
    case 'arn:aws:states:::lambda:invoke':
    case 'arn:aws:states:::lambda:invoke.waitForTaskToken':
      return [['lambda:InvokeFunction', resourceArn(substitutions, placeholderIn(parameters.FunctionName))]];
    case 'arn:aws:states:::events:putEvents':
      return (parameters.Entries as Array<{ EventBusName: string }>).map((entry) => [
        'events:PutEvents',
        resourceArn(substitutions, placeholderIn(entry.EventBusName)),
      ]);
    case 'arn:aws:states:::sqs:sendMessage':
      return [['sqs:SendMessage', resourceArn(substitutions, placeholderIn(parameters.QueueUrl))]];
    default:
      throw new Error(`teach this test the IAM actions of ${resource}`);
  }
}

// CloudWatch Logs delivery, which an EXPRESS state machine's logging needs; these take no resource.
const LOG_DELIVERY = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

function grants(statements: PolicyStatement[]): string[] {
  return [
    ...new Set(
      statements.flatMap((statement) =>
        actionsOf(statement).flatMap((action) =>
          resourcesOf(statement).map((resource) => JSON.stringify([action, resource])),
        ),
      ),
    ),
  ].sort();
}

describe.each(machines.map((machine) => [machine.logicalId, machine] as const))(
  'the role of %s',
  (id, machine) => {
    it('allows exactly the service integrations its definition calls', () => {
      const definition = JSON.parse(readFileSync(machine.definitionUri, 'utf8')) as {
        States: Record<string, State>;
      };
      const needed = tasks(definition.States).flatMap((task) =>
        integrationGrants(task, machine.substitutions),
      );
      if (machine.type === 'EXPRESS')
        needed.push(...LOG_DELIVERY.map((action) => [action, '*'] as [string, unknown]));
      const expected = [...new Set(needed.map((grant) => JSON.stringify(grant)))].sort();
      expect(grants(stateMachineStatements(template, id))).toEqual(expected);
    });
  },
);

describe('the EXPRESS command workflow’s logs', () => {
  const properties = template.Resources.CommandStateMachine?.Properties ?? {};

  it('go to a /aws/vendedlogs/states/ group kept for the configured retention', () => {
    const logging = properties.Logging as {
      Destinations: Array<{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': string[] } } }>;
    };
    const groupId = logging.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0] ?? '';
    expect(template.Resources[groupId]?.Properties).toEqual({
      LogGroupName: { 'Fn::Sub': '/aws/vendedlogs/states/${AWS::StackName}-command' },
      RetentionInDays: { Ref: 'LogRetentionDays' },
    });
  });

  it('leave execution data out, so no request, user id or task token is ever logged', () => {
    expect(properties.Logging).toMatchObject({ Level: 'ERROR', IncludeExecutionData: false });
  });
});

describe('the state machines', () => {
  it('are the two of workflows/, EXPRESS for commands and STANDARD for approvals', () => {
    expect(
      resourcesOfType(template, 'AWS::Serverless::StateMachine').map(([id, machine]) => [
        id,
        machine.Properties?.Type,
        machine.Properties?.DefinitionUri,
      ]),
    ).toEqual([
      ['CommandStateMachine', 'EXPRESS', 'workflows/command.asl.json'],
      ['ApprovalStateMachine', 'STANDARD', 'workflows/approval.asl.json'],
    ]);
  });
});
