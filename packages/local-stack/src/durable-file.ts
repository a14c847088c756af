import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * Crash-safe files for the local stack's persistent mode (`npm start`, data in `.local/`).
 *
 * A snapshot is written to `<file>.tmp` and renamed over `<file>`: a process killed mid-write
 * (SIGKILL) leaves the previous complete snapshot in place and a `.tmp` that the next start reports
 * and discards. Each snapshot carries its length and SHA-256 in a header line, so a file damaged
 * some other way (a disk full, an editor, a power cut before the data reached the disk) is detected
 * and reported instead of being read as valid. No fsync: the page cache survives a killed process,
 * which is what this guards against; a power cut is detected, not prevented.
 *
 * A log is one JSON value per line, appended; a torn last line (killed mid-append) is reported and
 * cut off, and every complete line before it is kept.
 */

const FORMAT = 'greenlight-local-snapshot/1';

export class DamagedFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path} is damaged (${reason}); it was not used`);
    this.name = 'DamagedFileError';
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Writes JSON text atomically: readers see the old snapshot or the new one, never a mix. */
export function writeSnapshot(path: string, body: string): void {
  const header = JSON.stringify({ format: FORMAT, length: Buffer.byteLength(body), sha256: sha256(body) });
  const temporary = `${path}.tmp`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(temporary, `${header}\n${body}`);
  renameSync(temporary, path);
}

/**
 * The value of a snapshot, or undefined when there is none. A leftover `.tmp` (a write cut short)
 * is reported through `warn` and removed; a snapshot that fails its checks throws DamagedFileError.
 */
export function readSnapshot(path: string, warn: (message: string) => void): unknown {
  const temporary = `${path}.tmp`;
  if (existsSync(temporary)) {
    warn(
      `${temporary}: a write was cut short (the process was stopped while writing); the last complete snapshot is used`,
    );
    renameSync(temporary, `${temporary}.discarded`);
  }
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const newline = text.indexOf('\n');
  if (newline < 0) throw new DamagedFileError(path, 'no header line');
  let header: { format?: unknown; length?: unknown; sha256?: unknown };
  try {
    header = JSON.parse(text.slice(0, newline)) as typeof header;
  } catch {
    throw new DamagedFileError(path, 'the header is not JSON');
  }
  if (header.format !== FORMAT) throw new DamagedFileError(path, `unknown format ${String(header.format)}`);
  const body = text.slice(newline + 1);
  if (Buffer.byteLength(body) !== header.length) {
    throw new DamagedFileError(path, `${Buffer.byteLength(body)} bytes instead of ${String(header.length)}`);
  }
  if (sha256(body) !== header.sha256) throw new DamagedFileError(path, 'checksum mismatch');
  return JSON.parse(body) as unknown;
}

/** Appends one JSON value as a line of an append-only log. */
export function appendLogLine(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${JSON.stringify(value)}\n`);
}

/**
 * Every complete line of a log, in order. A last line without its newline was cut short by a kill:
 * it is reported and cut off so later appends start clean. A complete line that is not JSON is
 * damage, not a torn write: it throws rather than dropping what follows it.
 */
export function readLog(path: string, warn: (message: string) => void): unknown[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) {
    warn(`${path}: its last entry was cut short (the process was stopped while writing it) and is dropped`);
    truncateSync(path, Buffer.byteLength(text.slice(0, end)));
  }
  return text
    .slice(0, end)
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new DamagedFileError(path, `line ${index + 1} is not JSON`);
      }
    });
}
