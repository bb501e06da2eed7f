#!/usr/bin/env bash
# The non-Docker `stack` profile: PostgreSQL (apt's binaries), the standalone Hive Metastore 3.1.3
# on it and a single-node Trino 476, each started by PID (setsid, a pid file) and stopped by that
# PID only. Artifacts come from the cache scripts/fetch_stack.sh fills; nothing downloads here.
#
# Usage: scripts/stack.sh up|down|status|env
#   up      start what is not running, wait for each health check (pg_isready, thrift port,
#           Trino /v1/info starting=false); the metastore schema is created once with schematool
#   down    stop Trino, the metastore, PostgreSQL (SIGTERM/SIGINT to the recorded PID, then SIGKILL)
#   status  one line per service; exit 0 when all three run and answer, 3 otherwise
#   env     print the exports that point JANGBOGI_ENV=stack at this stack (no secret in them):
#           eval "$(scripts/stack.sh env)"
#
# Environment (secrets only from here, never written to a file or a log):
#   METASTORE_DB_PASSWORD, SERVING_DB_PASSWORD   required by `up`: the PostgreSQL roles hive and
#                                                jangbogi get them (set again at every up)
#   STACK_PG_PORT (5432) STACK_HMS_PORT (9083) STACK_TRINO_PORT (8088; Airflow's api-server is 8080)
#   JANGBOGI_STACK_DIR (var/stack)    data and logs: pg/, hms/, trino/, logs/, run/*.pid
#   JANGBOGI_STACK_CACHE              the artifact cache (see scripts/fetch_stack.sh)
#   JANGBOGI_PYTHON (.venv/bin/python) the Spark venv: the metastore borrows pyspark's Hadoop jars
#   JANGBOGI_WAREHOUSE                default location of new databases (file:// var/warehouse)
#   HMS_JAVA_HOME (a Java 17/21)      TRINO_JAVA_HOME (/usr/lib/jvm/temurin-25-jdk-amd64)
#   STACK_PG_FSYNC (on)               `off` for throw-away test stacks
#   STACK_WAIT_S (180)                how long `up` waits for each health check
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STACK_DIR=${JANGBOGI_STACK_DIR:-$ROOT/var/stack}
CACHE=${JANGBOGI_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jangbogi/stack}
PG_PORT=${STACK_PG_PORT:-5432}
HMS_PORT=${STACK_HMS_PORT:-9083}
TRINO_PORT_=${STACK_TRINO_PORT:-8088}
PYTHON=${JANGBOGI_PYTHON:-$ROOT/.venv/bin/python}
WAIT_S=${STACK_WAIT_S:-180}
HMS_HOME=$CACHE/apache-hive-metastore-3.1.3-bin
TRINO_HOME=$CACHE/trino-server-476
RUN=$STACK_DIR/run
LOGS=$STACK_DIR/logs

say() { printf '[stack] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# --- PIDs -------------------------------------------------------------------------------------
# The process a pid file names, if it is alive and still the process we started (its command
# line holds the marker), so a recycled PID is never signalled.
live_pid() { # live_pid <service> <marker>
  local f=$RUN/$1.pid pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" || return 1
  echo "$pid"
}

stop_pid() { # stop_pid <service> <marker> <signal>
  local pid i
  if ! pid=$(live_pid "$1" "$2"); then
    rm -f "$RUN/$1.pid"
    say "$1: not running"
    return 0
  fi
  kill "-$3" "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$1: pid $pid still alive 30 s after SIG$3: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$RUN/$1.pid"
  say "$1: stopped (pid $pid)"
}

# --- ports ------------------------------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

need_free_port() { # need_free_port <service> <port> <variable>
  port_open "$2" || return 0
  local who
  who=$(ss -Hltnp "sport = :$2" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/\1 (pid \2)/p' | head -1)
  die "$1: port $2 on 127.0.0.1 is taken${who:+ by $who}; free it or choose another with $3=<port>"
}

# --- Java -------------------------------------------------------------------------------------
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

hms_java() {
  local cand
  for cand in "${HMS_JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 "${JAVA_HOME:-}" /usr/lib/jvm/java-21-openjdk-amd64; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    case "$(java_major "$cand")" in 17 | 21) echo "$cand"; return 0 ;; esac
  done
  die "metastore: no Java 17 or 21 found (set HMS_JAVA_HOME)"
}

trino_java() {
  local cand=${TRINO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  [ -x "$cand/bin/java" ] || die "trino: no JDK at $cand (Trino 476 needs Java 24+; set TRINO_JAVA_HOME)"
  [ "$(java_major "$cand")" -ge 24 ] || die "trino: $cand is Java $(java_major "$cand"); Trino 476 needs 24+"
  echo "$cand"
}

# --- PostgreSQL -------------------------------------------------------------------------------
PG_BIN=${JANGBOGI_PG_BIN:-}
pg_bin() {
  local d
  for d in "$PG_BIN" /usr/lib/postgresql/15/bin /usr/lib/postgresql/16/bin /usr/lib/postgresql/17/bin; do
    [ -n "$d" ] && [ -x "$d/postgres" ] && { echo "$d"; return 0; }
  done
  die "postgres: server binaries not found (apt-get install postgresql; make setup-test does)"
}

# Run as the postgres user when we are root (initdb and postgres refuse root); setpriv execs,
# so a PID taken after it is the server's own.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

pg_psql() { as_pg "$(pg_bin)/psql" -X -q -h "$STACK_DIR/pg/run" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

pg_up() {
  local bin pid i opts=()
  bin=$(pg_bin)
  if pid=$(live_pid postgres "$bin/postgres"); then
    say "postgres: already running (pid $pid, port $PG_PORT)"
    return 0
  fi
  need_free_port postgres "$PG_PORT" STACK_PG_PORT
  mkdir -p "$STACK_DIR/pg/run"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$STACK_DIR/pg" "$STACK_DIR/pg/run"
  chmod 700 "$STACK_DIR/pg/run"
  if [ ! -f "$STACK_DIR/pg/data/PG_VERSION" ]; then
    say "postgres: initdb $STACK_DIR/pg/data"
    as_pg "$bin/initdb" -D "$STACK_DIR/pg/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 ||
      { cat "$LOGS/initdb.log" >&2; die "postgres: initdb failed"; }
  fi
  [ "${STACK_PG_FSYNC:-on}" = off ] && opts=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
  : >"$LOGS/postgres.log"
  [ "$(id -u)" = 0 ] && chown postgres "$LOGS/postgres.log"
  # The server listens on 127.0.0.1 only; its socket dir is the postgres user's alone.
  local as=()
  [ "$(id -u)" = 0 ] && as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  setsid "${as[@]}" "$bin/postgres" -D "$STACK_DIR/pg/data" -p "$PG_PORT" \
    -k "$STACK_DIR/pg/run" -c listen_addresses=127.0.0.1 -c unix_socket_permissions=0700 \
    "${opts[@]}" >>"$LOGS/postgres.log" 2>&1 </dev/null &
  echo $! >"$RUN/postgres.pid"
  for ((i = 0; i < WAIT_S * 5; i++)); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
    kill -0 "$(cat "$RUN/postgres.pid")" 2>/dev/null || { tail -20 "$LOGS/postgres.log" >&2; die "postgres: exited at start"; }
    sleep 0.2
  done
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || die "postgres: not ready after $WAIT_S s (see $LOGS/postgres.log)"
  # Roles and databases; the passwords come from the environment through psql's \getenv, so
  # they appear in no command line and no log.
  pg_psql -d postgres <<'SQL'
\getenv hive_pw METASTORE_DB_PASSWORD
\getenv serving_pw SERVING_DB_PASSWORD
SELECT 'CREATE ROLE hive LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hive')\gexec
SELECT 'CREATE ROLE jangbogi LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jangbogi')\gexec
ALTER ROLE hive LOGIN PASSWORD :'hive_pw';
ALTER ROLE jangbogi LOGIN PASSWORD :'serving_pw';
SELECT 'CREATE DATABASE metastore OWNER hive' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'metastore')\gexec
SELECT 'CREATE DATABASE jangbogi OWNER jangbogi' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'jangbogi')\gexec
SQL
  say "postgres: ready (pid $(cat "$RUN/postgres.pid"), 127.0.0.1:$PG_PORT)"
}

# --- Hive Metastore ---------------------------------------------------------------------------
hms_classpath() {
  local spark_jars cp j
  spark_jars=$("$PYTHON" -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))') ||
    die "metastore: no pyspark in $PYTHON (set JANGBOGI_PYTHON to the Spark venv's python)"
  # hive/ first: its hive-site.xml is the configuration. The tarball's own log4j 2.17 and its
  # slf4j 1 binding give way to pyspark's log4j 2 with the slf4j 2 binding.
  cp="$ROOT/hive"
  for j in "$HMS_HOME"/lib/*.jar; do
    case "$(basename "$j")" in log4j-*) continue ;; esac
    cp="$cp:$j"
  done
  for j in hadoop-client-api hadoop-client-runtime slf4j-api jcl-over-slf4j commons-cli commons-codec \
    commons-io commons-text commons-compress commons-collections4 log4j-api log4j-core log4j-slf4j2-impl log4j-1.2-api; do
    set -- "$spark_jars/$j"-[0-9]*.jar
    [ -f "$1" ] || die "metastore: $j not found in $spark_jars"
    cp="$cp:$1"
  done
  echo "$cp:$CACHE/commons-collections-3.2.2.jar:$CACHE/postgresql-42.7.4.jar"
}

hms_env() { # the variables hive/hive-site.xml reads
  local wh=${JANGBOGI_WAREHOUSE:-}
  case "$wh" in *://*) ;; "") wh="file://$ROOT/var/warehouse" ;; /*) wh="file://$wh" ;; *) wh="file://$ROOT/$wh" ;; esac
  export METASTORE_DB_HOST=127.0.0.1 METASTORE_DB_PORT=$PG_PORT METASTORE_DB_NAME=metastore \
    METASTORE_DB_USER=hive JANGBOGI_WAREHOUSE=$wh METASTORE_HOME=$HMS_HOME
}

hms_up() {
  local java cp pid i t0 schema
  if pid=$(live_pid metastore HiveMetaStore); then
    say "metastore: already running (pid $pid, port $HMS_PORT)"
    return 0
  fi
  [ -f "$HMS_HOME/.jangbogi-unpacked" ] || die "metastore: $HMS_HOME missing; run scripts/fetch_stack.sh (make setup-test does)"
  need_free_port metastore "$HMS_PORT" STACK_HMS_PORT
  java=$(hms_java)
  cp=$(hms_classpath)
  hms_env
  mkdir -p "$STACK_DIR/hms"
  cat >"$STACK_DIR/hms/log4j2.properties" <<'LOG'
status = WARN
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{ISO8601} %5p [%t] %c{2}: %m%n
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = console
logger.datanucleus.name = DataNucleus
logger.datanucleus.level = WARN
LOG
  local jopts=(-Xmx512m "-Dlog4j2.configurationFile=file://$STACK_DIR/hms/log4j2.properties" -Djava.io.tmpdir="$STACK_DIR/hms")
  # The schema is created once: the catalog database has no VERSION table before that.
  schema=$(pg_psql -d metastore -tA -c "SELECT count(*) FROM information_schema.tables WHERE table_name = 'VERSION'")
  if [ "$schema" = 0 ]; then
    t0=$(date +%s)
    say "metastore: creating the schema with schematool (once)"
    (cd "$STACK_DIR/hms" && "$java/bin/java" "${jopts[@]}" -cp "$cp" \
      org.apache.hadoop.hive.metastore.tools.MetastoreSchemaTool -dbType postgres -initSchema) \
      >"$LOGS/schematool.log" 2>&1 || { tail -30 "$LOGS/schematool.log" >&2; die "metastore: schematool -initSchema failed"; }
    say "metastore: schema created in $(( $(date +%s) - t0 )) s"
  fi
  (cd "$STACK_DIR/hms" && exec setsid "$java/bin/java" "${jopts[@]}" -cp "$cp" \
    org.apache.hadoop.hive.metastore.HiveMetaStore -p "$HMS_PORT" >"$LOGS/metastore.log" 2>&1 </dev/null) &
  echo $! >"$RUN/metastore.pid"
  for ((i = 0; i < WAIT_S * 5; i++)); do
    port_open "$HMS_PORT" && break
    kill -0 "$(cat "$RUN/metastore.pid")" 2>/dev/null || { tail -30 "$LOGS/metastore.log" >&2; die "metastore: exited at start"; }
    sleep 0.2
  done
  port_open "$HMS_PORT" || die "metastore: thrift port $HMS_PORT not open after $WAIT_S s (see $LOGS/metastore.log)"
  say "metastore: ready (pid $(cat "$RUN/metastore.pid"), thrift://127.0.0.1:$HMS_PORT)"
}

# --- Trino ------------------------------------------------------------------------------------
trino_starting() { # prints true/false, or nothing when Trino does not answer
  curl -sf --max-time 2 "http://127.0.0.1:$TRINO_PORT_/v1/info" 2>/dev/null |
    sed -n 's/.*"starting" *: *\([a-z]*\).*/\1/p'
}

trino_up() {
  local java pid i
  if pid=$(live_pid trino TrinoServer); then
    say "trino: already running (pid $pid, port $TRINO_PORT_)"
    return 0
  fi
  [ -f "$TRINO_HOME/.jangbogi-unpacked" ] || die "trino: $TRINO_HOME missing; run scripts/fetch_stack.sh (make setup-test does)"
  need_free_port trino "$TRINO_PORT_" STACK_TRINO_PORT
  java=$(trino_java)
  mkdir -p "$STACK_DIR/trino"
  # trino_catalog/ is the etc dir as it is (the Docker stack mounts the same files); the port,
  # which differs from the container's 8080, and the data dir come from the command line.
  # The catalogs read these variables (trino_catalog/README.md); S3 ones only matter for s3a://.
  (
    export JAVA_HOME=$java PATH=$java/bin:$PATH
    export HIVE_METASTORE_URI=thrift://127.0.0.1:$HMS_PORT
    export SERVING_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/jangbogi SERVING_DB_USER=jangbogi
    export JANGBOGI_S3_ENDPOINT=${JANGBOGI_S3_ENDPOINT:-http://127.0.0.1:9000} AWS_REGION=${AWS_REGION:-us-east-1}
    exec setsid "$TRINO_HOME/bin/launcher" run --etc-dir "$ROOT/trino_catalog" --data-dir "$STACK_DIR/trino" \
      -D "http-server.http.port=$TRINO_PORT_" -D "discovery.uri=http://127.0.0.1:$TRINO_PORT_" \
      >"$LOGS/trino.log" 2>&1 </dev/null
  ) &
  echo $! >"$RUN/trino.pid"
  for ((i = 0; i < WAIT_S * 2; i++)); do
    [ "$(trino_starting)" = false ] && break
    kill -0 "$(cat "$RUN/trino.pid")" 2>/dev/null || { grep -E "ERROR|Exception|Error" "$LOGS/trino.log" | tail -20 >&2; die "trino: exited at start (see $LOGS/trino.log)"; }
    sleep 0.5
  done
  [ "$(trino_starting)" = false ] || die "trino: not started after $WAIT_S s (see $LOGS/trino.log)"
  say "trino: ready (pid $(cat "$RUN/trino.pid"), http://127.0.0.1:$TRINO_PORT_)"
}

# --- commands ---------------------------------------------------------------------------------
cmd_up() {
  local t0
  t0=$(date +%s%N)
  [ -n "${METASTORE_DB_PASSWORD:-}" ] && [ -n "${SERVING_DB_PASSWORD:-}" ] ||
    die "set METASTORE_DB_PASSWORD and SERVING_DB_PASSWORD in the environment first (passwords are never stored)"
  mkdir -p "$RUN" "$LOGS"
  pg_up
  hms_up
  trino_up
  say "up in $(( ($(date +%s%N) - t0) / 1000000 )) ms; for the stack profile: eval \"\$(scripts/stack.sh env)\""
}

cmd_down() {
  stop_pid trino TrinoServer TERM
  stop_pid metastore HiveMetaStore TERM
  stop_pid postgres "$(pg_bin)/postgres" INT # SIGINT: PostgreSQL's fast shutdown
}

cmd_status() {
  local ok=0 pid
  if pid=$(live_pid postgres "$(pg_bin)/postgres"); then
    if "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
      echo "postgres   running  pid $pid  127.0.0.1:$PG_PORT  ready"
    else echo "postgres   running  pid $pid  127.0.0.1:$PG_PORT  NOT READY"; ok=3; fi
  else echo "postgres   stopped"; ok=3; fi
  if pid=$(live_pid metastore HiveMetaStore); then
    if port_open "$HMS_PORT"; then
      echo "metastore  running  pid $pid  thrift://127.0.0.1:$HMS_PORT  listening"
    else echo "metastore  running  pid $pid  thrift://127.0.0.1:$HMS_PORT  NOT LISTENING"; ok=3; fi
  else echo "metastore  stopped"; ok=3; fi
  if pid=$(live_pid trino TrinoServer); then
    if [ "$(trino_starting)" = false ]; then
      echo "trino      running  pid $pid  http://127.0.0.1:$TRINO_PORT_  started"
    else echo "trino      running  pid $pid  http://127.0.0.1:$TRINO_PORT_  NOT STARTED"; ok=3; fi
  else echo "trino      stopped"; ok=3; fi
  return $ok
}

cmd_env() {
  cat <<ENV
export JANGBOGI_ENV=stack
export HIVE_METASTORE_URI=thrift://127.0.0.1:$HMS_PORT
export TRINO_HOST=127.0.0.1
export TRINO_PORT=$TRINO_PORT_
export JANGBOGI_SERVING_DSN="postgresql://jangbogi:\${SERVING_DB_PASSWORD}@127.0.0.1:$PG_PORT/jangbogi"
ENV
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) die "usage: scripts/stack.sh up|down|status|env" ;;
esac
