import { newTaskToken } from './task-token';

/**
 * The Context Object (`$$`) of one execution.
 *
 * The engine builds `$$` itself and knows only Execution.Input/StartTime (and gives Map iterations
 * their item as Execution.Input). So the prepared definition rewrites every `$$.Execution`,
 * `$$.State` and `$$.Task` path to read from this holder instead (see engine-definition.ts), and
 * the holder rides along, invisible to JSON, under `$$.StateMachine`, which the engine passes on
 * by reference to every state, branch and iteration.
 */
export const CONTEXT_HOLDER_KEY = '__greenlightLocal';

export interface ExecutionContextInfo {
  Id: string;
  Name: string;
  Input: unknown;
  StartTime: string;
  RoleArn: string;
  RedriveCount: number;
}

export class ContextHolder {
  readonly Execution: ExecutionContextInfo;
  readonly states: ReadonlyArray<StateContextSlot>;
  private readonly pendingTokens = new Map<number, string>();

  constructor(execution: ExecutionContextInfo, stateNames: ReadonlyArray<string>) {
    this.Execution = execution;
    this.states = stateNames.map((name, index) => stateContextSlot(name, () => this.peekToken(index)));
  }

  /**
   * The token for a Task state about to run: the one its Parameters already read through
   * `$$.Task.Token`, else a new one. Parameters are evaluated and the task handler is called in
   * the same synchronous step, so the pending token always belongs to this very attempt.
   */
  takeToken(stateIndex: number): string {
    const token = this.pendingTokens.get(stateIndex) ?? newTaskToken();
    this.pendingTokens.delete(stateIndex);
    return token;
  }

  /**
   * A resumed execution's waiting task keeps the token it handed out before the restart: its
   * Parameters, evaluated again on re-entry, read this one.
   */
  presetToken(stateIndex: number, token: string): void {
    this.pendingTokens.set(stateIndex, token);
  }

  private peekToken(stateIndex: number): string {
    let token = this.pendingTokens.get(stateIndex);
    if (token === undefined) {
      token = newTaskToken();
      this.pendingTokens.set(stateIndex, token);
    }
    return token;
  }
}

interface StateContextSlot {
  readonly State: { Name: string; EnteredTime: string; RetryCount: number };
  readonly Task: { Token: string };
}

// Own getters (JSONPath only follows own properties), read at the moment the engine evaluates a
// path in this state.
function stateContextSlot(name: string, token: () => string): StateContextSlot {
  return {
    get State() {
      return { Name: name, EnteredTime: new Date().toISOString(), RetryCount: 0 };
    },
    get Task() {
      return { Token: token() };
    },
  };
}

/** The object handed to the engine as its Context Object seed. */
export function engineContext(
  holder: ContextHolder,
  stateMachine: { Id: string; Name: string },
): Record<string, unknown> {
  const machine: Record<string, unknown> = { ...stateMachine };
  Object.defineProperty(machine, CONTEXT_HOLDER_KEY, { value: holder, enumerable: false });
  const { Input: _input, StartTime: _startTime, ...execution } = holder.Execution;
  return { Execution: execution, StateMachine: machine };
}

/** Rewrites `$$.Execution…`, `$$.State…` and `$$.Task…` in one path or intrinsic to read from the holder. */
export function rewriteContextPaths(expression: string, stateIndex: number): string {
  return expression.replace(/\$\$\.(Execution|State|Task)(?![A-Za-z0-9_])/g, (_match, field: string) =>
    field === 'Execution'
      ? `$$.StateMachine.${CONTEXT_HOLDER_KEY}.Execution`
      : `$$.StateMachine.${CONTEXT_HOLDER_KEY}.states[${stateIndex}].${field}`,
  );
}
