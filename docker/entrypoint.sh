#!/bin/sh
# Chooses the role from the first argument: coordinator (default) or executor.
set -e
role="${1:-coordinator}"
case "$role" in
  coordinator) exec node --import tsx apps/coordinator/src/main.ts ;;
  executor) exec node --import tsx apps/executor/src/main.ts ;;
  *) echo "unknown role '$role' (use coordinator or executor)" >&2; exit 64 ;;
esac
