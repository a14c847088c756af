import { randomUUID } from 'node:crypto';
import { type ArnScope, executionArn, parseStatesArn, stateMachineArn } from './arns';
import { prepareDefinition } from './engine-definition';
import { Execution, type ExecutionEnvironment, type StateMachineRecord } from './execution';
import { ExecutionStore } from './execution-store';
import type { ChildExecution } from './integrations/integration';
import { SfnApiError } from './sfn-error';
import { TaskTokenRegistry } from './task-token-registry';
import type { QueuedMessage, RecordedEvent, StepFunctionsOptions } from './types';

export interface StartRequest {
  stateMachineArn: string;
  name?: string;
  input?: string;
}

const MAX_PAYLOAD_BYTES = 262_144;
// AWS refuses whitespace, brackets, wildcards, these punctuation marks and control characters.
const INVALID_NAME_CHARACTER = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function isValidExecutionName(name: string): boolean {
  if (name.length === 0 || name.length > 80 || INVALID_NAME_CHARACTER.test(name)) return false;
  return ![...name].some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
}

/** The state of the local Step Functions service, shared by the HTTP API and the integrations. */
export class StepFunctionsRuntime {
  readonly scope: ArnScope;
  readonly tokens = new TaskTokenRegistry();
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executionsByArn = new Map<string, Execution>();
  private readonly executionList: Execution[] = [];
  private readonly recorded: RecordedEvent[] = [];
  private readonly queued: QueuedMessage[] = [];
  private readonly listeners = new Set<(executionArn: string) => void>();
  private readonly environment: ExecutionEnvironment;
  private readonly store: ExecutionStore | undefined;

  constructor(options: StepFunctionsOptions) {
    this.scope = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' };
    for (const config of options.stateMachines) {
      const arn = stateMachineArn(this.scope, config.name);
      if (this.machines.has(arn)) throw new Error(`State machine '${config.name}' is defined twice`);
      this.machines.set(arn, {
        name: config.name,
        arn,
        type: config.type,
        definitionText:
          typeof config.definition === 'string' ? config.definition : JSON.stringify(config.definition),
        roleArn: config.roleArn ?? `arn:aws:iam::${this.scope.accountId}:role/${config.name}-role`,
        creationDate: new Date(),
        prepared: prepareDefinition(config.name, config.type, config.definition),
      });
    }
    const store = options.dataDir === undefined ? undefined : new ExecutionStore(options.dataDir);
    this.store = store;
    this.environment = {
      region: this.scope.region,
      tokens: this.tokens,
      notify: (executionArn) => {
        for (const listener of this.listeners) listener(executionArn);
      },
      save:
        store === undefined
          ? undefined
          : (execution) => {
              if (execution.machine.type === 'STANDARD') store.save(execution.record());
            },
      services: {
        region: this.scope.region,
        invokeLambda: options.invokeLambda,
        dynamodb: options.dynamodb,
        startExecution: (request) => this.startChild(request),
        taskAttempt: (token) => this.tokens.openAttempt(token),
        recordEvents: (entries) => {
          const time = new Date().toISOString();
          for (const entry of entries) {
            const event = { ...entry, time };
            store?.appendEvent(event);
            this.recorded.push(event);
          }
        },
        queueMessage: (queueUrl, body) => {
          if (!(options.queueUrls ?? []).includes(queueUrl)) return false;
          this.queued.push({ queueUrl, body, time: new Date().toISOString() });
          return true;
        },
      },
    };
    if (store !== undefined) this.restore(store);
  }

  /** Reads back what a previous run kept; RUNNING executions wait for resumeExecutions(). */
  private restore(store: ExecutionStore): void {
    this.recorded.push(...store.loadEvents());
    for (const record of store.load()) {
      const machine = this.machines.get(record.stateMachineArn);
      if (machine === undefined) {
        console.warn(
          `stepfunctions: ${record.arn} belongs to a state machine this stack no longer defines; not loaded`,
        );
        continue;
      }
      const execution = new Execution(
        machine,
        record.arn,
        record.name,
        record.input,
        this.environment,
        record,
      );
      this.executionsByArn.set(record.arn, execution);
      this.executionList.push(execution);
    }
  }

  /**
   * Carries on every execution that was RUNNING when the previous run stopped (see Execution). Called
   * once everything the executions call (functions, DynamoDB) is up. Returns how many resumed.
   */
  resumeExecutions(): number {
    let resumed = 0;
    for (const execution of this.executionList) {
      if (execution.awaitsResume) {
        execution.resume();
        resumed += 1;
      }
    }
    return resumed;
  }

  stateMachineArn(name: string): string {
    return stateMachineArn(this.scope, name);
  }

  stateMachines(): ReadonlyArray<StateMachineRecord> {
    return [...this.machines.values()];
  }

  executions(): ReadonlyArray<Execution> {
    return this.executionList;
  }

  events(): ReadonlyArray<RecordedEvent> {
    return this.recorded;
  }

  queuedMessages(): ReadonlyArray<QueuedMessage> {
    return this.queued;
  }

  onChange(listener: (executionArn: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  findStateMachine(arn: string): StateMachineRecord {
    const parsed = parseStatesArn(arn);
    if (parsed?.resourceType !== 'stateMachine' || parsed.resource.length !== 1) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const machine = this.machines.get(arn);
    if (machine === undefined)
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  /** A STANDARD execution; EXPRESS ones are not visible to the execution APIs, as on AWS. */
  findExecution(arn: string): Execution {
    const parsed = parseStatesArn(arn);
    if (parsed?.resourceType !== 'execution' || parsed.resource.length !== 2) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const execution = this.executionsByArn.get(arn);
    if (execution === undefined)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  /** Any execution by ARN, EXPRESS included: for the sandbox, not the AWS API. */
  anyExecution(arn: string): Execution | undefined {
    return this.executionsByArn.get(arn);
  }

  /**
   * StartExecution / StartSyncExecution. A STANDARD execution name is idempotent as on AWS: the
   * same name and input while it runs returns that execution; anything else is ExecutionAlreadyExists.
   */
  start(request: StartRequest, mode: 'async' | 'sync'): Execution {
    const machine = this.findStateMachine(request.stateMachineArn);
    if (mode === 'sync' && machine.type !== 'EXPRESS') {
      throw new SfnApiError(
        'StateMachineTypeNotSupported',
        'This operation is not supported by this type of state machine',
      );
    }
    const name = request.name ?? randomUUID();
    if (!isValidExecutionName(name)) {
      throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    }
    const input = request.input ?? '{}';
    if (Buffer.byteLength(input, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw new SfnApiError(
        'InvalidExecutionInput',
        'Invalid State Machine Execution Input: input is larger than 256 KB',
      );
    }
    try {
      JSON.parse(input);
    } catch (error) {
      throw new SfnApiError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${(error as Error).message}'`,
      );
    }

    const arn = executionArn(this.scope, machine.type, machine.name, name);
    const existing = this.executionsByArn.get(arn);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = new Execution(machine, arn, name, input, this.environment);
    this.executionsByArn.set(arn, execution);
    this.executionList.push(execution);
    execution.start();
    return execution;
  }

  /**
   * Stops every running execution, so no timer outlives the server. In persistent mode a STANDARD
   * one is only suspended: it stays RUNNING on disk and resumes at the next start.
   */
  stopAll(): void {
    for (const execution of this.executionList) {
      if (this.store !== undefined && execution.machine.type === 'STANDARD') {
        execution.suspend();
        continue;
      }
      execution.halt({
        status: 'ABORTED',
        error: 'States.Aborted',
        cause: 'The local Step Functions endpoint stopped',
      });
    }
  }

  private startChild(request: StartRequest): ChildExecution {
    const execution = this.start(request, 'async');
    return {
      executionArn: execution.arn,
      startDate: execution.startDate,
      done: execution.done.then(() => execution.summary()),
      stop: (error, cause) => execution.halt({ status: 'ABORTED', error, cause }),
    };
  }
}
