"""Every jangbogi Airflow DAG, generated from the job registry by one factory (jangbogi_dag_lib).

raw_<source>_collect_daily, silver_<source>_transform_daily, gold_marts_build_daily,
serving_publish_daily (chained by Assets), master_pipeline (daily 10:00 Asia/Seoul), backfill.
"""

import sys
from pathlib import Path

# Airflow 3 does not put a DAG bundle's folder on sys.path for every parser: do it for our lib.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))

from jangbogi_dag_lib.factory import backfill_dag, layer_dags, master_dag

for _dag_id, _dag in {
    **layer_dags(),
    "master_pipeline": master_dag(),
    "backfill": backfill_dag(),
}.items():
    globals()[_dag_id] = _dag
