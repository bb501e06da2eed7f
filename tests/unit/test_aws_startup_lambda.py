"""The start-up Lambda against moto's EC2 and RDS: start stopped instances only, idempotently."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

pytestmark = pytest.mark.unit
HANDLER_FILE = Path(__file__).resolve().parents[2] / "ops" / "aws" / "lambda" / "start_instances.py"
REGION = "ap-northeast-2"


def _load_handler():
    # Lambda imports the file as a top-level module (``lambda`` is a keyword: no package path).
    spec = importlib.util.spec_from_file_location("start_instances", HANDLER_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["start_instances"] = module
    spec.loader.exec_module(module)
    return module


si = _load_handler()


@pytest.fixture
def aws(monkeypatch):
    for var, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(var, value)
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        rds = boto3.client("rds", region_name=REGION)
        yield ec2, rds


def _instance(ec2, stopped: bool) -> str:
    ami = ec2.describe_images()["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.medium")[
        "Instances"
    ][0]["InstanceId"]
    if stopped:
        ec2.stop_instances(InstanceIds=[iid])
    return iid


def _db(rds, name: str, stopped: bool) -> str:
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="jangbogi",
        MasterUserPassword="not-a-real-secret",
        AllocatedStorage=20,
    )
    if stopped:
        rds.stop_db_instance(DBInstanceIdentifier=name)
    return name


def _ec2_state(ec2, iid: str) -> str:
    return ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["State"][
        "Name"
    ]


def _db_state(rds, name: str) -> str:
    return rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0][
        "DBInstanceStatus"
    ]


class RecordingRds:
    """Passes calls through to the real (moto) client and records StartDBInstance calls."""

    def __init__(self, client):
        self.client, self.started = client, []

    def describe_db_instances(self, **kw):
        return self.client.describe_db_instances(**kw)

    def start_db_instance(self, **kw):
        self.started.append(kw["DBInstanceIdentifier"])
        return self.client.start_db_instance(**kw)


def test_handler_starts_the_stopped_instances_named_by_the_environment(aws, monkeypatch):
    ec2, rds = aws
    airflow, streamlit = _instance(ec2, stopped=True), _instance(ec2, stopped=True)
    other = _instance(ec2, stopped=True)  # not named: must stay stopped
    db = _db(rds, "jangbogi-serving", stopped=True)
    assert _db_state(rds, db) == "stopped"
    monkeypatch.setenv("EC2_INSTANCE_IDS", f"{airflow}, {streamlit}")
    monkeypatch.setenv("RDS_DB_INSTANCE_IDS", db)

    result = si.handler({"source": "aws.events"}, None)

    assert result == {
        "ec2": {airflow: "started", streamlit: "started"},
        "rds": {db: "started"},
    }
    assert _ec2_state(ec2, airflow) == "running" and _ec2_state(ec2, streamlit) == "running"
    assert _ec2_state(ec2, other) == "stopped"
    assert _db_state(rds, db) == "available"


def test_second_run_is_a_no_op(aws, monkeypatch):
    ec2, rds = aws
    iid = _instance(ec2, stopped=True)
    db = _db(rds, "jangbogi-serving", stopped=True)
    monkeypatch.setenv("EC2_INSTANCE_IDS", iid)
    monkeypatch.setenv("RDS_DB_INSTANCE_IDS", db)
    first = si.handler({}, None)
    second = si.handler({}, None)
    assert first == {"ec2": {iid: "started"}, "rds": {db: "started"}}
    assert second == {"ec2": {iid: "already running"}, "rds": {db: "already running"}}
    assert _ec2_state(ec2, iid) == "running" and _db_state(rds, db) == "available"


def test_running_instances_are_left_alone(aws):
    ec2, rds = aws
    iid = _instance(ec2, stopped=False)
    db = _db(rds, "jangbogi-serving", stopped=False)
    recording = RecordingRds(rds)
    assert si.start_named(ec2, recording, [iid], [db]) == {
        "ec2": {iid: "already running"},
        "rds": {db: "already running"},
    }
    assert recording.started == []  # StartDBInstance on an available DB would be an error
    assert _ec2_state(ec2, iid) == "running" and _db_state(rds, db) == "available"


def test_missing_instances_give_a_clear_error_after_the_others_are_started(aws):
    ec2, rds = aws
    iid = _instance(ec2, stopped=True)
    db = _db(rds, "jangbogi-serving", stopped=True)
    with pytest.raises(si.StartupError) as err:
        si.start_named(ec2, rds, ["i-0123456789abcdef0", iid], ["jangbogi-gone", db])
    assert str(err.value) == (
        "EC2 instance i-0123456789abcdef0 not found; RDS DB instance jangbogi-gone not found"
    )
    assert _ec2_state(ec2, iid) == "running" and _db_state(rds, db) == "available"


def test_a_db_that_is_neither_stopped_nor_up_is_reported():
    class Stopping:
        def describe_db_instances(self, **kw):
            return {"DBInstances": [{"DBInstanceStatus": "stopping"}]}

        def start_db_instance(self, **kw):  # pragma: no cover - must not be called
            raise AssertionError("started a stopping DB")

    with pytest.raises(si.StartupError, match="jangbogi-serving is stopping, not stopped"):
        si.start_rds(Stopping(), "jangbogi-serving")


def test_handler_without_names_refuses(monkeypatch):
    monkeypatch.delenv("EC2_INSTANCE_IDS", raising=False)
    monkeypatch.setenv("RDS_DB_INSTANCE_IDS", " , ")
    with pytest.raises(si.StartupError, match="EC2_INSTANCE_IDS"):
        si.handler({}, None)


def test_handler_needs_nothing_the_lambda_runtime_lacks():
    import ast

    tree = ast.parse(HANDLER_FILE.read_text(encoding="utf-8"))
    modules = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    # The Python runtime carries the standard library and boto3/botocore; nothing else is packaged.
    assert modules <= {"__future__", "json", "logging", "os", "typing", "boto3", "botocore"}
