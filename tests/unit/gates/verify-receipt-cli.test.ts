import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Approval } from '../../../app/approvals';
import { newReceiptSigningKey, receiptKeyFrom, signReceipt } from '../../../app/gates/receipts';

const key = receiptKeyFrom(newReceiptSigningKey());
const approval: Approval = {
  id: 'GL-AB12CD',
  status: 'REJECTED',
  title: 'Apply the plan',
  requester: 'tf (API key)',
  approvers: ['U0APPROVER'],
  channelId: 'C0APPROVAL',
  createdAt: '2026-12-06T10:00:00.000Z',
  expiresAt: '2026-12-06T11:00:00.000Z',
  timeoutSeconds: 3600,
  email: false,
  decider: 'U0APPROVER',
  decidedAt: '2026-12-06T10:10:00.000Z',
  comment: 'Drops a table',
  origin: { system: 'tf (API key)', artifact: { kind: 'terraform-plan', digest: 'sha256:plan1' } },
};

const dir = mkdtempSync(join(tmpdir(), 'receipt-'));
const jwksFile = join(dir, 'keys.json');
writeFileSync(jwksFile, JSON.stringify({ keys: [key.jwk] }));

function run(args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-receipt.ts', ...args], {
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
}

describe('npm run verify-receipt', () => {
  it('verifies a receipt from stdin offline and prints the decision', () => {
    const result = run(['-', '--jwks', jwksFile, '--digest', 'sha256:plan1'], signReceipt(key, approval));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('VERIFIED');
    expect(result.stdout).toContain('REJECTED');
    expect(result.stdout).toContain('U0APPROVER rejected at 2026-12-06T10:10:00.000Z ("Drops a table")');
  });

  it('reads the API’s answer from a file, and fails with status 1 for another digest', () => {
    const file = join(dir, 'answer.json');
    writeFileSync(file, JSON.stringify({ id: approval.id, receipt: signReceipt(key, approval) }));
    const result = run([file, '--jwks', jwksFile, '--digest', 'sha256:plan2']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'NOT VERIFIED: the receipt is for artifact sha256:plan1, not sha256:plan2',
    );
  });
});
