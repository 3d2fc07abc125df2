/** Which of a bucket's notification targets an event goes to: its type and its key's prefix and suffix. */
import type { NotificationTarget, ObjectEvent } from "./object-events";

export function targetsOf(event: ObjectEvent, targets: NotificationTarget[]): NotificationTarget[] {
  return targets.filter((target) => matches(target, event));
}

function matches(target: NotificationTarget, event: ObjectEvent): boolean {
  const name = `s3:${event.name}`;
  const family = `${name.slice(0, name.lastIndexOf(":"))}:*`;
  if (!target.events.some((wanted) => wanted === name || wanted === family)) return false;
  if (target.prefix && !event.key.startsWith(target.prefix)) return false;
  if (target.suffix && !event.key.endsWith(target.suffix)) return false;
  return true;
}
