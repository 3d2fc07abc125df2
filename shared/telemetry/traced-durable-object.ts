/**
 * A Durable Object class traced by @microlabs/otel-cf-workers while tracing is on
 * (tracing.ts), its spans named after the service whose state it is. The switch is made
 * when an object is constructed: with tracing off, the plain class is constructed and
 * nothing of the library runs on its calls.
 */
import { instrumentDO } from "@microlabs/otel-cf-workers";
import { tracingConfig, tracingEndpoint } from "./tracing";

type DOClass = (new (ctx: DurableObjectState, env: never) => object) & { service: string };

/** `plain.service`: the service whose state the class holds. */
export function tracedDurableObject<C extends DOClass>(plain: C): C {
  const traced = instrumentDO(plain as never, tracingConfig(plain.service)) as unknown as C;
  return new Proxy(plain, {
    construct(target, args: [DurableObjectState, never], newTarget) {
      return tracingEndpoint(args[1]) ? Reflect.construct(traced, args) : Reflect.construct(target, args, newTarget);
    },
  });
}
