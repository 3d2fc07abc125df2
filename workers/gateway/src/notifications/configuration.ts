/**
 * The NotificationConfiguration document of PutBucketNotificationConfiguration and
 * GetBucketNotificationConfiguration, parsed into `NotificationTarget[]` when written (a bad
 * target is refused then, never skipped at delivery) and written back by the one XML module.
 *
 * A destination (Queue, Topic or CloudFunction) is a webhook: an http or https URL, to which
 * queue-service POSTs each event as S3's event JSON (as MinIO's webhook targets do). What S3
 * answers for a bad document, in this order:
 * - not XML, an element S3's schema does not have, a configuration without its destination
 *   or event → MalformedXML;
 * - an event type S3 does not have → InvalidArgument "The event is not supported for notifications";
 * - a filter rule named other than prefix or suffix, or two of one name → InvalidArgument;
 * - a destination that is not an http(s) URL → InvalidArgument "Unable to validate the
 *   following destination configurations" (S3's answer for a destination it cannot reach);
 *   the same for one that would reach MockS3 itself, one of its own ports on this machine
 *   (shared/own-sockets.ts; checked again at every delivery).
 * An empty configuration turns notifications off. Ids are generated where absent, as S3 does.
 */
import { EVENT_NAMES, type NotificationTarget } from "../../../../shared/notifications/object-events";
import { destinationRefusal } from "../../../../shared/own-sockets";
import { S3Error } from "../../../../shared/s3-errors";
import type { XmlDocument } from "../../../../shared/s3-xml";
import { parseXml } from "../body/xml-body";

export const MAX_NOTIFICATION_DOCUMENT_BYTES = 64 * 1024;
const MAX_TARGETS = 100;

const KINDS = {
  QueueConfiguration: "Queue",
  TopicConfiguration: "Topic",
  CloudFunctionConfiguration: "CloudFunction",
} as const;
type Kind = keyof typeof KINDS;

const ROOT = "NotificationConfiguration";
const REPEATED = Object.keys(KINDS).flatMap((kind) => [`${ROOT}.${kind}`, `${ROOT}.${kind}.Event`, `${ROOT}.${kind}.Filter.S3Key.FilterRule`]);
/** Every event name, and each family's wildcard (`s3:ObjectCreated:*`, `s3:LifecycleExpiration:*`…). */
const KNOWN_EVENTS = new Set(EVENT_NAMES.flatMap((name) => [`s3:${name}`, `s3:${name.split(":")[0]}:*`]));

export function parseNotificationConfiguration(text: string): NotificationTarget[] {
  const document = parseXml(text, { depth: 6, repeated: REPEATED });
  if (!document || !Object.hasOwn(document, ROOT)) throw new S3Error("MalformedXML");
  const root = document[ROOT];
  if (root === "" || root === undefined) return [];
  if (!isRecord(root)) throw new S3Error("MalformedXML");
  const targets: NotificationTarget[] = [];
  for (const [name, value] of Object.entries(root)) {
    if (name === "EventBridgeConfiguration") continue;
    if (!(name in KINDS)) throw new S3Error("MalformedXML");
    for (const entry of value as unknown[]) targets.push(parseTarget(name as Kind, entry, targets.length));
  }
  if (targets.length > MAX_TARGETS) throw new S3Error("InvalidArgument", `A configuration may have at most ${MAX_TARGETS} destinations.`);
  return targets;
}

function parseTarget(kind: Kind, entry: unknown, index: number): NotificationTarget {
  if (!isRecord(entry)) throw new S3Error("MalformedXML");
  const destinationElement = KINDS[kind];
  for (const name of Object.keys(entry)) {
    if (!name.startsWith("#") && !["Id", destinationElement, "Event", "Filter"].includes(name)) throw new S3Error("MalformedXML");
  }
  const destination = entry[destinationElement];
  const events = entry.Event;
  if (typeof destination !== "string" || !Array.isArray(events) || events.length === 0) throw new S3Error("MalformedXML");
  for (const event of events) {
    if (typeof event !== "string") throw new S3Error("MalformedXML");
    if (!KNOWN_EVENTS.has(event)) throw new S3Error("InvalidArgument", "The event is not supported for notifications", { ArgumentName: event, ArgumentValue: event });
  }
  if (!isWebhook(destination)) throw unvalidated(destination, `${destination} is not an http or https URL (MockS3 delivers events to webhooks).`);
  const id = typeof entry.Id === "string" && entry.Id !== "" ? entry.Id : `notification-${index + 1}`;
  return { id, kind, destination, events: [...new Set(events as string[])], ...parseFilter(entry.Filter) };
}

function parseFilter(filter: unknown): { prefix?: string; suffix?: string } {
  if (filter === undefined || filter === "") return {};
  const s3Key = isRecord(filter) ? filter.S3Key : undefined;
  if (s3Key === "") return {};
  const rules = isRecord(s3Key) ? s3Key.FilterRule : undefined;
  if (!Array.isArray(rules)) throw new S3Error("MalformedXML");
  const found: { prefix?: string; suffix?: string } = {};
  for (const rule of rules) {
    if (!isRecord(rule) || typeof rule.Name !== "string") throw new S3Error("MalformedXML");
    const name = rule.Name.toLowerCase();
    const value = typeof rule.Value === "string" ? rule.Value : "";
    if (name !== "prefix" && name !== "suffix") throw new S3Error("InvalidArgument", "filter rule name must be either prefix or suffix", { ArgumentName: "FilterRule", ArgumentValue: rule.Name });
    if (found[name] !== undefined) throw new S3Error("InvalidArgument", `Cannot specify more than one ${name} rule in a filter.`, { ArgumentName: "FilterRule", ArgumentValue: rule.Name });
    found[name] = value;
  }
  return found;
}

/** Refuses a configuration with a destination that would reach MockS3 itself. `guard`: MOCKS3_DESTINATION_GUARD. */
export async function checkDestinations(targets: readonly NotificationTarget[], guard: string): Promise<void> {
  const destinations = [...new Set(targets.map((target) => target.destination))];
  const refusals = await Promise.all(destinations.map((destination) => destinationRefusal(guard, destination)));
  const refused = refusals.findIndex((reason) => reason !== undefined);
  if (refused >= 0) throw unvalidated(destinations[refused]!, `${refusals[refused]}; MockS3 sends no events to its own ports.`);
}

function unvalidated(destination: string, why: string): S3Error {
  return new S3Error("InvalidArgument", `Unable to validate the following destination configurations: ${why}`, { ArgumentName: destination, ArgumentValue: "" });
}

/** GetBucketNotificationConfiguration: the targets grouped by kind, in the order written. */
export function notificationConfigurationXml(targets: readonly NotificationTarget[]): XmlDocument {
  const content: Record<string, unknown[]> = {};
  for (const target of targets) {
    const rules = [...(target.prefix !== undefined ? [{ Name: "Prefix", Value: target.prefix }] : []), ...(target.suffix !== undefined ? [{ Name: "Suffix", Value: target.suffix }] : [])];
    (content[target.kind] ??= []).push({
      Id: target.id,
      [KINDS[target.kind]]: target.destination,
      Event: target.events,
      Filter: rules.length > 0 ? { S3Key: { FilterRule: rules } } : undefined,
    });
  }
  return [ROOT, content as XmlDocument[1]];
}

function isWebhook(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
