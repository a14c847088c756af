import { describe, expect, it } from '@jest/globals';
import { checkDecisionLink, decisionLink } from '../../../app/approvals/email-links';
import { approvalEmail } from '../../../app/approvals/email-message';
import { newApproval, REQUEST_LIMITS, requestErrorText } from '../../../app/approvals/new-request';

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
    [[], { field: 'approvers', problem: 'missing' }, 'Name at least one approver.'],
    [
      ['U0RITA'],
      { field: 'approvers', problem: 'only-requester' },
      'You cannot approve your own request; name someone else as approver.',
    ],
  ])('refuses approvers %j', (approvers, error, text) => {
    const result = newApproval({ ...base, approvers }, { allowSelfApproval: false }, NOW);
    expect(result).toEqual({ ok: false, errors: [error] });
    expect(!result.ok && requestErrorText(result.errors[0])).toBe(text);
  });

  it('refuses details over the limit', () => {
    const result = newApproval(
      { ...base, approvers: ['U0ANA'], details: 'x'.repeat(2001) },
      { allowSelfApproval: false },
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'details', problem: 'too-long', length: 2001, max: 2000 }],
    });
    expect(!result.ok && requestErrorText(result.errors[0])).toBe(
      'The details are 2001 characters; keep them to 2000.',
    );
  });

  it('names every field that is wrong, one error each, in the order of the form', () => {
    const result = newApproval(
      {
        id: 'GL-7K3F9Q',
        title: ' ',
        requester: 'U0RITA',
        approvers: Array.from({ length: 11 }, (_, i) => `U0A${i}`),
        channelId: '',
        timeoutSeconds: 3600,
        email: 'yes',
      },
      { allowSelfApproval: false },
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'title', problem: 'missing' },
        { field: 'approvers', problem: 'too-many', count: 11, max: REQUEST_LIMITS.approvers },
        { field: 'channel', problem: 'missing' },
        { field: 'email', problem: 'not-yes-or-no' },
      ],
    });
  });

  it.each([
    [0, { field: 'timeout', problem: 'too-short', min: 1 }],
    [-60, { field: 'timeout', problem: 'too-short', min: 1 }],
    [90.5, { field: 'timeout', problem: 'not-whole-seconds' }],
    ['3600', { field: 'timeout', problem: 'not-whole-seconds' }],
    [undefined, { field: 'timeout', problem: 'not-whole-seconds' }],
    [Number.NaN, { field: 'timeout', problem: 'not-whole-seconds' }],
    [30 * 86_400 + 1, { field: 'timeout', problem: 'too-long', max: 30 * 86_400 }],
  ])('refuses a timeout of %p seconds', (timeoutSeconds, error) => {
    expect(
      newApproval({ ...base, approvers: ['U0ANA'], timeoutSeconds }, { allowSelfApproval: false }, NOW),
    ).toEqual({
      ok: false,
      errors: [error],
    });
  });

  it('refuses approvers that are not a list of user ids, and a title that is not text', () => {
    const result = newApproval({ ...base, title: 42, approvers: 'U0ANA' }, { allowSelfApproval: false }, NOW);
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'title', problem: 'missing' },
        { field: 'approvers', problem: 'not-people' },
      ],
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
