import { SfnApiError } from './sfn-error';
import type { TaskAttempt } from './task-attempt';
import { isWellFormedTaskToken } from './task-token';

/** Finds the task a SendTask* call is about, with the errors AWS gives when it cannot. */
export class TaskTokenRegistry {
  private readonly attempts = new Map<string, TaskAttempt>();

  register(attempt: TaskAttempt): void {
    this.attempts.set(attempt.token, attempt);
  }

  /** The open attempt holding this token; a closed one (done, timed out, stopped) is TaskTimedOut. */
  openAttempt(token: string): TaskAttempt {
    const attempt = this.attempts.get(token);
    if (attempt === undefined) {
      throw isWellFormedTaskToken(token)
        ? new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist')
        : new SfnApiError('InvalidToken', 'Invalid Token');
    }
    if (!attempt.isOpen) throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
    return attempt;
  }
}
