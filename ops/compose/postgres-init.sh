#!/usr/bin/env bash
# docker-compose.yml: runs once in the postgres container on an empty data directory and creates
# the three databases of the stack, each with its own owner. Passwords come from the environment.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v metastore_pw="$METASTORE_DB_PASSWORD" \
  -v serving_pw="$SERVING_DB_PASSWORD" \
  -v airflow_pw="$AIRFLOW_DB_PASSWORD" <<'SQL'
CREATE ROLE hive LOGIN PASSWORD :'metastore_pw';
CREATE DATABASE metastore OWNER hive;
CREATE ROLE jangbogi LOGIN PASSWORD :'serving_pw';
CREATE DATABASE jangbogi OWNER jangbogi;
CREATE ROLE airflow LOGIN PASSWORD :'airflow_pw';
CREATE DATABASE airflow OWNER airflow;
SQL
