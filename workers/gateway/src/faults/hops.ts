/**
 * Faults on the services behind the gateway, felt as their real effect inside an S3 request.
 *
 * - storage-service runs its own gate: while it has rules, every storage call of the request
 *   carries the request's facts (as its last argument), and storage-service decides and
 *   injects at its boundary (workers/storage-service/src/storage-gate.ts).
 * - metadata-service's state is the bucket Durable Objects, which the gateway calls directly
 *   (one hop less on every request). Its rules are applied on that hop: the request's first
 *   call to a bucket or the registry waits out a delay, and every call fails with an
 *   injected error, as if metadata-service had answered so. While metadata-service is down
 *   (service_down), every call fails with ServiceUnavailable, or waits until it is back.
 *
 * Neither costs anything while the services have no rules: the env is used as it is.
 * A hop's delay leaves no other trace on the answer, so its rule is added to `touched`, for
 * the answer's fault headers.
 */
import type { RequestFacts } from "../../../../shared/faults/facts";
import type { WaitUntil } from "../../../../shared/faults/gate";
import { downS3Error, whileDown } from "../../../../shared/faults/service-down";
import { serviceGate } from "../../../../shared/faults/service-gate";
import { injectedS3Error } from "../../../../shared/faults/injected-error";
import { delayMs } from "../../../../shared/faults/delay-time";
import type { Rule } from "../../../../shared/faults/rule";
import { sleep } from "../../../../shared/faults/sleep";

export function envWithHops(env: GatewayEnv, facts: RequestFacts, waitUntil: WaitUntil, touched: Rule[]): GatewayEnv {
  const storage = serviceGate.has("storage-service");
  const metadata = serviceGate.has("metadata-service");
  if (!storage && !metadata) return env;
  const hopped = { ...env };
  if (storage) hopped.STORAGE = withTrailingArgument(env.STORAGE, facts);
  if (metadata) {
    const hop = metadataHop(facts, waitUntil, touched);
    hopped.BUCKET = namespaceThrough(env.BUCKET, hop);
    hopped.REGISTRY = namespaceThrough(env.REGISTRY, hop);
  }
  return hopped;
}

/** A stub whose every method gets `extra` appended to its arguments. */
function withTrailingArgument<T extends object>(stub: T, extra: unknown): T {
  return new Proxy(stub, {
    get(target, name) {
      const value = Reflect.get(target, name);
      if (typeof value !== "function") return value;
      // Reflect.apply: on an RPC stub, `.apply` and `.call` would be remote method names
      return (...args: unknown[]) => Reflect.apply(value, target, [...args, extra]);
    },
  });
}

type Hop = () => Promise<void>;

/** metadata-service's decision for this request, taken at its first call. */
function metadataHop(facts: RequestFacts, waitUntil: WaitUntil, touched: Rule[]): Hop {
  let decided: Promise<void> | undefined;
  return () => {
    decided ??= (async () => {
      const down = await whileDown("metadata-service");
      if (down) throw downS3Error("metadata-service", down);
      const injection = serviceGate.check("metadata-service", facts, waitUntil);
      if (!injection) return;
      try {
        if (injection.rule.action.type !== "delay") throw injectedS3Error(injection.rule);
        touched.push(injection.rule);
        await sleep(delayMs(injection), injection.signal);
      } finally {
        injection.done();
      }
    })();
    return decided;
  };
}

function namespaceThrough<N extends { getByName(name: string): object }>(namespace: N, hop: Hop): N {
  return new Proxy(namespace, {
    get(target, name) {
      const value = Reflect.get(target, name);
      if (typeof value !== "function") return value;
      if (name !== "getByName") return (...args: unknown[]) => Reflect.apply(value, target, args);
      return (id: string) => stubThrough(Reflect.apply(value, target, [id]), hop);
    },
  });
}

function stubThrough<T extends object>(stub: T, hop: Hop): T {
  return new Proxy(stub, {
    get(target, name) {
      const value = Reflect.get(target, name);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await hop();
        return Reflect.apply(value, target, args);
      };
    },
  });
}
