import {
  type ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';

/** Sends one frame to one connection; 'gone' when API Gateway answers 410 GoneException. */
export interface ConnectionSender {
  send(connectionId: string, data: Uint8Array): Promise<'sent' | 'gone'>;
}

function isGone(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'GoneException' || status === 410;
}

/** The `@connections` POST of one stage; any failure other than 410 is thrown to the caller. */
export function managementApiSender(client: ApiGatewayManagementApiClient): ConnectionSender {
  return {
    async send(connectionId, data) {
      try {
        await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
        return 'sent';
      } catch (error) {
        if (isGone(error)) return 'gone';
        throw error;
      }
    },
  };
}

const encoder = new TextEncoder();

/** A frame as the bytes every recipient gets: serialized once, however many connections receive it. */
export function encodeFrame(frame: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(frame));
}
