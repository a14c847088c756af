import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  appendLogLine,
  DamagedFileError,
  readLog,
  readSnapshot,
  writeSnapshot,
} from '../../src/durable-file';

describe('crash-safe files of the local stack', () => {
  let dir: string;
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'greenlight-durable-'));
    warnings.length = 0;
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what it wrote, creating the folder', () => {
    const path = join(dir, 'nested', 'state.json');
    writeSnapshot(path, JSON.stringify({ a: [1, 'é', null] }));
    expect(readSnapshot(path, warn)).toEqual({ a: [1, 'é', null] });
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('has nothing to read where nothing was written', () => {
    expect(readSnapshot(join(dir, 'none.json'), warn)).toBeUndefined();
  });

  it('reports a write cut short and keeps the last complete snapshot', () => {
    const path = join(dir, 'state.json');
    writeSnapshot(path, '{"version":1}');
    writeFileSync(`${path}.tmp`, '{"format":"greenlight-local-snapshot/1","len');
    expect(readSnapshot(path, warn)).toEqual({ version: 1 });
    expect(warnings).toEqual([expect.stringContaining('a write was cut short')]);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it('refuses a snapshot that lost its end or changed, naming the file', () => {
    const path = join(dir, 'state.json');
    writeSnapshot(path, '{"messages":["one","two"]}');
    const whole = readFileSync(path, 'utf8');
    writeFileSync(path, whole.slice(0, -5));
    expect(() => readSnapshot(path, warn)).toThrow(DamagedFileError);
    expect(() => readSnapshot(path, warn)).toThrow(`${path} is damaged`);
    writeFileSync(path, whole.replace('one', 'eno'));
    expect(() => readSnapshot(path, warn)).toThrow('checksum mismatch');
    writeFileSync(path, '{"messages":[]}');
    expect(() => readSnapshot(path, warn)).toThrow('no header line');
  });

  it('keeps every complete line of a log and cuts off a torn last one', () => {
    const path = join(dir, 'events.jsonl');
    appendLogLine(path, { n: 1 });
    appendLogLine(path, { n: 2 });
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"n":`);
    expect(readLog(path, warn)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(warnings).toEqual([expect.stringContaining('its last entry was cut short')]);
    appendLogLine(path, { n: 3 });
    expect(readLog(path, warn)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('refuses a log with a damaged line in the middle rather than dropping what follows it', () => {
    const path = join(dir, 'events.jsonl');
    writeFileSync(path, '{"n":1}\nnot json\n{"n":3}\n');
    expect(() => readLog(path, warn)).toThrow(`${path} is damaged (line 2 is not JSON)`);
  });
});
