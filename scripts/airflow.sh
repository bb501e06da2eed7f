#!/usr/bin/env bash
# Start / stop a light local Airflow 3 for jangbogi: api-server, scheduler and dag-processor
# (LocalExecutor, parallelism sized for 2 cores), each started separately and stopped by PID.
# Usage: scripts/airflow.sh up|down|status|env
# Knobs (env): AIRFLOW_HOME (var/airflow), AIRFLOW_PORT (8080), AIRFLOW_PARALLELISM (2),
#   JANGBOGI_ENV (local), JANGBOGI_SPARK_VENV (.venv), JANGBOGI_ALERT_WEBHOOK, JANGBOGI_JOB_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
AF_VENV=${JANGBOGI_AIRFLOW_VENV:-$ROOT/.venv-airflow}
export AIRFLOW_HOME=${AIRFLOW_HOME:-$ROOT/var/airflow}
PORT=${AIRFLOW_PORT:-8080}
export JANGBOGI_ENV=${JANGBOGI_ENV:-local}
export JANGBOGI_SPARK_VENV=${JANGBOGI_SPARK_VENV:-$ROOT/.venv}
PIDS=$AIRFLOW_HOME/pids
say() { printf '[airflow] %s\n' "$*" >&2; }

mkdir -p "$AIRFLOW_HOME" "$PIDS" "$AIRFLOW_HOME/logs"
[ -f "$AIRFLOW_HOME/jwt_secret" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$AIRFLOW_HOME/jwt_secret"
export AIRFLOW__CORE__DAGS_FOLDER=$ROOT/airflow_dags
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
# Default 32 starts 32 LocalExecutor workers (~5.5 GB): 2 fits 2 cores (local Spark tasks share one pool slot).
export AIRFLOW__CORE__PARALLELISM=${AIRFLOW_PARALLELISM:-2}
export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=${AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG:-2}
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL=http://127.0.0.1:$PORT/execution/
export AIRFLOW__API__PORT=$PORT
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__WORKERS=1
export AIRFLOW__API_AUTH__JWT_SECRET
AIRFLOW__API_AUTH__JWT_SECRET=$(cat "$AIRFLOW_HOME/jwt_secret")
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS:-admin:admin}
export AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK=False
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=${AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL:-30}
export AIRFLOW__LOGGING__LOGGING_LEVEL=${AIRFLOW__LOGGING__LOGGING_LEVEL:-INFO}
# Spark connection per profile (AIRFLOW_CONN_*, never a file in the repo).
export AIRFLOW_CONN_SPARK_LOCAL=${AIRFLOW_CONN_SPARK_LOCAL:-'{"conn_type": "spark", "host": "local[*]"}'}
export AIRFLOW_CONN_SPARK_STACK=${AIRFLOW_CONN_SPARK_STACK:-'{"conn_type": "spark", "host": "spark://localhost:7077"}'}
AF="$AF_VENV/bin/airflow"

alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

up() {
  [ -x "$AF" ] || { say "no $AF_VENV: run scripts/setup_airflow.sh"; exit 1; }
  "$AF" db migrate >"$AIRFLOW_HOME/logs/db-migrate.out" 2>&1 || { tail -20 "$AIRFLOW_HOME/logs/db-migrate.out"; exit 1; }
  # Derby (local) admits one Spark process: one slot; the PostgreSQL-backed metastore (stack) more.
  slots=1
  [ "$JANGBOGI_ENV" = local ] || slots=${JANGBOGI_SPARK_SLOTS:-2}
  "$AF" pools set spark_metastore "$slots" "Spark processes the metastore admits at once" >/dev/null 2>&1
  for comp in api-server scheduler dag-processor; do
    if alive "$comp"; then say "$comp already running (pid $(cat "$PIDS/$comp.pid"))"; continue; fi
    # setsid: each component leads its own process group, so `down` stops it and its workers only.
    setsid "$AF" "$comp" >"$AIRFLOW_HOME/logs/$comp.out" 2>&1 < /dev/null &
    echo $! > "$PIDS/$comp.pid"
    say "$comp started (pid $!)"
  done
  for _ in $(seq 1 90); do
    curl -sf "http://127.0.0.1:$PORT/api/v2/monitor/health" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -sf "http://127.0.0.1:$PORT/api/v2/monitor/health" >/dev/null || { say "api-server did not answer; see $AIRFLOW_HOME/logs/api-server.out"; exit 1; }
  say "UI: http://127.0.0.1:$PORT   login: ${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS%%:*} / password in $AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
  [ -f "$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated" ] && say "passwords: $(cat "$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated")"
}

down() {
  for comp in dag-processor scheduler api-server; do
    [ -f "$PIDS/$comp.pid" ] || continue
    pid=$(cat "$PIDS/$comp.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
      say "$comp stopped (pid $pid)"
    fi
    rm -f "$PIDS/$comp.pid"
  done
}

status() {
  for comp in api-server scheduler dag-processor; do
    if alive "$comp"; then
      pid=$(cat "$PIDS/$comp.pid")
      rss=$(ps -o rss= -g "$pid" 2>/dev/null | awk '{s+=$1} END {print int(s/1024)}')
      echo "$comp pid $pid up, group RSS ${rss} MB"
    else
      echo "$comp down"
    fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) env | grep -E '^(AIRFLOW|JANGBOGI)' | grep -v -E 'JWT_SECRET|WEBHOOK' | sort ;;
  exec) shift; exec "$AF" "$@" ;;
  *) echo "usage: $0 up|down|status|env|exec <airflow args>" >&2; exit 2 ;;
esac
