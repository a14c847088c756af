import type { Approval, ApprovalStatus } from './model';

/** Rows as DynamoDB returns them; sets come back as Set and numbers as number. */
type Row = Record<string, unknown>;

function stringList(value: unknown): string[] {
  if (value instanceof Set)
    return [...value].filter((item): item is string => typeof item === 'string').sort();
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads a stored row into the domain's record; unknown extra attributes are ignored. */
export function approvalFromRow(row: Row): Approval {
  const approval: Approval = {
    // Inbox items (one per approver) carry the id in approvalId; the record carries it as its key.
    id: String(row.approvalId ?? row.pk),
    status: String(row.status) as ApprovalStatus,
    title: String(row.title ?? ''),
    requester: String(row.requester ?? ''),
    approvers: stringList(row.approvers),
    channelId: String(row.channelId ?? ''),
    createdAt: String(row.createdAt ?? ''),
    expiresAt: String(row.expiresAt ?? ''),
    timeoutSeconds: Number(row.timeoutSeconds ?? 0),
    email: row.email === true,
  };
  const optional = {
    details: optionalString(row.details),
    messageTs: optionalString(row.messageTs),
    decider: optionalString(row.decider),
    comment: optionalString(row.comment),
    decidedAt: optionalString(row.decidedAt),
    decidedVia: optionalString(row.decidedVia) as Approval['decidedVia'],
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(approval, { [key]: value });
  }
  const problems = stringList(row.deliveryProblems);
  if (problems.length > 0) approval.deliveryProblems = problems;
  return approval;
}
