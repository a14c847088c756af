import { DynamoApprovalStore } from '../approvals/adapters/dynamo-approval-store';
import { StepFunctionsTaskCallbacks } from '../approvals/adapters/sfn-task-callbacks';
import type { DecideDeps } from '../approvals/decide';
import type { DecisionPolicy } from '../approvals/policy';
import type { ApprovalStore } from '../approvals/ports';
import { dynamodb } from '../shared/aws/dynamodb';
import { stepFunctions } from '../shared/aws/step-functions';

export type DecisionBackend = DecideDeps & { store: ApprovalStore };

/**
 * The approvals store and the Step Functions callbacks the buttons decide with. Imported like any
 * other module: in one bundle an `import()` spares no parsing, and the DynamoDB client itself is
 * only built on first use (app/shared/aws/dynamodb.ts), so a slash command never pays for it.
 */
export function decisionBackend(tableName: string, policy: DecisionPolicy): () => Promise<DecisionBackend> {
  let backend: DecisionBackend | undefined;
  return async () => {
    backend ??= {
      store: new DynamoApprovalStore(dynamodb, tableName),
      callbacks: new StepFunctionsTaskCallbacks(stepFunctions),
      policy,
    };
    return backend;
  };
}
