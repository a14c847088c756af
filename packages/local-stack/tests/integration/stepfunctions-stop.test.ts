import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

describe('stopping the local Step Functions endpoint', () => {
  it('aborts an execution waiting on a task token and leaves nothing that keeps the process alive', async () => {
    // One process (tsx as a loader, not its CLI), so the watchdog's kill reaches the code under test.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/fixtures/stepfunctions/stop-while-waiting.ts'],
      {
        cwd: join(__dirname, '../..'),
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // A leaked task timer (the engine's, armed for TimeoutSeconds) would keep the child running:
    // the watchdog turns that into a failure with the child's output instead of a hung test run.
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(watchdog);

    expect({ code, output: output.trim() }).toEqual({ code: 0, output: 'ABORTED' });
  });
});
