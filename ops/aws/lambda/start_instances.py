"""Start-up Lambda: start the named EC2 and RDS instances of jangbogi when they are stopped.

EventBridge invokes :func:`handler` on a schedule (``ops/aws/template.yaml``). The instances are
named by the environment (``EC2_INSTANCE_IDS``, ``RDS_DB_INSTANCE_IDS``, comma-separated), the
same names the IAM policy is scoped to. The module is self-contained (boto3 only) because Lambda
imports it as a top-level module.

Least privilege shapes the calls: ``ec2:DescribeInstances`` cannot be scoped to a resource, so
EC2 instances are never described; ``ec2:StartInstances`` is itself a no-op on a running or
pending instance and its answer carries the previous state, which says what happened. RDS has a
resource-scoped ``rds:DescribeDBInstances``, so a DB instance is described first and started only
when ``stopped`` (``StartDBInstance`` on an available instance is an error).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

import boto3
from botocore.exceptions import ClientError

log = logging.getLogger("jangbogi.startup")
log.setLevel(logging.INFO)

STARTED = "started"
ALREADY_UP = "already running"
_EC2_MISSING = {"InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed"}
_DENIED = {"UnauthorizedOperation", "AccessDenied", "AccessDeniedException"}
# RDS states in which the instance is up or on its way up: nothing to do.
_RDS_UP = {"available", "starting", "backing-up", "modifying", "configuring-enhanced-monitoring"}


class StartupError(RuntimeError):
    """Some named instance is missing or cannot be started; the message names each one."""


def _ids(value: str | None) -> list[str]:
    """Split a comma-separated id list, dropping blanks."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def start_ec2(ec2: Any, instance_id: str) -> str:
    """Start one EC2 instance if it is stopped and return what happened.

    Raises:
        StartupError: The instance does not exist, is not ours to start, or is in a state that
            cannot be started (stopping, shutting-down, terminated).
    """
    try:
        answer = ec2.start_instances(InstanceIds=[instance_id])
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in _EC2_MISSING:
            raise StartupError(f"EC2 instance {instance_id} not found") from exc
        if code in _DENIED:
            raise StartupError(
                f"EC2 instance {instance_id}: not allowed to start it (is it one of the "
                "instances the template names?)"
            ) from exc
        raise StartupError(f"EC2 instance {instance_id} cannot be started: {exc}") from exc
    previous = answer["StartingInstances"][0]["PreviousState"]["Name"]
    return STARTED if previous == "stopped" else ALREADY_UP


def start_rds(rds: Any, db_instance_id: str) -> str:
    """Start one RDS DB instance if it is stopped and return what happened.

    Raises:
        StartupError: The DB instance does not exist or is in a state that cannot be started.
    """
    try:
        found = rds.describe_db_instances(DBInstanceIdentifier=db_instance_id)["DBInstances"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "DBInstanceNotFound":
            raise StartupError(f"RDS DB instance {db_instance_id} not found") from exc
        raise StartupError(f"RDS DB instance {db_instance_id}: {exc}") from exc
    status = found[0]["DBInstanceStatus"]
    if status in _RDS_UP:
        return ALREADY_UP
    if status != "stopped":
        raise StartupError(f"RDS DB instance {db_instance_id} is {status}, not stopped")
    rds.start_db_instance(DBInstanceIdentifier=db_instance_id)
    return STARTED


def start_named(
    ec2: Any, rds: Any, ec2_ids: list[str], db_ids: list[str]
) -> dict[str, dict[str, str]]:
    """Start every named instance that is stopped; try all of them before failing.

    Returns:
        ``{"ec2": {id: outcome}, "rds": {id: outcome}}`` with outcome ``started`` or
        ``already running``.

    Raises:
        StartupError: One or more instances could not be started (all others were handled).
    """
    outcome: dict[str, dict[str, str]] = {"ec2": {}, "rds": {}}
    errors: list[str] = []
    for kind, ids, start in (("ec2", ec2_ids, start_ec2), ("rds", db_ids, start_rds)):
        client = ec2 if kind == "ec2" else rds
        for ident in ids:
            try:
                outcome[kind][ident] = start(client, ident)
            except StartupError as exc:
                errors.append(str(exc))
                continue
            log.info(json.dumps({"kind": kind, "id": ident, "outcome": outcome[kind][ident]}))
    if errors:
        raise StartupError("; ".join(errors))
    return outcome


def handler(event: dict[str, Any], context: Any) -> dict[str, dict[str, str]]:
    """Lambda entry point: start the instances named by ``EC2_INSTANCE_IDS``/``RDS_DB_INSTANCE_IDS``.

    Raises:
        StartupError: No instance is named, or some could not be started.
    """
    ec2_ids = _ids(os.environ.get("EC2_INSTANCE_IDS"))
    db_ids = _ids(os.environ.get("RDS_DB_INSTANCE_IDS"))
    if not ec2_ids and not db_ids:
        raise StartupError("set EC2_INSTANCE_IDS and/or RDS_DB_INSTANCE_IDS")
    return start_named(boto3.client("ec2"), boto3.client("rds"), ec2_ids, db_ids)
