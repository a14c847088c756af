import type { Refusal } from '../../approvals';
import { outcomeLine } from './approval-message';

/** Why a click or a link decided nothing, said precisely to the person who tried. */
export function refusalText(refusal: Refusal, approvalId: string): string {
  switch (refusal.reason) {
    case 'not-found':
      return `:warning: There is no request \`${approvalId}\`.`;
    case 'not-an-approver':
      return `:no_entry_sign: You are not an approver of \`${approvalId}\`, so your click changed nothing.`;
    case 'own-request':
      return `:no_entry_sign: You asked for \`${approvalId}\`; someone else has to decide it.`;
    case 'expired':
      return `:hourglass: \`${approvalId}\` has expired; it can no longer be decided.`;
    case 'already-voted':
      return `:information_source: You already ${refusal.decision === 'approve' ? 'approved' : 'rejected'} \`${approvalId}\`; it is waiting for the other approvers.`;
    case 'comment-required':
      return `:memo: \`${approvalId}\` needs a comment to ${refusal.decision}: its policy asks every such decision to say why. Nothing changed.`;
    case 'already-decided':
      return `:information_source: \`${approvalId}\` is already closed. ${outcomeLine(refusal.approval)}`;
  }
}
