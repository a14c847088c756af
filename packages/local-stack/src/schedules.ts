import type { ScheduleDefinition } from './template';

/**
 * EventBridge Scheduler for the template's `rate(…)` schedules: each fires every period, first one
 * period after the stack starts (as a new schedule does), and invokes its function asynchronously
 * with the target's Input, as Scheduler invokes a Lambda target.
 */
export interface Schedules {
  /** How many times each schedule has fired. */
  fired(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export function startSchedules(options: {
  schedules: readonly ScheduleDefinition[];
  invoke: (logicalId: string, event: unknown) => void;
  /** Period override for every schedule (tests); default each schedule's own rate. */
  everyMs?: number;
}): Schedules {
  const fired: Record<string, number> = {};
  const timers = options.schedules.map((schedule) => {
    fired[schedule.logicalId] = 0;
    const timer = setInterval(() => {
      fired[schedule.logicalId] = (fired[schedule.logicalId] ?? 0) + 1;
      options.invoke(schedule.functionId, schedule.input);
    }, options.everyMs ?? schedule.everyMs);
    // A schedule alone never keeps the process (or a test run) alive.
    timer.unref();
    return timer;
  });
  return {
    fired: () => ({ ...fired }),
    close: async () => {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
