import type { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Logger } from '../../shared/log';
import type { CloseOutHandoff } from '../ports';

/** The event the close-out function receives from a hand-off. */
export interface CloseOutRequest {
  task: 'close-out';
  approvalId: string;
  reason: string;
}

/** The Lambda client and command, loaded when first needed (see app/shared/load-lambda.ts). */
export type LoadLambda = () => { lambda: LambdaClient; InvokeCommand: typeof InvokeCommand };

/**
 * Hands the close-out to its own function with an asynchronous invocation: the caller (a click
 * Slack wants answered within 3 s) waits only for Lambda to queue the event, and Lambda retries
 * the function, then dead-letters the event, as its EventInvokeConfig says. Should queueing itself
 * fail, the sweep still finds the request (decided, unsettled): that is logged, not thrown, since
 * the decision is already recorded and the clicker must hear so.
 */
export class LambdaCloseOutHandoff implements CloseOutHandoff {
  constructor(
    private readonly load: LoadLambda,
    private readonly functionName: string,
    private readonly logger: Logger,
  ) {}

  async handOff(approvalId: string, reason: string): Promise<'handed-off' | 'left-to-sweep'> {
    const event: CloseOutRequest = { task: 'close-out', approvalId, reason };
    try {
      const { lambda, InvokeCommand } = this.load();
      await lambda.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: 'Event',
          Payload: JSON.stringify(event),
        }),
      );
      this.logger.warn('approval_close_out_handed_off', { approvalId, reason });
      return 'handed-off';
    } catch (error) {
      this.logger.error('approval_close_out_hand_off_failed', { approvalId, reason, error });
      return 'left-to-sweep';
    }
  }
}
