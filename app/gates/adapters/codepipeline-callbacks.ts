import {
  ApprovalAlreadyCompletedException,
  type CodePipelineClient,
  InvalidApprovalTokenException,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import type { Approval, GateCallbacks } from '../../approvals';
import { slackUrl } from '../slack-link';

/**
 * Answers a CodePipeline manual approval action at the outcome with PutApprovalResult and the
 * action's token. A token CodePipeline no longer takes (the action expired after its 7 days, or was
 * answered in the console) will never be taken: that is recorded as final. Anything else (throttling,
 * an outage) is a problem the close-out sweep tries again.
 */
export class CodePipelineCallbacks implements GateCallbacks {
  constructor(private readonly client: CodePipelineClient) {}

  async callBack(approval: Approval) {
    const target = approval.origin?.callback;
    if (target?.kind !== 'codepipeline' || approval.status === 'PENDING') return { ok: true } as const;
    const by = approval.decider ? ` by ${approval.decider}` : '';
    const why = approval.comment ? `: ${approval.comment}` : '';
    try {
      await this.client.send(
        new PutApprovalResultCommand({
          pipelineName: target.pipelineName,
          stageName: target.stageName,
          actionName: target.actionName,
          token: target.token,
          result: {
            status: approval.status === 'APPROVED' ? 'Approved' : 'Rejected',
            // CodePipeline keeps at most 512 characters of summary.
            summary:
              `${approval.status.toLowerCase()} in Greenlight${by}${why} (${approval.id}, ${slackUrl(approval)})`.slice(
                0,
                512,
              ),
          },
        }),
      );
      return { ok: true } as const;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const where = `${target.pipelineName}/${target.stageName}/${target.actionName}`;
      if (
        error instanceof InvalidApprovalTokenException ||
        error instanceof ApprovalAlreadyCompletedException
      )
        return {
          ok: false,
          problem: `CodePipeline no longer waits for ${where} (${name}).`,
          final: true,
        } as const;
      return {
        ok: false,
        problem: `CodePipeline was not told the outcome for ${where} (${name}); Greenlight tries again.`,
      } as const;
    }
  }
}
