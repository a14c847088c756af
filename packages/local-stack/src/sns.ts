import { randomUUID } from 'node:crypto';
import { resourcesOfType, type Template } from './template';

/**
 * SNS as far as the template uses it: a function subscribed to a topic (an `Events` entry of type
 * SNS) receives each message published to it as Lambda's SNS event, asynchronously. `publish` is
 * what a CodePipeline manual approval action does when it notifies the topic.
 */
export interface LocalSns {
  publish(topicLogicalId: string, message: string, subject?: string): Promise<{ messageId: string }>;
}

export function snsSubscriptions(template: Template): Map<string, string[]> {
  const subscribers = new Map<string, string[]>();
  for (const [functionId, resource] of resourcesOfType(template, 'AWS::Serverless::Function')) {
    const events = (resource.Properties?.Events ?? {}) as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    for (const event of Object.values(events)) {
      if (event.Type !== 'SNS') continue;
      const topic = (event.Properties.Topic as { Ref?: string } | undefined)?.Ref;
      if (topic) subscribers.set(topic, [...(subscribers.get(topic) ?? []), functionId]);
    }
  }
  return subscribers;
}

export function localSns(options: {
  template: Template;
  region: string;
  accountId: string;
  invokeAsync: (logicalId: string, event: unknown) => void;
}): LocalSns {
  const subscribers = snsSubscriptions(options.template);
  return {
    async publish(topic, message, subject) {
      const functions = subscribers.get(topic);
      if (functions === undefined) throw new Error(`No function subscribes to ${topic} in template.yaml`);
      const messageId = randomUUID();
      const topicArn = `arn:aws:sns:${options.region}:${options.accountId}:${topic}`;
      for (const functionId of functions) {
        const subscription = `${topicArn}:${randomUUID()}`;
        options.invokeAsync(functionId, {
          Records: [
            {
              EventSource: 'aws:sns',
              EventVersion: '1.0',
              EventSubscriptionArn: subscription,
              Sns: {
                Type: 'Notification',
                MessageId: messageId,
                TopicArn: topicArn,
                Subject: subject ?? null,
                Message: message,
                Timestamp: new Date().toISOString(),
                SignatureVersion: '1',
                Signature: 'local',
                SigningCertUrl: 'https://sns.local/cert.pem',
                UnsubscribeUrl: `https://sns.local/?Action=Unsubscribe&SubscriptionArn=${subscription}`,
                MessageAttributes: {},
              },
            },
          ],
        });
      }
      return { messageId };
    },
  };
}
