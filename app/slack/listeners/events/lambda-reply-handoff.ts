import type { LambdaModule } from '../../../shared/load-lambda';
import type { Logger } from '../../../shared/log';
import type { RelayReplyTask, ReplyHandoff, ThreadReply } from './thread-reply';

/**
 * Hands a relay that failed to the WebSocket function with an asynchronous invocation: Slack's
 * request is answered once Lambda has queued the event, and Lambda's retries and dead-letter
 * destination (the function's EventInvokeConfig) take over from Slack's. False when queueing
 * itself failed, so the listener throws and Slack retries the event instead.
 */
export function lambdaReplyHandoff(
  load: () => LambdaModule,
  functionName: string,
  logger: Logger,
): ReplyHandoff {
  return {
    async handOff(reply: ThreadReply, at: number) {
      const task: RelayReplyTask = { task: 'relay-reply', reply, at };
      try {
        const { lambda, InvokeCommand } = load();
        await lambda.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: 'Event',
            Payload: JSON.stringify(task),
          }),
        );
        logger.warn('thread_reply_handed_off', { channel: reply.channel, threadTs: reply.threadTs });
        return true;
      } catch (error) {
        logger.error('thread_reply_hand_off_failed', {
          channel: reply.channel,
          threadTs: reply.threadTs,
          error,
        });
        return false;
      }
    },
  };
}
