#!/usr/bin/env bash
# Set up jangbogi on a fresh machine: Java check, .venv, the package, the Delta jar cache, and
# spark-defaults.conf so that `.venv/bin/spark-submit` and pyspark find Delta without downloading.
# Usage: scripts/setup.sh [--test] [--stack]
#   --test   also installs Chromium, CJK fonts and PostgreSQL from apt, and implies --stack
#   --stack  also fetches the non-Docker stack's artifacts (Hive Metastore, Trino, JDBC) into the
#            cache once, checksums verified (scripts/fetch_stack.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
t0=$(date +%s)

say() { printf '[setup] %s\n' "$*" >&2; }

WITH_TEST=0
WITH_STACK=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TEST=1; WITH_STACK=1 ;;
    --stack) WITH_STACK=1 ;;
    *) say "unknown option $arg (use --test and/or --stack)"; exit 2 ;;
  esac
done

# 1. Python 3.11
"$PY" - <<'PYEOF' || { say "Python 3.11 is required (found $($PY --version 2>&1)); install python3.11 and rerun"; exit 1; }
import sys
raise SystemExit(0 if sys.version_info[:2] == (3, 11) else 1)
PYEOF

# 2. Java 17 or 21 (Spark 4.2 supports both); prefer JAVA_HOME, then `java` on PATH, then /usr/lib/jvm.
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
JAVA_BIN=""
for cand in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/java-17-openjdk-amd64/bin/java /usr/lib/jvm/java-21-openjdk-amd64/bin/java; do
  [ -n "$cand" ] && [ -x "$cand" ] || continue
  case "$(java_major "$cand")" in 17|21) JAVA_BIN="$cand"; break ;; esac
done
if [ -z "$JAVA_BIN" ]; then
  say "Java 17 or 21 is required for Spark 4.2 and was not found."
  say "Install it, e.g. on Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless (then rerun make setup)."
  exit 1
fi
JAVA_HOME_FOUND=$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")
say "java: $JAVA_HOME_FOUND (Java $(java_major "$JAVA_BIN"))"

# 3. venv + package (reinstalled only when pyproject.toml changed)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.jangbogi-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing the package and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi

# 4. Delta jars: fetched once from Maven Central into the cache, checksums verified.
.venv/bin/python -m spark_jobs.jars fetch >/dev/null
JARS=$(.venv/bin/python -m spark_jobs.jars path)
# 4b. The non-Docker stack's servers and jars (scripts/stack.sh reads only this cache).
[ "$WITH_STACK" = 1 ] && scripts/fetch_stack.sh

# 5. spark-defaults.conf in the venv's Spark home: spark-submit and pyspark both read it.
SPARK_HOME_DIR=$(.venv/bin/python -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
mkdir -p "$SPARK_HOME_DIR/conf"
.venv/bin/python -m spark_jobs.jars spark-defaults > "$SPARK_HOME_DIR/conf/spark-defaults.conf"
cat > "$SPARK_HOME_DIR/conf/spark-env.sh" <<CONF
# Written by jangbogi scripts/setup.sh
export JAVA_HOME=\${JAVA_HOME:-$JAVA_HOME_FOUND}
export PYSPARK_PYTHON=\${PYSPARK_PYTHON:-$ROOT/.venv/bin/python}
CONF
chmod +x "$SPARK_HOME_DIR/conf/spark-env.sh"
# `.venv/bin/spark-submit` must work without activating the venv: its SPARK_HOME lookup defaults
# to whatever `python3` is on PATH, so point it at the venv's interpreter.
sed -i "s#PYSPARK_DRIVER_PYTHON=\"\${PYSPARK_PYTHON:-\"python3\"}\"#PYSPARK_DRIVER_PYTHON=\"\${PYSPARK_PYTHON:-$ROOT/.venv/bin/python}\"#" .venv/bin/find-spark-home

# 5b. Class-data-sharing archives of the Spark driver JVM (spark_jobs/jvm.py): a cold Spark JVM
# starts ~3 s sooner from them; the test suite (SPARK_TESTING=1: another class path) has its own.
# Built once per JDK / Spark / settings, in the background while steps 6 and 7 download (both
# at once under --test). Without them Spark only starts slower: a failure is said, not fatal.
cds_pids=()
.venv/bin/python -m spark_jobs.jvm build >/dev/null &
cds_pids+=($!)
if [ "$WITH_TEST" = 1 ]; then
  .venv/bin/python -m spark_jobs.jvm build --testing >/dev/null &
  cds_pids+=($!)
fi

# 6. Test-only system packages (headless Chromium + driver, CJK fonts for screenshots, PostgreSQL).
if [ "$WITH_TEST" = 1 ]; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    say "installing ${need[*]} from apt"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
# 7. Airflow 3 in its own venv (.venv-airflow; its Spark provider's pyspark-client clashes with pyspark).
scripts/setup_airflow.sh

cds_ok=1
for pid in "${cds_pids[@]}"; do wait "$pid" || cds_ok=0; done
[ "$cds_ok" = 1 ] || say "the Spark JVM's class-data-sharing archive was not built (see above); Spark starts without it"

mkdir -p var
say "ready in $(( $(date +%s) - t0 )) s; jar cache: $(dirname "${JARS%%,*}")"
