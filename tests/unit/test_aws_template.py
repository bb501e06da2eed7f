"""ops/aws/template.yaml: valid per cfn-lint (offline) and least-privilege (no wildcard in any policy).

The wildcard check reads every IAM policy document in the template (role inline policies, trust
policies, managed and stand-alone policies, resource policies) and Lambda permissions. It fails on
an action or a resource holding ``*`` (also ``ec2:Start*``), on ``NotAction``/``NotResource``, on
``!GetAtt <LogGroup>.Arn`` (that ARN ends in ``:*``), on an allow statement without a resource,
and on a resource built from a parameter that could be given a ``*``. It allows one wildcard: the
log-stream name inside this stack's own log group (Lambda names its streams at run time).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file
from cfnlint.decode.cfn_yaml import load as load_cfn

pytestmark = pytest.mark.unit
OPS = Path(__file__).resolve().parents[2] / "ops" / "aws"
TEMPLATE = OPS / "template.yaml"
# ${AWS::Partition} etc. are not parameters and never a wildcard.
_PSEUDO = {"AWS::Partition", "AWS::Region", "AWS::AccountId", "AWS::URLSuffix", "AWS::StackName"}
_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")
_OWN_LOG_STREAMS = re.compile(
    r"arn:\$\{AWS::Partition\}:logs:\$\{AWS::Region\}:\$\{AWS::AccountId\}:"
    r"log-group:\$\{(?P<group>[A-Za-z0-9]+)\}:log-stream:\*"
)
_WILDCARD_PROBES = ("*", "i-*", "jangbogi-*", "a*", "?")
_POLICY_TYPES = {
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
    "AWS::SNS::TopicPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::S3::BucketPolicy",
}


def _load(path: Path = TEMPLATE) -> dict[str, Any]:
    return load_cfn(str(path))


def _documents(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (where, policy document) for every policy document in the template."""
    for name, res in template.get("Resources", {}).items():
        props = res.get("Properties", {}) or {}
        rtype = res.get("Type")
        if rtype == "AWS::IAM::Role":
            if "AssumeRolePolicyDocument" in props:
                yield f"{name}.AssumeRolePolicyDocument", props["AssumeRolePolicyDocument"]
            for i, pol in enumerate(props.get("Policies", []) or []):
                yield f"{name}.Policies[{i}]", pol["PolicyDocument"]
        elif rtype in _POLICY_TYPES:
            key = "PolicyDocument" if "PolicyDocument" in props else "PolicyText"
            yield name, props[key]


def _strings(value: Any) -> Iterator[str]:
    """Yield every literal string in an intrinsic-function tree (Sub templates, Join pieces …)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key == "Fn::GetAtt":
                continue  # checked on its own
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def _refs(value: Any) -> Iterator[str]:
    """Yield the logical names a value refers to (Ref and ${Name} in Sub)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                yield inner
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                yield from (v for v in _SUB_VAR.findall(text) if "." not in v)
                if not isinstance(inner, str):
                    yield from _refs(inner[1])
            else:
                yield from _refs(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _refs(inner)


def _getatts(value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Fn::GetAtt":
                parts = inner.split(".", 1) if isinstance(inner, str) else list(inner)
                yield parts[0], parts[1]
            else:
                yield from _getatts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _getatts(inner)
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        text = sub if isinstance(sub, str) else sub[0]
        for var in _SUB_VAR.findall(text):
            if "." in var:
                res, attr = var.split(".", 1)
                yield res, attr


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _resource_findings(where: str, resource: Any, template: dict[str, Any]) -> list[str]:
    found: list[str] = []
    resources = template.get("Resources", {})
    parameters = template.get("Parameters", {})
    for text in _strings(resource):
        match = _OWN_LOG_STREAMS.fullmatch(text)
        if match and resources.get(match["group"], {}).get("Type") == "AWS::Logs::LogGroup":
            continue  # the one allowed wildcard: streams of this stack's own log group
        if "*" in text or "?" in text:
            found.append(f"{where}: wildcard resource {text!r}")
    for res, attr in _getatts(resource):
        if resources.get(res, {}).get("Type") == "AWS::Logs::LogGroup" and attr == "Arn":
            found.append(f"{where}: !GetAtt {res}.Arn ends in ':*' (all streams, any log group)")
    for ref in _refs(resource):
        if ref in _PSEUDO or ref in resources:
            continue
        param = parameters.get(ref)
        if param is None:
            found.append(f"{where}: resource refers to unknown {ref!r}")
            continue
        pattern = param.get("AllowedPattern")
        if not pattern:
            found.append(f"{where}: parameter {ref} has no AllowedPattern (could be '*')")
        elif any(re.fullmatch(pattern, probe) for probe in _WILDCARD_PROBES):
            found.append(f"{where}: parameter {ref} admits a wildcard value")
    return found


def wildcard_findings(template: dict[str, Any]) -> list[str]:
    """Return every way a policy in ``template`` grants more than named actions on named resources."""
    found: list[str] = []
    for where, doc in _documents(template):
        for i, stmt in enumerate(_as_list(doc.get("Statement", []))):
            at = f"{where}.Statement[{i}]"
            for key in ("NotAction", "NotResource", "NotPrincipal"):
                if key in stmt:
                    found.append(f"{at}: {key} grants everything else")
            for action in _as_list(stmt.get("Action", [])):
                if not isinstance(action, str) or "*" in action or "?" in action:
                    found.append(f"{at}: wildcard or computed action {action!r}")
            is_trust = where.endswith("AssumeRolePolicyDocument")
            if "Resource" in stmt:
                for resource in _as_list(stmt["Resource"]):
                    found.extend(_resource_findings(at, resource, template))
            elif not is_trust and stmt.get("Effect") == "Allow":
                found.append(f"{at}: Allow without a Resource")
    for name, res in template.get("Resources", {}).items():
        if res.get("Type") == "AWS::Lambda::Permission":
            props = res.get("Properties", {})
            if "*" in str(props.get("Action", "*")) or "*" in str(props.get("Principal", "*")):
                found.append(f"{name}: wildcard Lambda permission")
            if "SourceArn" not in props:
                found.append(f"{name}: Lambda permission without SourceArn")
    return found


def _lambda_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    role = template["Resources"]["StartupRole"]["Properties"]
    return [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]


def test_template_passes_cfn_lint():
    matches = lint_file(TEMPLATE)
    assert [str(m) for m in matches] == []


def test_template_policies_have_no_wildcards():
    template = _load()
    assert list(_documents(template)), "the checker found no policy to check"
    assert wildcard_findings(template) == []


def test_startup_role_grants_exactly_the_start_calls_and_its_own_logs():
    statements = _lambda_statements(_load())
    actions = {a for s in statements for a in _as_list(s["Action"])}
    assert actions == {
        "ec2:StartInstances",
        "rds:DescribeDBInstances",
        "rds:StartDBInstance",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
    assert all(s["Effect"] == "Allow" for s in statements)
    by_sid = {s["Sid"]: s for s in statements}
    ec2_arns = [r["Fn::Sub"] for r in by_sid["StartNamedEc2"]["Resource"]]
    assert [a.rsplit("/", 1)[1] for a in ec2_arns] == [
        "${AirflowInstanceId}",
        "${StreamlitInstanceId}",
    ]
    assert by_sid["StartNamedRds"]["Resource"]["Fn::Sub"].endswith(":db:${ServingDbInstanceId}")


def test_lambda_code_and_environment_match_the_handler_and_the_policy():
    template = _load()
    fn = template["Resources"]["StartupFunction"]["Properties"]
    module, func = fn["Handler"].split(".")
    handler_file = OPS / fn["Code"] / f"{module}.py"
    assert handler_file.is_file() and f"def {func}(" in handler_file.read_text()
    env = fn["Environment"]["Variables"]
    assert env["EC2_INSTANCE_IDS"] == {"Fn::Sub": "${AirflowInstanceId},${StreamlitInstanceId}"}
    assert env["RDS_DB_INSTANCE_IDS"] == {"Ref": "ServingDbInstanceId"}
    assert fn["LoggingConfig"]["LogGroup"] == {"Ref": "StartupLogGroup"}


def test_alarms_mail_the_sns_topic():
    res = _load()["Resources"]
    assert res["AlarmTopic"]["Properties"]["Subscription"][0]["Protocol"] == "email"
    failure = res["PipelineFailureAlarm"]["Properties"]
    metric = res["PipelineFailureFilter"]["Properties"]["MetricTransformations"][0]
    assert (failure["Namespace"], failure["MetricName"]) == (
        metric["MetricNamespace"],
        metric["MetricName"],
    )
    for alarm in ("PipelineFailureAlarm", "StartupErrorAlarm"):
        assert res[alarm]["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def _statement(doc_path: str):
    def pick(t: dict[str, Any]) -> dict[str, Any]:
        statements = t["Resources"]["StartupRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        return {s["Sid"]: s for s in statements["Statement"]}[doc_path]

    return pick


def _set(sid: str, key: str, value: Any):
    def mutate(t: dict[str, Any]) -> None:
        _statement(sid)(t)[key] = value

    return mutate


def _drop_pattern(t: dict[str, Any]) -> None:
    del t["Parameters"]["AirflowInstanceId"]["AllowedPattern"]


def _loose_pattern(t: dict[str, Any]) -> None:
    t["Parameters"]["ServingDbInstanceId"]["AllowedPattern"] = ".+"


def _extra_policy(t: dict[str, Any]) -> None:
    t["Resources"]["Extra"] = {
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": "extra",
            "Roles": [{"Ref": "StartupRole"}],
            "PolicyDocument": {
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
            },
        },
    }


def _other_log_group(t: dict[str, Any]) -> None:
    stmt = _statement("OwnLogs")(t)
    stmt["Resource"] = {
        "Fn::Sub": stmt["Resource"]["Fn::Sub"].replace("${StartupLogGroup}", "${AlarmEmail}")
    }


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(_set("StartNamedEc2", "Action", "ec2:*"), id="action-service-wildcard"),
        pytest.param(_set("StartNamedEc2", "Action", "ec2:Start*"), id="action-prefix-wildcard"),
        pytest.param(_set("StartNamedEc2", "Action", "*"), id="action-star"),
        pytest.param(_set("StartNamedRds", "Resource", "*"), id="resource-star"),
        pytest.param(
            _set(
                "StartNamedEc2",
                "Resource",
                {
                    "Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*"
                },
            ),
            id="resource-arn-wildcard",
        ),
        pytest.param(
            _set("OwnLogs", "Resource", {"Fn::GetAtt": ["StartupLogGroup", "Arn"]}),
            id="log-group-arn-ends-in-star",
        ),
        pytest.param(_other_log_group, id="log-stream-star-outside-own-group"),
        pytest.param(_set("StartNamedRds", "NotResource", "arn:aws:rds:::db:x"), id="not-resource"),
        pytest.param(_drop_pattern, id="parameter-could-be-star"),
        pytest.param(_loose_pattern, id="parameter-pattern-admits-star"),
        pytest.param(_extra_policy, id="stand-alone-policy-with-star"),
    ],
)
def test_wildcard_check_fails_on_a_template_with_a_wildcard(mutate):
    template = copy.deepcopy(_load())
    mutate(template)
    assert wildcard_findings(template) != []


def test_wildcard_check_fails_on_a_wildcard_template_file(tmp_path):
    bad = tmp_path / "template.yaml"
    bad.write_text(
        TEMPLATE.read_text().replace("Action: ec2:StartInstances", "Action: ec2:*"), "utf-8"
    )
    assert any("ec2:*" in f for f in wildcard_findings(_load(bad)))
