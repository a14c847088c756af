import { escapeHtml } from '../shared/html';
import type { Approval } from './model';

export interface ApprovalEmailInput {
  approval: Pick<Approval, 'id' | 'title' | 'details' | 'expiresAt'>;
  requesterName: string;
  approverName: string;
  approveUrl: string;
  rejectUrl: string;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

function formatInstant(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The e-mail an approver gets. Both links only open a confirmation page: mail scanners that follow
 * links must not decide anything, so the decision is a button press on that page.
 */
export function approvalEmail(input: ApprovalEmailInput): EmailContent {
  const { approval } = input;
  const expires = formatInstant(approval.expiresAt);
  const subject = `Approval needed: ${approval.title} (${approval.id})`;
  const text = [
    `Hi ${input.approverName},`,
    '',
    `${input.requesterName} asks for your approval:`,
    '',
    `  ${approval.title}`,
    ...(approval.details ? ['', approval.details] : []),
    '',
    `Request ${approval.id}, open until ${expires}.`,
    '',
    `Approve: ${input.approveUrl}`,
    `Reject:  ${input.rejectUrl}`,
    '',
    'Each link opens a page where you confirm. The links work only for you and stop working once',
    'the request is decided or expires. You can also decide in Slack.',
  ].join('\n');
  const details = approval.details
    ? `<p style="white-space:pre-wrap;margin:0 0 16px">${escapeHtml(approval.details)}</p>`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1d1c1d;line-height:1.5">
<p>Hi ${escapeHtml(input.approverName)},</p>
<p>${escapeHtml(input.requesterName)} asks for your approval:</p>
<h1 style="font-size:20px;margin:0 0 8px">${escapeHtml(approval.title)}</h1>
${details}<p style="color:#616061">Request ${escapeHtml(approval.id)}, open until ${escapeHtml(expires)}.</p>
<p>
<a href="${escapeHtml(input.approveUrl)}" style="display:inline-block;padding:8px 16px;background:#007a5a;color:#fff;text-decoration:none;border-radius:4px">Approve…</a>
&nbsp;
<a href="${escapeHtml(input.rejectUrl)}" style="display:inline-block;padding:8px 16px;background:#e01e5a;color:#fff;text-decoration:none;border-radius:4px">Reject…</a>
</p>
<p style="color:#616061;font-size:13px">Each link opens a page where you confirm. The links work only for you and stop working once the request is decided or expires. You can also decide in Slack.</p>
</body></html>`;
  return { subject, text, html };
}
