import { createHash, randomUUID } from 'node:crypto';
import { TaskFailure } from '../task-failure';
import { asRecord, type IntegrationCall } from './integration';

// SQS takes a message of 1 character to 1 MiB.
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * `arn:aws:states:::sqs:sendMessage`: the message is kept, in order, for the tests and the sandbox to
 * read (nothing serves SQS locally). A QueueUrl the template does not define fails the Task as the
 * queue's absence does on AWS. MessageBody may be JSON in the ASL: Step Functions sends its text.
 */
export function sendMessage(call: IntegrationCall): Promise<unknown> {
  const { QueueUrl: queueUrl, MessageBody: given } = asRecord(call.parameters);
  if (typeof queueUrl !== 'string' || given === undefined || given === null) {
    return Promise.reject(
      new TaskFailure('States.Runtime', "sqs:sendMessage needs a 'QueueUrl' and a 'MessageBody'"),
    );
  }
  const body = typeof given === 'string' ? given : JSON.stringify(given);
  const bytes = Buffer.byteLength(body);
  if (bytes === 0 || bytes > MAX_MESSAGE_BYTES) {
    return Promise.reject(
      new TaskFailure(
        'SQS.SqsException',
        `MessageBody must be 1 to ${MAX_MESSAGE_BYTES} bytes, not ${bytes}`,
      ),
    );
  }
  if (!call.services.queueMessage(queueUrl, body)) {
    return Promise.reject(
      new TaskFailure('SQS.QueueDoesNotExistException', `The queue ${queueUrl} does not exist.`),
    );
  }
  return Promise.resolve({
    MessageId: randomUUID(),
    MD5OfMessageBody: createHash('md5').update(body).digest('hex'),
  });
}
