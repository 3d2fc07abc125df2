/** The Owner element S3 puts in listings and ACLs. */
import type { Identity } from "../auth/authenticate";

export function ownerElement(identity: Identity) {
  return { ID: identity.ownerId, DisplayName: identity.displayName };
}
