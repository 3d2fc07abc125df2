/** The Owner element S3 puts in listings and ACLs. */
import type { Identity } from "../auth/authenticate";
import type { GatewayConfig } from "../config";

export function ownerElement(identity: Identity) {
  return { ID: identity.ownerId, DisplayName: identity.displayName };
}

/** An owner by id: its DisplayName when the id is a configured key's owner. */
export function ownerById(config: GatewayConfig, ownerId: string): { ID: string; DisplayName?: string } {
  const name = config.displayNames.get(ownerId);
  return name === undefined ? { ID: ownerId } : { ID: ownerId, DisplayName: name };
}
