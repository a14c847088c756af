// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub strings, not JavaScript templates.
import { createHash } from 'node:crypto';
import { loadTemplate, resourcesOfType, type Template, websocketApi } from '@greenlight/local-stack/template';
import { describe, expect, it } from '@jest/globals';
import { actionsOf, roleStatements } from '../../helpers/template-policies';

const template = loadTemplate('template.yaml');

/** What a deployment of the WebSocket API captures: the API, its integrations and its routes. */
function deployedDefinitionHash(from: Template): string {
  const types = ['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route'];
  const parts = types.flatMap((type) =>
    resourcesOfType(from, type)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, resource]) => [id, resource.Properties]),
  );
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8);
}

function resource(id: string) {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`template.yaml has no ${id}`);
  return found;
}

// Each function's own role; its log and secret statements are checked with every function's in
// tests/unit/template/permissions.test.ts, so these tests look at the rest.
function statementsOf(functionId: string) {
  return roleStatements(template, functionId).filter(
    (statement) => !actionsOf(statement).some((action) => /^(logs|secretsmanager):/.test(action)),
  );
}

function functionActions(functionId: string): string[] {
  return statementsOf(functionId).flatMap(actionsOf);
}

describe('the WebSocket API in template.yaml', () => {
  it('routes $connect, $disconnect, $default and sendmessage to the WebSocket function', () => {
    const api = websocketApi(template);
    expect(api?.routeSelectionExpression).toBe('$request.body.action');
    expect(Object.fromEntries(api?.routes ?? [])).toEqual({
      $connect: 'WebSocketFunction',
      $disconnect: 'WebSocketFunction',
      $default: 'WebSocketFunction',
      sendmessage: 'WebSocketFunction',
    });
  });

  it('names its deployment after the routes, so changing a route redeploys the stage', () => {
    const deployments = resourcesOfType(template, 'AWS::ApiGatewayV2::Deployment').map(([id]) => id);
    const expected = `WebSocketDeployment${deployedDefinitionHash(template)}`;
    expect(deployments).toEqual([expected]);
    expect(resource('WebSocketStage').Properties?.DeploymentId).toEqual({ Ref: expected });
  });

  it('deploys after every route exists', () => {
    const [[, deployment] = ['', undefined]] = resourcesOfType(template, 'AWS::ApiGatewayV2::Deployment');
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([id]) => id);
    expect((deployment as { DependsOn?: string[] } | undefined)?.DependsOn?.sort()).toEqual(routes.sort());
  });

  it('lets only this API stage invoke the function', () => {
    expect(resource('WebSocketInvokePermission').Properties).toMatchObject({
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { Ref: 'WebSocketFunction' },
      SourceArn: {
        'Fn::Sub':
          'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${Stage}/*',
      },
    });
  });

  it('outputs the URL clients connect to', () => {
    expect(template.Outputs?.WebSocketUrl).toMatchObject({
      Value: { 'Fn::Sub': 'wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}' },
    });
  });
});

describe('the WebSocket function in template.yaml', () => {
  it('is bundled from the entry point npm run build uses (options: tests/unit/sam-build.test.ts)', () => {
    const metadata = resource('WebSocketFunction').Metadata as {
      BuildMethod?: string;
      BuildProperties?: { EntryPoints?: string[] };
    };
    expect(metadata.BuildMethod).toBe('esbuild');
    expect(metadata.BuildProperties?.EntryPoints).toEqual(['app/functions/websocket.ts']);
  });

  it('may touch only the connections table, post to this stage’s connections and dead-letter its hand-offs', () => {
    const manageConnections = {
      'Fn::Sub':
        'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${Stage}/POST/@connections/*',
    };
    expect(statementsOf('WebSocketFunction')).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:GetItem',
          'dynamodb:DeleteItem',
          'dynamodb:Scan',
        ],
        Resource: { 'Fn::GetAtt': ['ConnectionsTable', 'Arn'] },
      },
      { Effect: 'Allow', Action: 'execute-api:ManageConnections', Resource: manageConnections },
      // Relaying a thread reply the Slack function handed off: find its connection by thread.
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Sub': '${ConnectionsTable.Arn}/index/byThread' },
      },
      // Lambda's on-failure destination for those hand-offs writes with this role.
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } },
    ]);
  });

  it('keeps its logs for the configured retention', () => {
    expect(resource('WebSocketFunction').Properties?.LoggingConfig).toEqual({
      LogGroup: { Ref: 'WebSocketFunctionLogGroup' },
    });
    expect(resource('WebSocketFunctionLogGroup').Properties).toEqual({
      RetentionInDays: { Ref: 'LogRetentionDays' },
    });
  });
});

describe('the connections table in template.yaml', () => {
  it('is on demand, encrypted, expires rows through TTL and indexes rows by Slack thread', () => {
    expect(resource('ConnectionsTable').Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: [
        expect.objectContaining({
          IndexName: 'byThread',
          KeySchema: [{ AttributeName: 'threadTs', KeyType: 'HASH' }],
        }),
      ],
    });
  });
});

describe('the Slack function in template.yaml, for thread replies', () => {
  it('gets the mirror channel, the connections table and the stage’s callback URL', () => {
    const environment = resource('SlackFunction').Properties?.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined;
    const variables = environment?.Variables;
    expect(variables).toMatchObject({
      MIRROR_CHANNEL_ID: { Ref: 'MirrorChannelId' },
      CONNECTIONS_TABLE: { Ref: 'ConnectionsTable' },
      WEBSOCKET_CALLBACK_URL: {
        'Fn::Sub': 'https://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}',
      },
    });
  });

  it('may query the thread index, delete a gone connection and post to connections, nothing more', () => {
    const onConnections = statementsOf('SlackFunction').filter(
      (statement) =>
        JSON.stringify(statement.Resource).includes('Connections') ||
        JSON.stringify(statement.Resource).includes('WebSocketApi'),
    );
    expect(
      functionActions('SlackFunction').filter(
        (action) => action === 'dynamodb:Query' || action.startsWith('execute-api'),
      ),
      // The other Query is App Home's, on the approvals table's indexes (tests/unit/template/permissions.test.ts).
    ).toEqual(['dynamodb:Query', 'dynamodb:Query', 'execute-api:ManageConnections']);
    expect(onConnections.flatMap((statement) => [statement.Action].flat())).toEqual([
      'dynamodb:Query',
      'dynamodb:DeleteItem',
      'execute-api:ManageConnections',
    ]);
    expect(onConnections[0]?.Resource).toEqual({ 'Fn::Sub': '${ConnectionsTable.Arn}/index/byThread' });
  });
});
