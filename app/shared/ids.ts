import { createHash, randomInt } from 'node:crypto';

// Crockford's base32 alphabet: no I, L, O or U, so an id read aloud or typed from a screen survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const APPROVAL_ID = /^GL-[0-9A-HJKMNP-TV-Z]{6}$/;

/** A short approval id people can type, e.g. `GL-7K3F9Q` (about 10^9 values). */
export function newApprovalId(): string {
  let suffix = '';
  for (let i = 0; i < 6; i += 1) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `GL-${suffix}`;
}

/**
 * Reads an approval id typed by a person: case-insensitive, the `GL-` prefix optional, and the
 * letters Crockford maps to digits (O→0, I/L→1) accepted. Returns undefined when it cannot be one.
 */
export function normalizeApprovalId(input: string): string | undefined {
  const upper = input.trim().toUpperCase().replace(/^GL-?/, '');
  const mapped = upper.replace(/O/g, '0').replace(/[IL]/g, '1');
  const id = `GL-${mapped}`;
  return APPROVAL_ID.test(id) ? id : undefined;
}

/**
 * The approval id a Workflow Builder step's execution gets, derived from Slack's function execution
 * id: a retried `function_executed` names the same request, which the command workflow refuses to
 * create twice (its conditional put, and the approval workflow named after the id).
 */
export function approvalIdFor(functionExecutionId: string): string {
  const digest = createHash('sha256').update(functionExecutionId).digest();
  let suffix = '';
  for (let i = 0; i < 6; i += 1) suffix += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return `GL-${suffix}`;
}
