"""The jangbogi DAG factory: turns the job registry (``jobs.json``) into Airflow 3 DAGs."""
