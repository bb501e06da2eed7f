#!/usr/bin/env bash
# Run the whole suite (unit, spark, integration, browser); fail on any failure and when no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pytest --durations=40 "$@"
rc=$?
if [ "$rc" = 5 ]; then
  echo "no test ran: failing" >&2
  exit 1
fi
exit "$rc"
