import { listen } from '../http';
import { createJsonProtocolServer } from './json-protocol-server';
import { stepFunctionsOperations } from './operations';
import { StepFunctionsRuntime } from './runtime';
import type { StepFunctionsOptions, StepFunctionsServer } from './types';

export type {
  ExecutionSummary,
  HistoryEvent,
  QueuedMessage,
  RecordedEvent,
  StateMachineConfig,
  StateMachineType,
  StepFunctionsOptions,
  StepFunctionsServer,
} from './types';

/**
 * Starts the local Step Functions endpoint: the real SDK talks to it as to AWS, and it runs the
 * given state machines with aws-local-stepfunctions, wired to local Lambda handlers, DynamoDB and
 * itself. Definitions are validated up front; an invalid one fails the start.
 */
export async function startStepFunctionsServer(options: StepFunctionsOptions): Promise<StepFunctionsServer> {
  const runtime = new StepFunctionsRuntime(options);
  const server = createJsonProtocolServer(stepFunctionsOperations(runtime));
  const host = options.host ?? '127.0.0.1';
  const { port } = await listen(server, options.port ?? 0, host);

  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      runtime.stopAll();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    stateMachineArn: (name) => runtime.stateMachineArn(name),
    events: () => [...runtime.events()],
    queuedMessages: () => [...runtime.queuedMessages()],
    executions: () => runtime.executions().map((execution) => execution.summary()),
    history: (executionArn) => [...(runtime.anyExecution(executionArn)?.history.events() ?? [])],
    resumeExecutions: () => runtime.resumeExecutions(),
    onChange: (listener) => runtime.onChange(listener),
  };
}
