// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub strings, not JavaScript templates.

import { loadTemplate, resourcesOfType } from '@greenlight/local-stack/template';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { bundleFunctions, type FunctionBundle } from '../../helpers/function-bundles';
import {
  actionsOf,
  type PolicyStatement,
  resourcesOf,
  roleIdOf,
  roleStatements,
} from '../../helpers/template-policies';

/**
 * Least privilege, checked against the code. CALLS below is the permission table: for each function,
 * every AWS call its code makes, from which module, on which resource. It is kept honest from both
 * sides: each function's bundle is scanned for the SDK commands (`new XxxCommand(`) and signed
 * Secrets Manager calls its modules still contain after tree shaking, and each function's role
 * must grant exactly the table's (action, resource) pairs, plus writing to its own log group.
 */
const template = loadTemplate('template.yaml');

const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const ref = (id: string) => ({ Ref: id });
const sub = (text: string) => ({ 'Fn::Sub': text });
const CONNECTIONS_OF_THIS_STAGE = sub(
  'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${Stage}/POST/@connections/*',
);
const SECRET = 'app/shared/aws/secrets-manager.ts';

interface Call {
  module: string;
  action: string;
  resource: unknown;
  condition?: unknown;
}

/** App Home: the three indexes a Home is read from (app/approvals/home.ts), by whoever builds one. */
const HOME_QUERIES: Call[] = ['OpenByApprover', 'OpenByRequester', 'DecidedByPerson'].map((index) => ({
  module: 'app/approvals/adapters/dynamo-home-store.ts',
  action: 'dynamodb:Query',
  resource: sub(`\${ApprovalsTable.Arn}/index/${index}`),
}));

const CALLS: Record<string, Call[]> = {
  SlackFunction: [
    ...HOME_QUERIES,
    { module: SECRET, action: 'secretsmanager:GetSecretValue', resource: ref('AppSecret') },
    {
      module: 'app/slack/receiver/dynamo-event-dedup.ts',
      action: 'dynamodb:PutItem',
      resource: arn('EventDedupTable'),
    },
    {
      module: 'app/slack/receiver/dynamo-event-dedup.ts',
      action: 'dynamodb:DeleteItem',
      resource: arn('EventDedupTable'),
    },
    {
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: 'dynamodb:GetItem',
      resource: arn('ApprovalsTable'),
    },
    {
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: 'dynamodb:UpdateItem',
      resource: arn('ApprovalsTable'),
    },
    {
      module: 'app/slack/commands/command-workflow.ts',
      action: 'states:StartSyncExecution',
      resource: ref('CommandStateMachine'),
    },
    {
      module: 'app/approvals/adapters/sfn-task-callbacks.ts',
      action: 'states:SendTaskSuccess',
      resource: '*',
    },
    {
      module: 'app/approvals/adapters/sfn-task-callbacks.ts',
      action: 'states:SendTaskFailure',
      resource: '*',
    },
    {
      module: 'app/approvals/adapters/lambda-close-out-handoff.ts',
      action: 'lambda:InvokeFunction',
      resource: arn('CloseOutFunction'),
    },
    {
      module: 'app/approvals/adapters/eventbridge-update-events.ts',
      action: 'events:PutEvents',
      resource: arn('EventBus'),
    },
    {
      module: 'app/websocket/connections-store.ts',
      action: 'dynamodb:Query',
      resource: sub('${ConnectionsTable.Arn}/index/byThread'),
    },
    {
      module: 'app/websocket/connections-store.ts',
      action: 'dynamodb:DeleteItem',
      resource: arn('ConnectionsTable'),
    },
    {
      module: 'app/websocket/connection-sender.ts',
      action: 'execute-api:ManageConnections',
      resource: CONNECTIONS_OF_THIS_STAGE,
    },
    {
      module: 'app/slack/listeners/events/lambda-reply-handoff.ts',
      action: 'lambda:InvokeFunction',
      resource: arn('WebSocketFunction'),
    },
  ],
  WorkflowTasksFunction: [
    ...HOME_QUERIES,
    { module: SECRET, action: 'secretsmanager:GetSecretValue', resource: ref('AppSecret') },
    {
      module: 'app/gates/adapters/codepipeline-callbacks.ts',
      action: 'codepipeline:PutApprovalResult',
      resource: sub('arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:*/*/*'),
    },
    {
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: 'dynamodb:GetItem',
      resource: arn('ApprovalsTable'),
    },
    {
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: 'dynamodb:UpdateItem',
      resource: arn('ApprovalsTable'),
    },
    {
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: 'dynamodb:BatchWriteItem',
      resource: arn('ApprovalsTable'),
    },
    {
      module: 'app/approvals/adapters/eventbridge-outcome-events.ts',
      action: 'events:PutEvents',
      resource: arn('EventBus'),
    },
    {
      module: 'app/websocket/connections-store.ts',
      action: 'dynamodb:Scan',
      resource: arn('ConnectionsTable'),
    },
    {
      module: 'app/websocket/connections-store.ts',
      action: 'dynamodb:DeleteItem',
      resource: arn('ConnectionsTable'),
    },
    {
      module: 'app/websocket/connection-sender.ts',
      action: 'execute-api:ManageConnections',
      resource: CONNECTIONS_OF_THIS_STAGE,
    },
    {
      module: 'app/approvals/adapters/ses-mailer.ts',
      action: 'ses:SendEmail',
      resource: sub('arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*'),
      condition: { StringEquals: { 'ses:FromAddress': ref('SenderEmail') } },
    },
  ],
  EmailLinksFunction: [
    { module: SECRET, action: 'secretsmanager:GetSecretValue', resource: ref('AppSecret') },
    {
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: 'dynamodb:GetItem',
      resource: arn('ApprovalsTable'),
    },
    {
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: 'dynamodb:UpdateItem',
      resource: arn('ApprovalsTable'),
    },
    {
      module: 'app/approvals/adapters/sfn-task-callbacks.ts',
      action: 'states:SendTaskSuccess',
      resource: '*',
    },
    {
      module: 'app/approvals/adapters/sfn-task-callbacks.ts',
      action: 'states:SendTaskFailure',
      resource: '*',
    },
    {
      module: 'app/approvals/adapters/lambda-close-out-handoff.ts',
      action: 'lambda:InvokeFunction',
      resource: arn('CloseOutFunction'),
    },
    {
      module: 'app/approvals/adapters/eventbridge-update-events.ts',
      action: 'events:PutEvents',
      resource: arn('EventBus'),
    },
  ],
  WebSocketFunction: [
    { module: SECRET, action: 'secretsmanager:GetSecretValue', resource: ref('AppSecret') },
    ...['PutItem', 'UpdateItem', 'GetItem', 'DeleteItem', 'Scan'].map((action) => ({
      module: 'app/websocket/connections-store.ts',
      action: `dynamodb:${action}`,
      resource: arn('ConnectionsTable'),
    })),
    {
      module: 'app/websocket/connection-sender.ts',
      action: 'execute-api:ManageConnections',
      resource: CONNECTIONS_OF_THIS_STAGE,
    },
    // A thread reply the Slack function handed off is relayed here.
    {
      module: 'app/websocket/connections-store.ts',
      action: 'dynamodb:Query',
      resource: sub('${ConnectionsTable.Arn}/index/byThread'),
    },
  ],
  CloseOutFunction: [
    ...HOME_QUERIES,
    { module: SECRET, action: 'secretsmanager:GetSecretValue', resource: ref('AppSecret') },
    {
      module: 'app/gates/adapters/codepipeline-callbacks.ts',
      action: 'codepipeline:PutApprovalResult',
      resource: sub('arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:*/*/*'),
    },
    ...['GetItem', 'UpdateItem', 'BatchWriteItem'].map((action) => ({
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: `dynamodb:${action}`,
      resource: arn('ApprovalsTable'),
    })),
    {
      module: 'app/approvals/adapters/dynamo-approval-store.ts',
      action: 'dynamodb:Query',
      resource: sub('${ApprovalsTable.Arn}/index/Unsettled'),
    },
    {
      module: 'app/approvals/adapters/sfn-approval-executions.ts',
      action: 'states:DescribeExecution',
      resource: sub(
        'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${ApprovalStateMachine.Name}:*',
      ),
    },
    {
      module: 'app/approvals/adapters/eventbridge-outcome-events.ts',
      action: 'events:PutEvents',
      resource: arn('EventBus'),
    },
    {
      module: 'app/websocket/connections-store.ts',
      action: 'dynamodb:Scan',
      resource: arn('ConnectionsTable'),
    },
    {
      module: 'app/websocket/connections-store.ts',
      action: 'dynamodb:DeleteItem',
      resource: arn('ConnectionsTable'),
    },
    {
      module: 'app/websocket/connection-sender.ts',
      action: 'execute-api:ManageConnections',
      resource: CONNECTIONS_OF_THIS_STAGE,
    },
  ],
  ApiFunction: [
    { module: SECRET, action: 'secretsmanager:GetSecretValue', resource: ref('AppSecret') },
    ...['GetItem', 'PutItem', 'UpdateItem'].flatMap((action) => [
      {
        module: 'app/gates/adapters/dynamo-gate-store.ts',
        action: `dynamodb:${action}`,
        resource: arn('GatesTable'),
      },
      {
        module: 'app/gates/adapters/dynamo-gate-store.ts',
        action: `dynamodb:${action}`,
        resource: arn('ApprovalsTable'),
      },
    ]),
    {
      module: 'app/gates/adapters/sfn-approval-starter.ts',
      action: 'states:StartExecution',
      resource: ref('ApprovalStateMachine'),
    },
    {
      module: 'app/approvals/adapters/sfn-task-callbacks.ts',
      action: 'states:SendTaskFailure',
      resource: '*',
    },
    {
      module: 'app/approvals/adapters/lambda-close-out-handoff.ts',
      action: 'lambda:InvokeFunction',
      resource: arn('CloseOutFunction'),
    },
  ],
};

/**
 * Calls a module still contains but this function never makes: the WebSocket function builds the
 * whole connections store, whose methods all come along. Each entry says who calls what.
 */
const NOT_CALLED: Record<string, Record<string, string>> = {
  ApiFunction: {
    'app/approvals/adapters/sfn-task-callbacks.ts states:SendTaskSuccess':
      'the API only cancels; approving is a person’s click',
  },
};

/** Actions IAM defines with no resource type: '*' is the only resource they can be granted on. */
const ONLY_ON_ANY_RESOURCE: Record<string, string> = {
  'states:SendTaskSuccess': 'authorised by the task token, which names the execution',
  'states:SendTaskFailure': 'authorised by the task token, which names the execution',
  'logs:CreateLogDelivery': 'CloudWatch Logs delivery for the EXPRESS workflow',
  'logs:GetLogDelivery': 'CloudWatch Logs delivery for the EXPRESS workflow',
  'logs:UpdateLogDelivery': 'CloudWatch Logs delivery for the EXPRESS workflow',
  'logs:DeleteLogDelivery': 'CloudWatch Logs delivery for the EXPRESS workflow',
  'logs:ListLogDeliveries': 'CloudWatch Logs delivery for the EXPRESS workflow',
  'logs:PutResourcePolicy': 'CloudWatch Logs delivery for the EXPRESS workflow',
  'logs:DescribeResourcePolicies': 'CloudWatch Logs delivery for the EXPRESS workflow',
  'logs:DescribeLogGroups': 'CloudWatch Logs delivery for the EXPRESS workflow',
};

// The SDK packages this app uses, and how each command names its IAM action.
const SERVICE_ACTIONS: Record<string, (command: string) => string> = {
  '@aws-sdk/lib-dynamodb': (command) =>
    `dynamodb:${{ Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchWrite: 'BatchWriteItem', BatchGet: 'BatchGetItem', TransactWrite: 'TransactWriteItems', TransactGet: 'TransactGetItems' }[command] ?? command}`,
  '@aws-sdk/client-dynamodb': (command) => `dynamodb:${command}`,
  '@aws-sdk/client-sfn': (command) => `states:${command}`,
  '@aws-sdk/client-ses': (command) => `ses:${command}`,
  '@aws-sdk/client-secrets-manager': (command) => `secretsmanager:${command}`,
  '@aws-sdk/client-eventbridge': (command) => `events:${command}`,
  '@aws-sdk/client-codepipeline': (command) => `codepipeline:${command}`,
  // Invoke is authorised as lambda:InvokeFunction.
  '@aws-sdk/client-lambda': (command) => `lambda:${command === 'Invoke' ? 'InvokeFunction' : command}`,
  // PostToConnection, GetConnection and DeleteConnection are all authorised as ManageConnections.
  '@aws-sdk/client-apigatewaymanagementapi': () => 'execute-api:ManageConnections',
};

/** The SDK package each `XxxCommand` class comes from, read from the app's imports. */
function commandPackages(sources: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  for (const source of sources) {
    // Static imports, and the lazy form `import('@aws-sdk/x').then(({ A, BCommand }) => …)`.
    for (const [, names = '', from = ''] of [
      ...source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/[\w-]+)'/g),
      ...[...source.matchAll(/import\('(@aws-sdk\/[\w-]+)'\)\.then\(\s*\(\{([^}]*)\}\)/g)].map(
        ([whole, from, names]) => [whole, names, from] as const,
      ),
    ]) {
      for (const name of names.split(',').map((part) => part.replace(/^\s*type\s+/, '').trim())) {
        if (name.endsWith('Command')) packages.set(name, from);
      }
    }
  }
  return packages;
}

let bundles: FunctionBundle[];
let packages: Map<string, string>;

beforeAll(async () => {
  bundles = await bundleFunctions(template);
  const { readFileSync } = await import('node:fs');
  packages = commandPackages(
    [...new Set(bundles.flatMap((bundle) => [...bundle.modules.keys()]))].map((path) =>
      readFileSync(path, 'utf8'),
    ),
  );
}, 60_000);

/** Every (module, action) a function's bundle can perform. */
function scannedCalls(bundle: FunctionBundle): string[] {
  const found = new Set<string>();
  for (const [module, code] of bundle.modules) {
    // esbuild renames an import that collides with another module's (QueryCommand2): the digits go.
    for (const [, command = ''] of code.matchAll(/new (\w+?Command)\d*\(/g)) {
      const from = packages.get(command);
      const toAction = from === undefined ? undefined : SERVICE_ACTIONS[from];
      if (toAction === undefined) throw new Error(`${module}: teach this test the IAM action of ${command}`);
      found.add(`${module} ${toAction(command.replace(/Command$/, ''))}`);
    }
  }
  return [...found].sort();
}

function grantKey(action: string, resource: unknown, condition?: unknown): string {
  return JSON.stringify([action, resource, condition ?? null]);
}

function grants(statements: PolicyStatement[]): string[] {
  return statements
    .flatMap((statement) =>
      actionsOf(statement).flatMap((action) =>
        resourcesOf(statement).map((resource) => grantKey(action, resource, statement.Condition)),
      ),
    )
    .sort();
}

const functionIds = resourcesOfType(template, 'AWS::Serverless::Function').map(([id]) => id);

describe('the permission table', () => {
  it('covers every function of the template', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...functionIds].sort());
  });

  it.each(functionIds)('lists every AWS call %s’s code can make, or says why it never makes it', (id) => {
    const bundle = bundles.find((candidate) => candidate.logicalId === id);
    const listed = new Set([
      ...(CALLS[id] ?? []).map((call) => `${call.module} ${call.action}`),
      ...Object.keys(NOT_CALLED[id] ?? {}),
    ]);
    expect(scannedCalls(bundle as FunctionBundle).filter((call) => !listed.has(call))).toEqual([]);
  });

  it.each(functionIds)('lists no call that %s’s code cannot make', (id) => {
    const scanned = new Set(
      scannedCalls(bundles.find((bundle) => bundle.logicalId === id) as FunctionBundle),
    );
    const listed = [
      ...(CALLS[id] ?? []).map((call) => `${call.module} ${call.action}`),
      ...Object.keys(NOT_CALLED[id] ?? {}),
    ];
    expect(listed.filter((call) => !scanned.has(call))).toEqual([]);
  });
});

/**
 * What Lambda itself does with the function's role: deliver a failed asynchronous invocation to the
 * queue its EventInvokeConfig names (sqs:SendMessage on exactly that queue).
 */
function destinationGrants(id: string): string[] {
  return resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')
    .filter(([, config]) => JSON.stringify(config.Properties?.FunctionName) === JSON.stringify(ref(id)))
    .map(([, config]) => {
      const destination = (config.Properties?.DestinationConfig as { OnFailure?: { Destination?: unknown } })
        ?.OnFailure?.Destination;
      return grantKey('sqs:SendMessage', destination);
    });
}

describe('each function’s role', () => {
  it.each(functionIds)(
    'grants %s exactly its calls, its failure destination, and writing to its own log group',
    (id) => {
      const expected = [
        ...(CALLS[id] ?? []).map((call) => grantKey(call.action, call.resource, call.condition)),
        ...destinationGrants(id),
        ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) =>
          grantKey(action, arn(`${id}LogGroup`)),
        ),
      ].sort();
      expect(grants(roleStatements(template, id))).toEqual(expected);
    },
  );

  it.each(functionIds)('is %s’s alone, assumed by Lambda only, with nothing attached from outside', (id) => {
    const roleId = roleIdOf(template, id);
    const users = functionIds.filter((other) => roleIdOf(template, other) === roleId);
    const properties = template.Resources[roleId]?.Properties ?? {};
    expect(users).toEqual([id]);
    expect(properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    expect(properties.ManagedPolicyArns).toBeUndefined();
    expect(template.Resources[id]?.Properties?.Policies).toBeUndefined();
  });

  it('without a sender address, lets the workflow tasks send no e-mail at all', () => {
    const withoutEmail = grants(roleStatements(template, 'WorkflowTasksFunction', { SendsEmail: false }));
    expect(withoutEmail.filter((grant) => grant.includes('ses:'))).toEqual([]);
  });
});

describe('every grant in the template', () => {
  const statements = [
    ...functionIds.flatMap((id) => roleStatements(template, id)),
    ...resourcesOfType(template, 'AWS::Serverless::StateMachine').flatMap(
      ([, machine]) =>
        ((machine.Properties?.Policies ?? []) as Array<{ Statement: PolicyStatement[] }>)[0]?.Statement ?? [],
    ),
  ];

  it('is on a named resource, or is an action that takes none', () => {
    const onAnything = statements
      .filter((statement) => resourcesOf(statement).includes('*'))
      .flatMap(actionsOf)
      .filter((action) => ONLY_ON_ANY_RESOURCE[action] === undefined);
    expect(onAnything).toEqual([]);
  });

  it('names its actions in full, without wildcards', () => {
    expect(statements.flatMap(actionsOf).filter((action) => action.includes('*'))).toEqual([]);
  });

  it('only allows', () => {
    expect(statements.filter((statement) => statement.Effect !== 'Allow')).toEqual([]);
  });
});
