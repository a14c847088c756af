import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { rewriteContextPaths } from './context-object';
import { parseTaskResource, type TaskResource } from './task-resource';
import { timerDelayMs } from './timers';

export interface TaskStateInfo {
  name: string;
  /** Position in PreparedDefinition.stateNames, which the rewritten `$$` paths index. */
  index: number;
  resourceArn: string;
  resource: TaskResource;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /**
   * What the engine reads as this state's TimeoutSeconds. The task handler sets it when it
   * starts; the engine reads it right after, in the same synchronous step, and arms its own
   * timer, so a timeout is the engine's genuine States.Timeout (which States.TaskFailed does not
   * match, as on AWS).
   */
  engineTimeoutSeconds: number;
}

/** How long a top-level Wait state waits, where that can be known when it is entered. */
export interface WaitStateInfo {
  seconds?: number;
  secondsPath?: string;
}

export interface PreparedDefinition {
  engine: StateMachine;
  /**
   * The same definition entered at one of its top-level states, for resuming an execution after a
   * restart. It shares the prepared States, so task timeouts stay driven by the task handler.
   */
  engineFrom(stateName: string): StateMachine;
  /** The top-level states and their types: where an execution can be resumed. */
  topLevelStates: Map<string, string>;
  waitStates: Map<string, WaitStateInfo>;
  /** Every state name, nested ones included; `$$.State` paths are rewritten to these indexes. */
  stateNames: string[];
  tasks: Map<string, TaskStateInfo>;
  /** State-machine TimeoutSeconds, enforced by the execution (the engine's timer would overflow). */
  timeoutSeconds?: number;
}

/** The fields a Task state's Parameters are wrapped in, so the handler also gets resolved paths. */
export interface WrappedTaskInput {
  parameters: unknown;
  timeoutSeconds?: unknown;
  heartbeatSeconds?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const PATH_FIELDS = [
  'InputPath',
  'OutputPath',
  'ItemsPath',
  'MaxConcurrencyPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
];
const TEMPLATE_FIELDS = ['Parameters', 'ItemSelector', 'ResultSelector'];
// Step Functions never allows an execution longer than a year; the default task timeout is "forever".
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/**
 * Validates a definition with the engine's own checks, then prepares the copy the engine runs:
 * context paths rewritten, Task Parameters wrapped, Task timeouts driven by our task handler.
 */
export function prepareDefinition(
  machineName: string,
  type: 'STANDARD' | 'EXPRESS',
  definition: string | object,
): PreparedDefinition {
  const original = (
    typeof definition === 'string' ? JSON.parse(definition) : structuredClone(definition)
  ) as Json;
  if (!isObject(original))
    throw new Error(`State machine '${machineName}': the definition is not a JSON object`);
  try {
    new StateMachine(original as unknown as StateMachineDefinition);
  } catch (error) {
    throw new Error(`State machine '${machineName}': ${(error as Error).message}`);
  }

  const prepared: PreparedParts = { stateNames: [], tasks: new Map() };
  const engineDefinition = structuredClone(original);
  if (typeof engineDefinition.TimeoutSeconds === 'number')
    prepared.timeoutSeconds = engineDefinition.TimeoutSeconds;
  delete engineDefinition.TimeoutSeconds;
  const topLevelStates = new Map<string, string>();
  const waitStates = new Map<string, WaitStateInfo>();
  for (const [name, state] of Object.entries(isObject(original.States) ? original.States : {})) {
    if (!isObject(state)) continue;
    topLevelStates.set(name, String(state.Type));
    if (state.Type === 'Wait') {
      waitStates.set(name, {
        ...(typeof state.Seconds === 'number' ? { seconds: state.Seconds } : {}),
        ...(typeof state.SecondsPath === 'string' ? { secondsPath: state.SecondsPath } : {}),
      });
    }
  }
  prepareStates(engineDefinition, { machineName, type, prepared });

  const options = { validationOptions: { noValidate: true } };
  const engine = new StateMachine(engineDefinition as unknown as StateMachineDefinition, options);
  const resumeEngines = new Map<string, StateMachine>();
  const engineFrom = (stateName: string) => {
    if (!topLevelStates.has(stateName)) throw new Error(`'${stateName}' is not a top-level state`);
    let resumed = resumeEngines.get(stateName);
    if (resumed === undefined) {
      // A shallow copy: the States object (with the task timeout getters) is the same one.
      const from = { ...engineDefinition, StartAt: stateName };
      resumed = new StateMachine(from as unknown as StateMachineDefinition, options);
      resumeEngines.set(stateName, resumed);
    }
    return resumed;
  };
  return { ...prepared, engine, engineFrom, topLevelStates, waitStates };
}

type PreparedParts = Omit<PreparedDefinition, 'engine' | 'engineFrom' | 'topLevelStates' | 'waitStates'>;

interface PrepareScope {
  machineName: string;
  type: 'STANDARD' | 'EXPRESS';
  prepared: PreparedParts;
}

function prepareStates(machine: JsonObject, scope: PrepareScope): void {
  const states = machine.States;
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    const fail = (reason: string) =>
      new Error(`State machine '${scope.machineName}', state '${name}': ${reason}`);
    if (scope.prepared.stateNames.includes(name))
      throw fail('state names must be unique in the whole definition');
    if (state.QueryLanguage === 'JSONata' || machine.QueryLanguage === 'JSONata') {
      throw fail('JSONata is not supported by the local Step Functions endpoint');
    }
    const index = scope.prepared.stateNames.push(name) - 1;
    rewriteState(state, index);

    if (state.Type === 'Task') prepareTaskState(name, index, state, scope, fail);
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (isObject(processor)) prepareStates(processor, scope);
    }
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) if (isObject(branch)) prepareStates(branch, scope);
    }
  }
}

function prepareTaskState(
  name: string,
  index: number,
  state: JsonObject,
  scope: PrepareScope,
  fail: (reason: string) => Error,
): void {
  const resourceArn = String(state.Resource);
  const resource = parseTaskResource(resourceArn);
  if ('unsupported' in resource) throw fail(resource.unsupported);
  if (scope.type === 'EXPRESS' && (resource.pattern === 'callback' || resource.pattern.startsWith('sync'))) {
    throw fail(`EXPRESS state machines do not support the '${resource.pattern}' integration pattern`);
  }
  if (resource.pattern === 'callback' && !JSON.stringify(state.Parameters ?? null).includes('.Task.Token')) {
    // Parameters were rewritten already, so look for the rewritten reference.
    throw fail("a '.waitForTaskToken' task must pass '$$.Task.Token' in its Parameters");
  }

  const info: TaskStateInfo = {
    name,
    index,
    resourceArn,
    resource,
    engineTimeoutSeconds: DEFAULT_TASK_TIMEOUT_SECONDS,
  };
  if (typeof state.TimeoutSeconds === 'number') info.timeoutSeconds = state.TimeoutSeconds;
  if (typeof state.HeartbeatSeconds === 'number') info.heartbeatSeconds = state.HeartbeatSeconds;

  const wrapped: JsonObject =
    state.Parameters === undefined ? { 'parameters.$': '$' } : { parameters: state.Parameters };
  if (typeof state.TimeoutSecondsPath === 'string') wrapped['timeoutSeconds.$'] = state.TimeoutSecondsPath;
  if (typeof state.HeartbeatSecondsPath === 'string')
    wrapped['heartbeatSeconds.$'] = state.HeartbeatSecondsPath;
  state.Parameters = wrapped;
  for (const field of [
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
    'Credentials',
  ]) {
    delete state[field];
  }
  Object.defineProperty(state, 'TimeoutSeconds', {
    enumerable: true,
    get: () => timerDelayMs(info.engineTimeoutSeconds) / 1000,
  });
  scope.prepared.tasks.set(name, info);
}

function rewriteState(state: JsonObject, index: number): void {
  for (const field of PATH_FIELDS) {
    const value = state[field];
    if (typeof value === 'string') state[field] = rewriteContextPaths(value, index);
  }
  for (const field of TEMPLATE_FIELDS) {
    const value = state[field];
    if (value !== undefined) state[field] = rewriteTemplate(value, index);
  }
  if (Array.isArray(state.Choices)) {
    state.Choices = state.Choices.map((rule) => rewriteChoiceRule(rule, index));
  }
}

function rewriteTemplate(template: Json, index: number): Json {
  if (Array.isArray(template)) return template.map((value) => rewriteTemplate(value, index));
  if (!isObject(template)) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => [
      key,
      key.endsWith('.$') && typeof value === 'string'
        ? rewriteContextPaths(value, index)
        : rewriteTemplate(value, index),
    ]),
  );
}

function rewriteChoiceRule(rule: Json, index: number): Json {
  if (Array.isArray(rule)) return rule.map((inner) => rewriteChoiceRule(inner, index));
  if (!isObject(rule)) return rule;
  return Object.fromEntries(
    Object.entries(rule).map(([key, value]) => {
      if (key === 'And' || key === 'Or' || key === 'Not') return [key, rewriteChoiceRule(value, index)];
      if ((key === 'Variable' || key.endsWith('Path')) && typeof value === 'string') {
        return [key, rewriteContextPaths(value, index)];
      }
      return [key, value];
    }),
  );
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
