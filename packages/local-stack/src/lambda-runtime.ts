import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import type { FunctionDefinition } from './template';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export class LambdaTimeoutError extends Error {
  override readonly name = 'Sandbox.Timedout';
}

export interface LambdaRuntime {
  /** Runs the function's handler in this process, as Lambda would run it in a container. */
  invoke(logicalId: string, event: unknown): Promise<unknown>;
  has(logicalId: string): boolean;
  functionArn(logicalId: string): string;
  logicalIdOf(nameOrArn: string): string | undefined;
}

/**
 * Lambda in-process: each function's entry module is imported once (its cold start) and its
 * `handler` called with a context whose remaining time counts down from the function's timeout.
 * The handlers are the deployed code, unchanged; only their environment points at localhost.
 */
export function createLambdaRuntime(options: {
  functions: ReadonlyArray<FunctionDefinition & { timeoutSeconds: number }>;
  region: string;
  accountId: string;
  root?: string;
}): LambdaRuntime {
  const byId = new Map(options.functions.map((fn) => [fn.logicalId, fn]));
  const loaded = new Map<string, Promise<LambdaHandler>>();
  const arn = (logicalId: string) =>
    `arn:aws:lambda:${options.region}:${options.accountId}:function:${logicalId}`;

  const load = (fn: FunctionDefinition): Promise<LambdaHandler> => {
    let handler = loaded.get(fn.logicalId);
    if (!handler) {
      const path = resolve(options.root ?? process.cwd(), fn.entry);
      handler = import(path).then(
        (module: { handler?: LambdaHandler; default?: { handler?: LambdaHandler } }) => {
          const exported = module.handler ?? module.default?.handler;
          if (typeof exported !== 'function') throw new Error(`${fn.entry} does not export a handler`);
          return exported;
        },
      );
      loaded.set(fn.logicalId, handler);
    }
    return handler;
  };

  const context = (fn: FunctionDefinition & { timeoutSeconds: number }): Context => {
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: fn.logicalId,
      functionVersion: '$LATEST',
      invokedFunctionArn: arn(fn.logicalId),
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.logicalId}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
  };

  return {
    has: (logicalId) => byId.has(logicalId),
    functionArn: arn,
    logicalIdOf(nameOrArn) {
      const name = nameOrArn.split(':function:').pop()?.split(':')[0] ?? nameOrArn;
      return byId.has(name) ? name : undefined;
    },
    async invoke(logicalId, event) {
      const fn = byId.get(logicalId);
      if (!fn) throw new Error(`No function ${logicalId} in template.yaml`);
      const handler = await load(fn);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new LambdaTimeoutError(`${logicalId} timed out after ${fn.timeoutSeconds} seconds`)),
          fn.timeoutSeconds * 1000,
        );
      });
      try {
        return await Promise.race([handler(event, context(fn)), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
