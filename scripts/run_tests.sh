#!/usr/bin/env bash
# Run the whole suite (unit, spark, integration, browser, reliability, stack, cluster, airflow);
# fail on any failure and when no test ran. Two pytest-xdist workers (JANGBOGI_TEST_WORKERS=0 runs
# in one process): much of a Spark or service test is waiting (JVM start, scheduler polls), so two
# share these 2 cores well. tests/conftest.py keeps each module, and each directory with a shared
# session set-up, on one worker; the Airflow end-to-end module is collected first and starts first.
set -uo pipefail
cd "$(dirname "$0")/.."
workers="${JANGBOGI_TEST_WORKERS:-2}"
args=()
if [ "$workers" != 0 ]; then
  args=(-n "$workers")
fi
.venv/bin/pytest --durations=40 "${args[@]}" "$@"
rc=$?
if [ "$rc" = 5 ]; then
  echo "no test ran: failing" >&2
  exit 1
fi
exit "$rc"
