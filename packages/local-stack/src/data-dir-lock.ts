import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirInUse } from './start-errors';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One stack per data directory, whatever DynamoDB engine it runs: two stacks writing the same
 * executions, Slack workspace and outbox would each overwrite the other's files. The lock names the
 * process that holds it; a lock left by a process that is gone (a SIGKILL) is taken over.
 */
export function lockDataDir(dataDir: string): { close(): Promise<void> } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'stack.lock');
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder))
        throw dataDirInUse(dataDir);
      rmSync(file, { force: true });
    }
  }
  return {
    close: async () => {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    },
  };
}
