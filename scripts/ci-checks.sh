#!/usr/bin/env bash
# What CI checks besides the suite (.ci/run): the code is linted and formatted (Biome), the
# generated binding types match the wrangler configs, and every worker still bundles for
# Cloudflare (`wrangler deploy --dry-run`, nothing uploaded), so the deploy path keeps working.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run lint

npm run types >/dev/null
if ! git diff --quiet -- workers durable-objects; then
  echo "generated types are out of date: run \`npm run types\` and commit the result" >&2
  git diff --stat -- workers durable-objects >&2
  exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for config in wrangler.toml workers/*/wrangler.toml; do
  name=$(basename "$(dirname "$config")")
  [ "$name" = "." ] && name=durable-objects
  if ! npx wrangler deploy --dry-run --outdir "$out/$name" -c "$config" >"$out/$name.log" 2>&1; then
    echo "wrangler deploy --dry-run failed for $config:" >&2
    tail -20 "$out/$name.log" >&2
    exit 1
  fi
done
echo "ci checks: lint, generated types and Cloudflare bundles all fine"
