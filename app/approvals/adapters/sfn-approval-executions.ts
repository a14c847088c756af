import { DescribeExecutionCommand, ExecutionDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';
import type { ApprovalExecutions } from '../close-out';

/** DescribeExecution of the approval workflow's execution, which is named after the request id. */
export class StepFunctionsApprovalExecutions implements ApprovalExecutions {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async isRunning(approvalId: string): Promise<boolean> {
    // The state machine's ARN is …:stateMachine:<name>; its executions' are …:execution:<name>:<id>.
    const [prefix, name] = this.stateMachineArn.split(':stateMachine:');
    const executionArn = `${prefix}:execution:${name}:${approvalId}`;
    try {
      const { status } = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return status === 'RUNNING';
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return false;
      throw error;
    }
  }
}
