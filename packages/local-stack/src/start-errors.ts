import type { ServiceName } from './dev-config';

/** The environment variable that sets a service's port for `npm start`, e.g. GREENLIGHT_DYNAMODB_PORT. */
export const portVariable = (name: ServiceName) =>
  `GREENLIGHT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_PORT`;

const SERVICE_LABELS: Record<ServiceName, string> = {
  sandbox: 'The Slack sandbox',
  rest: 'The REST API',
  websocket: 'The WebSocket API',
  dynamodb: 'DynamoDB',
  stepfunctions: 'Step Functions',
  ses: 'SES',
  slackApi: 'The Slack Web API stand-in',
  secretsManager: 'Secrets Manager',
  lambda: 'The Lambda API',
  eventBridge: 'EventBridge',
  githubApi: 'The GitHub API stand-in',
  codePipeline: 'The CodePipeline stand-in',
};

/**
 * A reason the stack could not start that the person starting it can fix. `npm start` prints the
 * message alone, without a stack trace: the sentence is the whole story.
 */
export class StackStartError extends Error {
  override readonly name = 'StackStartError';
}

export function portInUse(service: ServiceName, port: number): StackStartError {
  return new StackStartError(
    `${SERVICE_LABELS[service]} cannot listen on port ${port}: something else already does. ` +
      'Most likely another local stack is running (npm start in another terminal). Stop it, or give ' +
      `this one other ports: ${portVariable(service)}=<port> (0 picks a free one), in .env or the environment.`,
  );
}

export function dataDirInUse(dataDir: string): StackStartError {
  return new StackStartError(
    `Another local stack is already using ${dataDir} (its DynamoDB files are locked). Stop it, or start ` +
      'this one with --memory (keeps nothing) or --data-dir <another directory>, and other ports.',
  );
}

/** Runs a service's start, turning "port in use" into a sentence that names the service and its variable. */
export async function onPort<T>(service: ServiceName, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUse(service, port);
    throw error;
  }
}
