import type { DecideDeps } from '../approvals/decide';
import type { DecisionPolicy } from '../approvals/policy';
import type { ApprovalStore } from '../approvals/ports';

export type DecisionBackend = DecideDeps & { store: ApprovalStore };

/**
 * The approvals store and the Step Functions callbacks, loaded on the first click: slash commands
 * (the cold-start path Slack times) never pay for the DynamoDB client's module graph.
 */
export function lazyDecisionBackend(
  tableName: string,
  policy: DecisionPolicy,
): () => Promise<DecisionBackend> {
  let backend: Promise<DecisionBackend> | undefined;
  return () => {
    backend ??= Promise.all([
      import('../shared/aws/dynamodb'),
      import('../shared/aws/step-functions'),
      import('../approvals/adapters/dynamo-approval-store'),
      import('../approvals/adapters/sfn-task-callbacks'),
    ]).then(([{ dynamodb }, { stepFunctions }, { DynamoApprovalStore }, { StepFunctionsTaskCallbacks }]) => ({
      store: new DynamoApprovalStore(dynamodb, tableName),
      callbacks: new StepFunctionsTaskCallbacks(stepFunctions),
      policy,
    }));
    return backend;
  };
}
