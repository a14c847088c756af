import { readFileSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadTemplate } from '@greenlight/local-stack/template';
import { describe, expect, it } from '@jest/globals';
import {
  DynamoApprovalStore,
  DynamoWorkflowStore,
} from '../../../app/approvals/adapters/dynamo-approval-store';
import type { Approval } from '../../../app/approvals/model';
import { APPROVALS_TABLE, RECORD_ATTRIBUTES } from '../../../app/approvals/record';

/**
 * The approval record is defined once, in app/approvals/record.ts. What cannot import it (the
 * template's table, the workflows' DynamoDB states) is checked against it here.
 */
const schema = APPROVALS_TABLE;
const attributes: Record<string, string> = schema.attributes;
const template = loadTemplate('template.yaml');

interface DynamoState {
  workflow: string;
  name: string;
  action: string;
  parameters: Record<string, unknown>;
}

/** Every state of a workflow that calls DynamoDB on the approvals table, in any nested branch. */
function dynamoStates(workflow: string): DynamoState[] {
  const found: DynamoState[] = [];
  const walk = (states: Record<string, Record<string, unknown>>) => {
    for (const [name, state] of Object.entries(states)) {
      const resource = String(state.Resource ?? '');
      const parameters = (state.Parameters ?? state.Arguments) as Record<string, unknown> | undefined;
      if (
        /^arn:aws:states:::(aws-sdk:)?dynamodb:/.test(resource) &&
        parameters?.TableName === APPROVALS_TABLE_NAME
      ) {
        found.push({ workflow, name, action: resource.split(':').pop() ?? '', parameters });
      }
      for (const branch of (state.Branches as Array<{ States: typeof states }> | undefined) ?? []) {
        walk(branch.States);
      }
      const inner = (state.ItemProcessor ?? state.Iterator) as { States: typeof states } | undefined;
      if (inner) walk(inner.States);
    }
  };
  walk((JSON.parse(readFileSync(`workflows/${workflow}`, 'utf8')) as { States: never }).States);
  return found;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: the workflows' DefinitionSubstitutions placeholder, not a template.
const APPROVALS_TABLE_NAME = '${ApprovalsTable}';

const states = [...dynamoStates('command.asl.json'), ...dynamoStates('approval.asl.json')];

// Words of DynamoDB's expression grammar that are not attribute names.
const GRAMMAR = new Set(
  'SET REMOVE ADD DELETE AND OR NOT BETWEEN IN if_not_exists list_append attribute_exists attribute_not_exists attribute_type begins_with contains size'.split(
    ' ',
  ),
);

/** The attribute names an expression uses: `#x` through its names, plain words as they are. */
function namesIn(expression: string, names: Record<string, string>): string[] {
  return [...expression.matchAll(/[#:]?[A-Za-z_][A-Za-z0-9_]*/g)]
    .map(([word]) => word)
    .filter((word) => !word.startsWith(':') && !GRAMMAR.has(word))
    .map((word) => (word.startsWith('#') ? (names[word] ?? word) : word));
}

/** `{ "S.$": "$.request.id" }` and `{ "N": "1" }` → their DynamoDB type. */
const typeOf = (value: unknown) => Object.keys(value as object)[0]?.replace(/\.\$$/, '');

describe('the approvals table in template.yaml', () => {
  const table = template.Resources.ApprovalsTable?.Properties as Record<string, unknown>;
  const keyAttributes = [
    schema.key,
    ...Object.values(schema.indexes).flatMap((index) => [index.hash, index.range]),
  ];

  it('is keyed, indexed and expired as the record schema says', () => {
    expect(table.KeySchema).toEqual([{ AttributeName: schema.key, KeyType: 'HASH' }]);
    expect(table.GlobalSecondaryIndexes).toEqual(
      Object.entries(schema.indexes).map(([name, index]) => ({
        IndexName: name,
        KeySchema: [
          { AttributeName: index.hash, KeyType: 'HASH' },
          { AttributeName: index.range, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projected] },
      })),
    );
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: schema.ttl, Enabled: true });
  });

  it('defines each key attribute with the type the schema gives it', () => {
    const byName = (definitions: Array<{ AttributeName: string }>) =>
      [...definitions].sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));
    expect(byName(table.AttributeDefinitions as Array<{ AttributeName: string }>)).toEqual(
      byName(
        [...new Set(keyAttributes)].map((name) => ({ AttributeName: name, AttributeType: attributes[name] })),
      ),
    );
  });
});

describe("the workflows' DynamoDB states", () => {
  it('are found (the checks below are not vacuous)', () => {
    expect(states.map(({ workflow, name }) => `${workflow} ${name}`)).toEqual(
      expect.arrayContaining(['command.asl.json CreateRecord', 'approval.asl.json RecordExpiry']),
    );
  });

  it.each(states.map((state) => [`${state.workflow} ${state.name}`, state] as const))(
    '%s uses only attributes of the record schema, with their types',
    (_label, { parameters }) => {
      const names = (parameters.ExpressionAttributeNames ?? {}) as Record<string, string>;
      const used = [
        ...Object.keys((parameters.Key ?? {}) as object),
        ...Object.values(names),
        ...['UpdateExpression', 'ConditionExpression', 'KeyConditionExpression', 'ProjectionExpression']
          .map((field) => parameters[field])
          .filter((expression): expression is string => typeof expression === 'string')
          .flatMap((expression) => namesIn(expression, names)),
      ];
      const item = (parameters.Item ?? {}) as Record<string, unknown>;

      expect(used.filter((name) => !(name in attributes))).toEqual([]);
      expect(Object.keys((parameters.Key ?? {}) as object).filter((name) => name !== schema.key)).toEqual([]);
      expect(
        Object.entries(item)
          .filter(([name, value]) => attributes[name] !== typeOf(value))
          .map(([name, value]) => `${name}: ${typeOf(value)}`),
      ).toEqual([]);
    },
  );

  it('query the indexes the schema defines, by their hash keys', () => {
    const queries = states.filter(({ action }) => action === 'query');
    expect(queries.length).toBeGreaterThan(0);
    for (const { parameters } of queries) {
      const index = schema.indexes[parameters.IndexName as keyof typeof schema.indexes];
      expect(index).toBeDefined();
      expect(String(parameters.KeyConditionExpression)).toMatch(new RegExp(`^${index?.hash} = :`));
    }
  });

  it('read a whole record with the same projection as the store', () => {
    const read = states.find(({ name }) => name === 'ReadRecord');
    const { ProjectionExpression, ExpressionAttributeNames } = (read?.parameters ?? {}) as {
      ProjectionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
    };
    expect(namesIn(ProjectionExpression ?? '', ExpressionAttributeNames ?? {})).toEqual([
      ...RECORD_ATTRIBUTES,
    ]);
  });
});

/** Every attribute name one DynamoDB request names: keys, items, placeholders and expressions. */
function attributesOf(input: Record<string, unknown>): string[] {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const writes = Object.values((input.RequestItems ?? {}) as Record<string, Array<Record<string, never>>>)
    .flat()
    .map(
      (request) =>
        (request.PutRequest as { Item?: object } | undefined)?.Item ??
        (request.DeleteRequest as { Key?: object } | undefined)?.Key ??
        {},
    );
  return [
    ...Object.keys((input.Key ?? {}) as object),
    ...writes.flatMap((item) => Object.keys(item)),
    ...Object.values(names),
    ...['UpdateExpression', 'ConditionExpression', 'ProjectionExpression']
      .map((field) => input[field])
      .filter((expression): expression is string => typeof expression === 'string')
      .flatMap((expression) => namesIn(expression, names)),
  ];
}

describe('the DynamoDB store', () => {
  it('names only attributes of the record schema, in every request it makes', async () => {
    const inputs: Array<Record<string, unknown>> = [];
    const client = {
      send: async (command: { input: Record<string, unknown> }) => {
        inputs.push(command.input);
        return { Attributes: { pk: 'GL-7K3F9Q', status: 'PENDING' }, UnprocessedItems: {} };
      },
    } as unknown as DynamoDBDocumentClient;
    const approval: Approval = {
      id: 'GL-7K3F9Q',
      status: 'PENDING',
      title: 'Deploy',
      details: 'v2',
      requester: 'U0RITA',
      approvers: ['U0ANA'],
      channelId: 'C0APPROVAL',
      createdAt: '2026-11-22T12:00:00.000Z',
      expiresAt: '2026-11-22T16:00:00.000Z',
      timeoutSeconds: 14_400,
      email: true,
    };
    const decisions = new DynamoApprovalStore(client, 'approvals');
    const workflow = new DynamoWorkflowStore(client, 'approvals');
    const now = new Date('2026-11-22T12:30:00.000Z');

    await decisions.get(approval.id);
    await decisions.recordVote(
      approval.id,
      { status: 'APPROVED', decider: 'U0ANA', comment: 'ok', decidedAt: now.toISOString(), via: 'slack' },
      'count',
      { now, allowSelfApproval: false },
    );
    await decisions.recordVote(
      approval.id,
      { status: 'REJECTED', decider: 'U0ANA', comment: 'no', decidedAt: now.toISOString(), via: 'slack' },
      'close',
      { now, allowSelfApproval: false },
    );
    await workflow.openForDecision(
      {
        ...approval,
        expiresAtEpoch: 1_795_363_200,
        need: 1,
        policy: 'prod-deploy',
        requireCommentOn: 'reject',
        selfApproval: false,
        groupsJson: '[]',
        scheduleJson: '{"remindSeconds":[60]}',
        stagesJson: '',
      },
      'task-token',
    );
    await workflow.writeInbox(approval);
    await workflow.recordMessage(approval.id, '1795350600.000100');
    await workflow.recordDeliveryProblem(approval.id, 'Slack said not_in_channel');
    await workflow.claimOnce(approval.id, 'announcedAt', now);
    await workflow.claimOnce(approval.id, 'emailedAt', now);
    await workflow.closeOut(approval, now);

    expect(inputs).toHaveLength(11);
    expect(inputs.flatMap(attributesOf).filter((name) => !(name in attributes))).toEqual([]);
  });
});
