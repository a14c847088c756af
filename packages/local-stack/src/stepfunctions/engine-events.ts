import type { HistoryEventType } from '@aws-sdk/client-sfn';
import type { StateMachine } from 'aws-local-stepfunctions';
import { type HistoryLog, jsonText } from './history';

/** One entry of the engine's event log (the package does not export the type). */
export type EngineEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

const ENTERED: Record<string, HistoryEventType> = {
  Task: 'TaskStateEntered',
  Pass: 'PassStateEntered',
  Choice: 'ChoiceStateEntered',
  Wait: 'WaitStateEntered',
  Succeed: 'SucceedStateEntered',
  Fail: 'FailStateEntered',
  Map: 'MapStateEntered',
  Parallel: 'ParallelStateEntered',
};
const EXITED: Record<string, HistoryEventType> = {
  Task: 'TaskStateExited',
  Pass: 'PassStateExited',
  Choice: 'ChoiceStateExited',
  Wait: 'WaitStateExited',
  Succeed: 'SucceedStateExited',
  Map: 'MapStateExited',
  Parallel: 'ParallelStateExited',
};

/**
 * Turns the engine's state-level events into AWS history events. Task events (TaskScheduled,
 * TaskSucceeded...) come from the task handler; execution events from the execution itself.
 */
export class EngineEventRecorder {
  // A caught Map/Parallel failure still "exits" in the engine's log; it must not read as success.
  private readonly failedStates = new Set<string>();

  constructor(private readonly history: HistoryLog) {}

  record(event: EngineEvent): void {
    switch (event.type) {
      case 'StateEntered': {
        const type = ENTERED[event.state.type];
        if (type === undefined) return;
        this.history.add(type, {
          stateEnteredEventDetails: {
            name: event.state.name,
            input: jsonText(event.state.input),
            inputDetails: { truncated: false },
          },
        });
        if (event.state.type === 'Map')
          this.history.add('MapStateStarted', { mapStateStartedEventDetails: {} });
        if (event.state.type === 'Parallel') this.history.add('ParallelStateStarted');
        return;
      }
      case 'StateExited': {
        const type = EXITED[event.state.type];
        if (type === undefined) return;
        const failed = this.failedStates.delete(event.state.name);
        if (!failed && event.state.type === 'Map') this.history.add('MapStateSucceeded');
        if (!failed && event.state.type === 'Parallel') this.history.add('ParallelStateSucceeded');
        this.history.add(type, {
          stateExitedEventDetails: {
            name: event.state.name,
            output: jsonText(event.state.output),
            outputDetails: { truncated: false },
          },
        });
        return;
      }
      case 'StateFailed':
        if (event.state.type === 'Map' || event.state.type === 'Parallel') {
          this.failedStates.add(event.state.name);
          this.history.add(event.state.type === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
        }
        return;
      case 'MapIterationStarted':
        this.history.add('MapIterationStarted', {
          mapIterationStartedEventDetails: { name: event.parentState.name, index: event.index },
        });
        return;
      case 'MapIterationSucceeded':
        this.history.add('MapIterationSucceeded', {
          mapIterationSucceededEventDetails: { name: event.parentState.name, index: event.index },
        });
        return;
      case 'MapIterationFailed':
        this.history.add('MapIterationFailed', {
          mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index },
        });
        return;
      default:
        return;
    }
  }
}
