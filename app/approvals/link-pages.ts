import { escapeHtml } from '../shared/html';
import type { Approval, Decision } from './model';
import { commentRequired } from './policy';

export interface Page {
  statusCode: number;
  title: string;
  body: string;
}

type Names = (userId: string) => string;

function layout(page: Page): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(page.title)} · Greenlight</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1c1d;background:#f8f8f8;margin:0;padding:24px;line-height:1.5}
main{max-width:34rem;margin:0 auto;background:#fff;border:1px solid #ddd;border-radius:8px;padding:24px}
h1{font-size:1.4rem;margin:0 0 12px}
.meta{color:#555}
label{display:block;font-weight:600;margin:16px 0 4px}
textarea{width:100%;box-sizing:border-box;min-height:5rem;font:inherit;padding:8px}
button{font:inherit;font-weight:600;border:0;border-radius:4px;padding:10px 18px;color:#fff;margin-top:16px;cursor:pointer}
.approve{background:#007a5a}.reject{background:#c01343}
button:focus-visible,textarea:focus-visible{outline:3px solid #1264a3;outline-offset:2px}
</style></head>
<body><main>${page.body}</main></body></html>`;
}

export function renderPage(page: Page): string {
  return layout(page);
}

function summary(approval: Approval, names: Names): string {
  const details = approval.details
    ? `<p style="white-space:pre-wrap">${escapeHtml(approval.details)}</p>`
    : '';
  return `<p class="meta">Request ${escapeHtml(approval.id)} from ${escapeHtml(names(approval.requester))}</p>
<h2 style="font-size:1.15rem;margin:0 0 8px">${escapeHtml(approval.title)}</h2>${details}`;
}

/**
 * The page a link's GET shows: it decides nothing (mail scanners follow links), it only offers
 * the button whose POST decides. The token travels in the form body, not in another URL.
 */
export function confirmationPage(input: {
  approval: Approval;
  decision: Decision;
  approverName: string;
  token: string;
  actionPath: string;
  names: Names;
}): Page {
  const verb = input.decision === 'approve' ? 'Approve' : 'Reject';
  // The request's policy may require a comment on this decision; the write refuses one without it.
  const required = commentRequired(input.approval.requireCommentOn, input.decision);
  const comment =
    input.decision === 'reject' || required
      ? `<label for="comment">Comment for the requester (${required ? 'required' : 'optional'})</label><textarea id="comment" name="comment" maxlength="500"${required ? ' required' : ''}></textarea>`
      : '';
  return {
    statusCode: 200,
    title: `${verb} ${input.approval.id}?`,
    body: `<h1>${verb} this request?</h1>
${summary(input.approval, input.names)}
<p>You are deciding as ${escapeHtml(input.approverName)}.</p>
<form method="post" action="${escapeHtml(input.actionPath)}">
<input type="hidden" name="token" value="${escapeHtml(input.token)}">${comment}
<button type="submit" class="${input.decision}">${verb}</button>
</form>`,
  };
}

export function decidedPage(approval: Approval, names: Names): Page {
  if (approval.status === 'PENDING') {
    const need = approval.need ?? 1;
    const approvals = need - (approval.remaining ?? 0);
    return {
      statusCode: 200,
      title: `Approval counted: ${approval.id}`,
      body: `<h1>Your approval is counted: ${approvals} of ${need}. Thank you.</h1>${summary(approval, names)}<p>The request is decided when ${need} approvers have approved, or one rejects it.</p>`,
    };
  }
  const verb = approval.status === 'APPROVED' ? 'Approved' : 'Rejected';
  return {
    statusCode: 200,
    title: `${verb} ${approval.id}`,
    body: `<h1>${verb}. Thank you.</h1>${summary(approval, names)}<p>The requester is being told, and the Slack message is updated.</p>`,
  };
}

const CLOSED: Record<string, string> = {
  APPROVED: 'approved',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  CANCELLED: 'cancelled',
};

export function closedPage(approval: Approval, names: Names): Page {
  const by =
    approval.decider && approval.status !== 'EXPIRED' ? ` by ${escapeHtml(names(approval.decider))}` : '';
  const when = approval.decidedAt
    ? ` on ${escapeHtml(approval.decidedAt.slice(0, 16).replace('T', ' '))} UTC`
    : '';
  return {
    statusCode: 409,
    title: `${approval.id} is closed`,
    body: `<h1>This request is already closed</h1>${summary(approval, names)}<p>It was ${CLOSED[approval.status] ?? 'closed'}${by}${when}. Nothing changed.</p>`,
  };
}

export const invalidLinkPage: Page = {
  statusCode: 403,
  title: 'Link not valid',
  body: '<h1>This link is not valid</h1><p>It may have been altered or cut off. Open the link from the e-mail again, or decide in Slack. Nothing changed.</p>',
};

export const expiredLinkPage: Page = {
  statusCode: 410,
  title: 'Link expired',
  body: '<h1>This link has expired</h1><p>The request it was for is past its deadline. Nothing changed.</p>',
};

export const unknownRequestPage: Page = {
  statusCode: 404,
  title: 'Request not found',
  body: '<h1>This request no longer exists</h1><p>Nothing changed.</p>',
};

export const notAllowedPage: Page = {
  statusCode: 403,
  title: 'Not allowed',
  body: '<h1>You cannot decide this request</h1><p>You are not one of its approvers, or it is your own request. Nothing changed.</p>',
};

export function alreadyVotedPage(decision: Decision): Page {
  const verb = decision === 'approve' ? 'approved' : 'rejected';
  return {
    statusCode: 409,
    title: `Already ${verb}`,
    body: `<h1>You already ${verb} this request</h1><p>It is waiting for the other approvers. Nothing changed.</p>`,
  };
}

export const commentRequiredPage: Page = {
  statusCode: 400,
  title: 'Comment required',
  body: '<h1>This request needs a comment</h1><p>Its policy asks every such decision to say why. Go back, write a comment and submit again. Nothing changed.</p>',
};

export function problemPage(statusCode: number, title: string, sentence: string): Page {
  return { statusCode, title, body: `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(sentence)}</p>` };
}
