#!/usr/bin/env bash
# Regenerates the binding types from the wrangler configs (`npm run types`): the workerd
# runtime types once, and per worker its env interface (GatewayEnv, StorageEnv, …) with
# the other workers' configs, so that service bindings are typed by their entrypoint class.
# All worker code is type-checked as one program (tsconfig.workers.json), so the per-worker
# `GlobalProps.mainModule` declarations, which would conflict there, are dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
configs=()
for w in workers/*/wrangler.toml; do configs+=(-c "../../$w"); done
npx wrangler types workers/runtime.d.ts --include-env false -c wrangler.toml >/dev/null
for dir in workers/*/; do
  name=$(basename "$dir")
  iface=$(echo "$name" | sed -E 's/(^|-)([a-z])/\U\2/g; s/Service$//')Env
  others=()
  for w in workers/*/wrangler.toml; do [ "$w" != "workers/$name/wrangler.toml" ] && others+=(-c "../../$w"); done
  (cd "$dir" && npx wrangler types worker-configuration.d.ts --env-interface "$iface" --include-runtime false --strict-vars false \
    -c wrangler.toml "${others[@]}" -c ../../wrangler.toml >/dev/null)
done
npx wrangler types durable-objects/worker-configuration.d.ts --env-interface DurableObjectsEnv --include-runtime false --strict-vars false -c wrangler.toml >/dev/null
for f in workers/*/worker-configuration.d.ts durable-objects/worker-configuration.d.ts; do
  perl -0pi -e 's/\tinterface GlobalProps \{\n\t\tmainModule: [^\n]*\n\t\}\n//' "$f"
done
echo "types regenerated"
