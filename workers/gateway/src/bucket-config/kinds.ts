/** Every bucket configuration stored and read back as an XML document, by subresource (the policy, JSON, has handlers/bucket-policy.ts). */
import type { ConfigKind } from "./config-kind";
import { lifecycle } from "./lifecycle-kind";
import { objectLock } from "./object-lock-kind";
import { replication } from "./replication-kind";
import { accelerate, encryption, logging, ownershipControls, publicAccessBlock, requestPayment } from "./simple-kinds";
import { tagging } from "./tagging-kind";
import { website } from "./website-kind";

export const CONFIG_KINDS: readonly ConfigKind[] = [tagging, lifecycle, encryption, publicAccessBlock, ownershipControls, website, logging, accelerate, requestPayment, replication, objectLock];

export const KIND_BY_SUBRESOURCE = new Map(CONFIG_KINDS.map((kind) => [kind.subresource, kind]));
