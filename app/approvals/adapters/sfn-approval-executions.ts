import { DescribeExecutionCommand, ExecutionDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';
import type { ApprovalExecutions } from '../close-out';

/** DescribeExecution of the approval workflow's execution, which is named after the request id. */
export class StepFunctionsApprovalExecutions implements ApprovalExecutions {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async isRunning(approvalId: string): Promise<boolean> {
    // arn:…:stateMachine:<name> → arn:…:execution:<name>:<execution name>
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${approvalId}`;
    try {
      const { status } = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return status === 'RUNNING';
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return false;
      throw error;
    }
  }
}
