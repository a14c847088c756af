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
    // A named policy's quorum, comment rule, groups, schedule and stages are the workflow's to fill
    // in, as for any direct start (its first task resolves the groups); the gate's defaults would hide them.
    const { need, requireCommentOn, selfApproval, groupsJson, scheduleJson, stagesJson, ...asked } = approval;
    const input = policy ? { ...asked, policy } : approval;
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: approval.id,
          input: JSON.stringify({ request: input, correlationId }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}
