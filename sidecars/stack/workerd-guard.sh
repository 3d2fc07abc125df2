#!/bin/sh
# workerd, started by Miniflare through this script (MINIFLARE_WORKERD_PATH), with a
# parent-death signal: killed with the stack's Node process however it dies, SIGKILL
# included (sidecars/stack/workerd-guard.ts).
exec setpriv --pdeathsig KILL -- "$MOCKS3_WORKERD_BINARY" "$@"
