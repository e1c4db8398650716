#!/bin/sh
# Chooses the role from the first argument: coordinator (default) or executor.
set -e
role="${1:-coordinator}"
case "$role" in
  coordinator) exec node --import tsx apps/coordinator/src/main.ts ;;
  executor)
    # Scaled executors share one service definition: each advertises its own address.
    if [ -z "$TRIBUTARY_EXECUTOR_ADVERTISE_URL" ]; then
      address="$(hostname -i | awk '{print $1}')"
      export TRIBUTARY_EXECUTOR_ADVERTISE_URL="http://${address}:${TRIBUTARY_EXECUTOR_PORT:-9100}"
    fi
    # Each thread collects its own garbage (see EXECUTOR_NODE_FLAGS in embedded-executors.ts).
    exec node --single-threaded-gc --initial-old-space-size=256 --import tsx apps/executor/src/main.ts ;;
  *) echo "unknown role '$role' (use coordinator or executor)" >&2; exit 64 ;;
esac
