/**
 * A bucket's lifecycle configuration (as the gateway checked and stored it,
 * workers/gateway/src/bucket-config/lifecycle-kind.ts) read into the rules the bucket carries
 * out: which objects a rule covers (a prefix, tags, sizes — the Filter, or the legacy Prefix),
 * its expiry actions and its transitions to colder storage classes. Disabled rules are left
 * out.
 */
import type { StorageClass, TagSet } from "../../shared/records";

/** A move to a colder class: some days after a version was written (or became noncurrent), or from a date on (ms). */
export interface Transition {
  days?: number;
  date?: number;
  storageClass: StorageClass;
}

export interface LifecycleRule {
  prefix: string;
  tags: TagSet;
  /** sizes strictly between these (S3's ObjectSizeGreaterThan / LessThan) */
  minSize?: number;
  maxSize?: number;
  /** current versions: this many days after they were written, or from this date on (ms) */
  expireDays?: number;
  expireDate?: number;
  /** a delete marker that is a key's only version is removed */
  expiredDeleteMarkers: boolean;
  /** noncurrent versions: this many days after they became noncurrent, keeping the newest `keepNewer` of them */
  noncurrentDays?: number;
  keepNewer: number;
  /** multipart uploads this many days after they began */
  abortDays?: number;
  /** current versions' transitions, and noncurrent versions' (by days since they became noncurrent) */
  transitions: Transition[];
  noncurrentTransitions: Transition[];
}

type Element = Record<string, unknown>;

/** The enabled rules of a stored lifecycle document; none for no document. */
export function lifecycleRules(stored: string | null | undefined): LifecycleRule[] {
  if (!stored) return [];
  const document = JSON.parse(stored) as { Rule?: Element[] };
  return (document.Rule ?? []).filter((rule) => rule.Status === "Enabled").map(ruleOf);
}

function ruleOf(rule: Element): LifecycleRule {
  const filter = typeof rule.Filter === "object" && rule.Filter !== null ? (rule.Filter as Element) : {};
  const and = typeof filter.And === "object" && filter.And !== null ? (filter.And as Element) : undefined;
  const scope = and ?? filter;
  const tagList = ([] as unknown[]).concat(scope.Tag ?? []) as Array<{ Key?: string; Value?: string }>;
  const expiration = child(rule, "Expiration");
  const noncurrent = child(rule, "NoncurrentVersionExpiration");
  const abort = child(rule, "AbortIncompleteMultipartUpload");
  const parsed: LifecycleRule = {
    prefix: text(scope.Prefix) ?? text(rule.Prefix) ?? "",
    tags: tagList.map((tag) => ({ key: tag.Key ?? "", value: tag.Value ?? "" })),
    expiredDeleteMarkers: text(expiration?.ExpiredObjectDeleteMarker) === "true",
    keepNewer: number(noncurrent?.NewerNoncurrentVersions) ?? 0,
    transitions: transitionsOf(rule.Transition, "Days"),
    noncurrentTransitions: transitionsOf(rule.NoncurrentVersionTransition, "NoncurrentDays"),
  };
  const set = <K extends keyof LifecycleRule>(field: K, value: LifecycleRule[K] | undefined) => {
    if (value !== undefined) parsed[field] = value;
  };
  set("minSize", number(scope.ObjectSizeGreaterThan));
  set("maxSize", number(scope.ObjectSizeLessThan));
  set("expireDays", number(expiration?.Days));
  const date = text(expiration?.Date);
  set("expireDate", date === undefined ? undefined : Date.parse(date));
  set("noncurrentDays", number(noncurrent?.NoncurrentDays));
  set("abortDays", number(abort?.DaysAfterInitiation));
  return parsed;
}

/** Whether a rule covers an object version of this key, size and tags. */
export function covers(rule: LifecycleRule, key: string, size: number, tags: TagSet): boolean {
  if (!key.startsWith(rule.prefix)) return false;
  if (rule.minSize !== undefined && !(size > rule.minSize)) return false;
  if (rule.maxSize !== undefined && !(size < rule.maxSize)) return false;
  return rule.tags.every((wanted) => tags.some((tag) => tag.key === wanted.key && tag.value === wanted.value));
}

function transitionsOf(value: unknown, daysField: string): Transition[] {
  return (([] as unknown[]).concat(value ?? []) as Element[]).map((element) => {
    const transition: Transition = { storageClass: text(element.StorageClass) as StorageClass };
    const days = number(element[daysField]);
    if (days !== undefined) transition.days = days;
    const date = text(element.Date);
    if (date !== undefined) transition.date = Date.parse(date);
    return transition;
  });
}

function child(element: Element, name: string): Element | undefined {
  const value = element[name];
  return typeof value === "object" && value !== null ? (value as Element) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === "string" && value.trim() !== "" ? Number(value) : undefined;
}
