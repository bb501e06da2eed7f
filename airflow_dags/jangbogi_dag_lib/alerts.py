"""Alerts: post to a Slack-compatible webhook (``JANGBOGI_ALERT_WEBHOOK``) and log.

The text names the DAG, task, run and date only: never the rendered command line, the
environment or an XCom, so the KAMIS cert key cannot leak through an alert.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from typing import Any

from airflow.sdk import BaseNotifier

log = logging.getLogger("jangbogi.alerts")
WEBHOOK_VAR = "JANGBOGI_ALERT_WEBHOOK"


def post(text: str, kind: str, **fields: Any) -> bool:
    """Log ``text`` and post it to the webhook when one is configured; return True when posted."""
    log.warning("jangbogi alert (%s): %s", kind, text)
    url = os.environ.get(WEBHOOK_VAR, "").strip()
    if not url:
        return False
    payload = {"text": text, "kind": kind, **{k: str(v) for k, v in fields.items()}}
    req = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return 200 <= resp.status < 300
    except OSError as exc:  # an unreachable webhook must not fail the task a second time
        log.error("alert webhook failed: %s", type(exc).__name__)
        return False


class WebhookNotifier(BaseNotifier):
    """Task/DAG failure notifier: one message per failed task instance (after its last retry)."""

    template_fields = ()

    def __init__(self, kind: str = "task_failed") -> None:
        super().__init__()
        self.kind = kind

    def notify(self, context: Any) -> None:
        """Post which task failed, for which run and date."""
        ti = context.get("ti") or context.get("task_instance")
        dag_id = getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "?")
        task_id = getattr(ti, "task_id", "?")
        run_id = getattr(ti, "run_id", None) or getattr(context.get("dag_run"), "run_id", "?")
        try_number = getattr(ti, "try_number", "?")
        text = f"[jangbogi] {self.kind}: {dag_id}.{task_id} run {run_id} (try {try_number})"
        post(text, self.kind, dag_id=dag_id, task_id=task_id, run_id=run_id)


def deadline_missed(**kwargs: Any) -> None:
    """SyncCallback of the master DAG's DeadlineAlert: the daily run is late.

    Airflow passes ``context={"dag_run": {...DAGRunResponse as JSON...}, "deadline": {...}}``.
    """
    context = kwargs.get("context") or {}
    dag_run = context.get("dag_run") or {}
    if not isinstance(dag_run, dict):  # a DagRun object, should a later Airflow pass one
        dag_run = {"dag_id": getattr(dag_run, "dag_id", None), "dag_run_id": dag_run.run_id}
    dag_id = dag_run.get("dag_id") or "master_pipeline"
    run_id = dag_run.get("dag_run_id") or dag_run.get("run_id") or "?"
    due = (context.get("deadline") or {}).get("deadline_time", "?")
    post(
        f"[jangbogi] deadline_missed: {dag_id} run {run_id} not done by {due}",
        "deadline_missed",
        dag_id=dag_id,
        run_id=run_id,
    )
