import type { Approval, DecisionOutput } from '../approvals';
import type { StoredKey } from './api-keys';
import type { GateRequest } from './gate-request';

/** Who calls the API, once authenticated: `id` is what the record keeps, `label` what people read. */
export interface Caller {
  id: string;
  label: string;
}

export type IdempotencyClaim =
  | { claimed: true }
  | { claimed: false; approvalId: string; fingerprint: string };

/** The gates' own table (keys, idempotency keys) and the approval records the API creates and reads. */
export interface GateStore {
  findKey(keyId: string): Promise<StoredKey | undefined>;
  /** Records when a key was last used; a failure here never refuses the call. */
  touchKey(keyId: string, at: Date): Promise<void>;
  /** Takes an idempotency key for a request, or says which request already has it. */
  claimIdempotencyKey(input: {
    caller: string;
    key: string;
    fingerprint: string;
    approvalId: string;
    at: Date;
  }): Promise<IdempotencyClaim>;
  /** Writes the pending record, as /greenlight's command workflow does; `exists` when it already is. */
  createRecord(request: GateRequest, correlationId: string): Promise<'created' | 'exists'>;
  get(id: string): Promise<Approval | undefined>;
  /** PENDING → CANCELLED in one conditional write; the task token when it wins. */
  withdraw(
    id: string,
    cancellation: DecisionOutput,
  ): Promise<{ won: true; taskToken: string | undefined } | { won: false }>;
}

/** Starts the approval workflow for a request (an execution named after its id, so at most one). */
export interface ApprovalStarter {
  start(request: GateRequest, correlationId: string): Promise<void>;
}
