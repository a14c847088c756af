import { domainOf } from './mailbox';
import { SesError } from './ses-error';

/**
 * Which senders SES accepts: a verified address, or any address of a verified domain. With no list
 * every sender passes, which is what a local stack usually wants.
 */
export class IdentityPolicy {
  private readonly identities: ReadonlySet<string> | undefined;

  constructor(verifiedIdentities: ReadonlyArray<string> | undefined) {
    this.identities =
      verifiedIdentities === undefined
        ? undefined
        : new Set(verifiedIdentities.map((identity) => identity.toLowerCase()));
  }

  requireVerifiedSender(address: string, region: string): void {
    if (this.identities === undefined) return;
    const normalized = address.toLowerCase();
    if (this.identities.has(normalized) || this.identities.has(domainOf(normalized))) return;
    throw new SesError(
      'MessageRejected',
      `Email address is not verified. The following identities failed the check in region ${region.toUpperCase()}: ${address}`,
    );
  }
}
