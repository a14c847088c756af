import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { GateRequest } from '../gate-request';
import type { ApprovalStarter } from '../ports';

/**
 * StartExecution of the approval workflow, named after the request id as /greenlight's StartApproval
 * names it: a retried start finds the execution already there, which is what it wanted.
 */
export class StepFunctionsApprovalStarter implements ApprovalStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(request: GateRequest, correlationId: string): Promise<void> {
    const { approval, policy } = request;
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: approval.id,
          input: JSON.stringify({ request: { ...approval, ...(policy ? { policy } : {}) }, correlationId }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}
