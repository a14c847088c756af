import { describe, expect, it } from '@jest/globals';
import { checkDecisionLink, decisionLink } from '../../../app/approvals/email-links';
import { approvalEmail } from '../../../app/approvals/email-message';
import { newApproval } from '../../../app/approvals/new-request';

const NOW = new Date('2026-11-22T12:00:00Z');
const base = {
  id: 'GL-7K3F9Q',
  title: 'Deploy',
  requester: 'U0RITA',
  channelId: 'C1',
  timeoutSeconds: 3600,
  email: false,
};

describe('newApproval', () => {
  it('dates the request and drops duplicate approvers', () => {
    const result = newApproval(
      { ...base, approvers: ['U0ANA', 'U0ANA', 'U0OMAR'] },
      { allowSelfApproval: false },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      approval: expect.objectContaining({
        approvers: ['U0ANA', 'U0OMAR'],
        createdAt: '2026-11-22T12:00:00.000Z',
        expiresAt: '2026-11-22T13:00:00.000Z',
        expiresAtEpoch: Date.parse('2026-11-22T13:00:00Z') / 1000,
      }),
    });
  });

  it('takes the requester off the approvers unless self-approval is allowed', () => {
    const approvers = ['U0RITA', 'U0ANA'];
    const strict = newApproval({ ...base, approvers }, { allowSelfApproval: false }, NOW);
    const lenient = newApproval({ ...base, approvers }, { allowSelfApproval: true }, NOW);
    expect(strict.ok && strict.approval.approvers).toEqual(['U0ANA']);
    expect(lenient.ok && lenient.approval.approvers).toEqual(['U0RITA', 'U0ANA']);
  });

  it.each([
    [[], 'Name at least one approver.'],
    [['U0RITA'], 'You cannot approve your own request; name someone else as approver.'],
  ])('refuses approvers %j', (approvers, error) => {
    expect(newApproval({ ...base, approvers }, { allowSelfApproval: false }, NOW)).toEqual({
      ok: false,
      error,
    });
  });

  it('refuses details over the limit', () => {
    expect(
      newApproval(
        { ...base, approvers: ['U0ANA'], details: 'x'.repeat(2001) },
        { allowSelfApproval: false },
        NOW,
      ),
    ).toEqual({
      ok: false,
      error: 'The details are 2001 characters; keep them to 2000.',
    });
  });
});

describe('decision links', () => {
  const grant = { approvalId: 'GL-7K3F9Q', decision: 'reject' as const, approver: 'U0ANA' };

  it('carry the approval, the decision and the approver, and expire with the request', () => {
    const url = decisionLink('https://api.example/prod/', 'k', grant, '2026-11-22T13:00:00Z');
    expect(url.startsWith('https://api.example/prod/approvals/decision?token=')).toBe(true);
    const token = new URL(url).searchParams.get('token') ?? undefined;
    expect(checkDecisionLink('k', token, NOW.getTime())).toEqual({ ok: true, grant });
    expect(checkDecisionLink('k', token, Date.parse('2026-11-22T13:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(checkDecisionLink('other', token, NOW.getTime())).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('approvalEmail', () => {
  it('escapes what people typed in the HTML part', () => {
    const mail = approvalEmail({
      approval: {
        id: 'GL-7K3F9Q',
        title: '<script>alert(1)</script>',
        details: 'a & b',
        expiresAt: '2026-11-22T13:00:00Z',
      },
      requesterName: 'Rita "R" <r@x>',
      approverName: 'Ana',
      approveUrl: 'https://x/approve?token=a&b',
      rejectUrl: 'https://x/reject',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('href="https://x/approve?token=a&amp;b"');
    expect(mail.text).toContain('Approve: https://x/approve?token=a&b');
    expect(mail.subject).toBe('Approval needed: <script>alert(1)</script> (GL-7K3F9Q)');
  });
});
