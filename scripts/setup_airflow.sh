#!/usr/bin/env bash
# Create .venv-airflow: Airflow 3 + the Spark provider in their own venv (the provider's
# pyspark-client installs the same `pyspark` import package as the Spark venv's pyspark).
# Idempotent: reinstalled only when the pins below change (stamp file like the main venv's).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
AIRFLOW_VERSION=3.3.2
SPARK_PROVIDER_VERSION=6.3.4
VENV=.venv-airflow
say() { printf '[setup-airflow] %s\n' "$*" >&2; }

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
stamp=$VENV/.jangbogi-installed
want="apache-airflow==$AIRFLOW_VERSION apache-airflow-providers-apache-spark==$SPARK_PROVIDER_VERSION pyyaml requests"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing $want into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  # shellcheck disable=SC2086
  "$VENV/bin/python" -m pip install -q $want
  echo "$want" > "$stamp"
fi
mkdir -p var/airflow
say "ready: $("$VENV/bin/airflow" version 2>/dev/null || echo '?')"
