"""docker-compose.yml, checked by parsing (no Docker engine runs here).

Services and ports, mounted host paths exist, images pinned, health checks, the same hive/ and
trino_catalog/ files, and an environment that makes ``conf/stack.yaml`` point at the services.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from spark_jobs.config import load_profile
from spark_jobs.session import spark_conf

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
_COMPOSE_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}")
_PROFILE_VAR = re.compile(r"\$\{([A-Z0-9_]+)")

REQUIRED = {
    "minio",
    "minio-init",
    "postgres",
    "metastore",
    "spark-master",
    "spark-worker",
    "airflow-api-server",
    "airflow-scheduler",
    "airflow-dag-processor",
    "trino",
    "streamlit",
}
# host port -> (service, container port)
PORTS = {
    9000: ("minio", 9000),
    9001: ("minio", 9001),
    5432: ("postgres", 5432),
    9083: ("metastore", 9083),
    7077: ("spark-master", 7077),
    8081: ("spark-master", 8080),
    8082: ("spark-worker", 8081),
    8080: ("airflow-api-server", 8080),
    8088: ("trino", 8080),
    8501: ("streamlit", 8501),
}
JANGBOGI_SERVICES = ("spark-master", "spark-worker", "streamlit", "airflow-scheduler")


def _interpolate(value: Any) -> Any:
    """Resolve compose ``${VAR:-default}`` with an empty environment (defaults only), ``$$`` → ``$``."""
    if isinstance(value, str):
        return _COMPOSE_VAR.sub(lambda m: m.group(2) or "", value).replace("$$", "$")
    if isinstance(value, dict):
        return {k: _interpolate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v) for v in value]
    return value


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return _interpolate(yaml.safe_load(COMPOSE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def services(compose) -> dict[str, Any]:
    return compose["services"]


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _ports(service: dict[str, Any]) -> list[tuple[int, int]]:
    out = []
    for spec in service.get("ports", []):
        host, container = str(spec).split("/")[0].rsplit(":", 2)[-2:]
        out.append((int(host), int(container)))
    return out


def _bind_mounts(service: dict[str, Any]) -> list[tuple[str, str]]:
    mounts = []
    for spec in service.get("volumes", []):
        source, target = str(spec).split(":")[:2]
        if source.startswith((".", "/")):
            mounts.append((source, target))
    return mounts


def _one_shots(services: dict[str, Any]) -> set[str]:
    return {
        dep
        for svc in services.values()
        for dep, cond in (svc.get("depends_on") or {}).items()
        if isinstance(cond, dict) and cond.get("condition") == "service_completed_successfully"
    }


def _properties(path: Path) -> dict[str, str]:
    props = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            props[key.strip()] = value.strip()
    return props


def test_required_services_are_present(services):
    assert set(services) >= REQUIRED


def test_ports_are_published_as_documented_and_unique(services):
    published = [(h, name, c) for name, svc in services.items() for h, c in _ports(svc)]
    hosts = [h for h, _, _ in published]
    assert len(hosts) == len(set(hosts)), "a host port is published twice"
    assert {h: (name, c) for h, name, c in published} == PORTS


def test_host_ports_match_the_profile_defaults(services, monkeypatch):
    for var in ("HIVE_METASTORE_URI", "TRINO_PORT", "JANGBOGI_SERVING_DSN", "TRINO_HOST"):
        monkeypatch.delenv(var, raising=False)
    profile = load_profile("stack")
    meta = urlsplit(profile.get("metastore.uri"))
    assert PORTS[meta.port] == ("metastore", 9083)
    assert PORTS[int(profile.get("query_engine.port"))] == ("trino", 8080)
    assert PORTS[urlsplit(profile.get("serving.dsn")).port] == ("postgres", 5432)


def test_every_mounted_host_path_exists_in_the_repo(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, svc in services.items():
        for spec in svc.get("volumes", []):
            source = str(spec).split(":")[0]
            if source.startswith((".", "/")):
                path = (ROOT / source).resolve()
                assert path.exists(), f"{name}: {source} does not exist"
                assert path == ROOT or ROOT in path.parents, f"{name}: {source} is outside the repo"
            else:
                assert source in declared, f"{name}: named volume {source} is not declared"


def _pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag != "latest" and bool(re.search(r"\d", tag))


@pytest.mark.parametrize(
    ("image", "ok"),
    [
        ("postgres:15.10-bookworm", True),
        ("trinodb/trino:476", True),
        ("trinodb/trino", False),
        ("trinodb/trino:latest", False),
        ("apache/hive:stable", False),
        ("localhost:5000/hive", False),
    ],
)
def test_pin_rule(image, ok):
    assert _pinned(image) is ok


def test_every_image_is_pinned(services):
    for name, svc in services.items():
        assert "image" in svc, f"{name} has no image"
        assert _pinned(svc["image"]), f"{name}: {svc['image']} is not pinned to a version"
        build = svc.get("build")
        if build:
            dockerfile = ROOT / build["context"] / build["dockerfile"]
            text = dockerfile.read_text(encoding="utf-8")
            stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text, flags=re.M | re.I))
            assert build["target"] in stages, f"{name}: no stage {build['target']}"
            for base in re.findall(r"^FROM\s+(\S+)", text, flags=re.M | re.I):
                assert base in stages or _pinned(base), f"{dockerfile}: FROM {base} not pinned"


def test_long_running_services_have_health_checks(services):
    one_shots = _one_shots(services)
    assert {"minio-init", "metastore-schema", "jdbc-driver", "airflow-init"} <= one_shots
    for name, svc in services.items():
        if name in one_shots:
            assert svc.get("restart") == "no", f"{name} is a one-shot and must not restart"
        else:
            test = (svc.get("healthcheck") or {}).get("test")
            assert test and test != ["NONE"], f"{name} has no health check"


def test_dependencies_exist_and_wait_for_health(services):
    for name, svc in services.items():
        for dep, cond in (svc.get("depends_on") or {}).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            want = (
                "service_completed_successfully"
                if dep in _one_shots(services)
                else "service_healthy"
            )
            assert cond["condition"] == want, f"{name} -> {dep}"


def test_the_same_hive_and_trino_files_are_mounted(services):
    meta = dict(_bind_mounts(services["metastore"]))
    assert meta["./hive/hive-site.xml"] == "/opt/hive/conf/hive-site.xml"
    assert dict(_bind_mounts(services["metastore-schema"])) == meta
    trino = dict(_bind_mounts(services["trino"]))
    for item in sorted((ROOT / "trino_catalog").iterdir()):
        if item.name == "README.md":
            continue
        assert trino.get(f"./trino_catalog/{item.name}") == f"/etc/trino/{item.name}", item.name
    for name in (*JANGBOGI_SERVICES, "airflow-api-server", "airflow-dag-processor"):
        mounts = dict(_bind_mounts(services[name]))
        assert mounts.get("./") == "/opt/jangbogi", f"{name} does not see the repo's conf/"
        assert _env(services[name])["JANGBOGI_HOME"] == "/opt/jangbogi"


def test_profile_under_the_compose_environment_points_at_the_services(services, monkeypatch):
    for name in JANGBOGI_SERVICES:
        env = _env(services[name])
        assert env["JANGBOGI_ENV"] == "stack"
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        profile = load_profile()
        assert profile.name == "stack"
        meta = urlsplit(profile.get("metastore.uri"))
        assert (meta.scheme, meta.hostname, meta.port) == ("thrift", "metastore", 9083)
        master = urlsplit(profile.get("spark.master"))
        assert (master.scheme, master.hostname, master.port) == ("spark", "spark-master", 7077)
        assert profile.get("query_engine.host") == "trino"
        trino_port = int(
            _properties(ROOT / "trino_catalog" / "config.properties")["http-server.http.port"]
        )
        assert int(profile.get("query_engine.port")) == trino_port
        dsn = urlsplit(profile.get("serving.dsn"))
        assert (dsn.hostname, dsn.port, dsn.path) == ("postgres", 5432, "/jangbogi")
        assert dsn.username == "jangbogi"
        assert dsn.password == _env(services["postgres"])["SERVING_DB_PASSWORD"]
        conf = spark_conf(profile)
        assert conf["spark.sql.warehouse.dir"] == "s3a://jangbogi-lake/warehouse"
        assert conf["spark.hadoop.fs.s3a.endpoint"] == "http://minio:9000"
        assert conf["spark.hadoop.fs.s3a.path.style.access"] == "true"


def test_app_environment_names_only_variables_the_profile_reads(services):
    profile_vars = set(_PROFILE_VAR.findall((ROOT / "conf" / "stack.yaml").read_text()))
    # Read by code rather than the profile: the switch, the home, and S3A/KAMIS credentials.
    read_elsewhere = {
        "JANGBOGI_ENV",
        "JANGBOGI_HOME",
        "AWS_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "KAMIS_CERT_KEY",
        "KAMIS_CERT_ID",
    }
    for name in JANGBOGI_SERVICES:
        env = {k for k in _env(services[name]) if not k.startswith("AIRFLOW")}
        assert env - profile_vars - read_elsewhere == set(), name


def test_minio_bucket_and_credentials_match_the_lake(services):
    app = _env(services["spark-master"])
    bucket = urlsplit(app["JANGBOGI_WAREHOUSE"]).hostname
    assert urlsplit(app["JANGBOGI_STORAGE_ROOT"]).hostname == bucket
    assert f"mc mb --ignore-existing local/{bucket}" in " ".join(services["minio-init"]["command"])
    minio = _env(services["minio"])
    for name in ("spark-master", "metastore", "trino"):
        env = _env(services[name])
        assert env["AWS_ACCESS_KEY_ID"] == minio["MINIO_ROOT_USER"], name
        assert env["AWS_SECRET_ACCESS_KEY"] == minio["MINIO_ROOT_PASSWORD"], name
        assert urlsplit(env["JANGBOGI_S3_ENDPOINT"]).hostname == "minio", name


def test_metastore_and_trino_get_every_variable_their_files_need(services):
    hive = (ROOT / "hive" / "hive-site.xml").read_text(encoding="utf-8")
    no_default = set(re.findall(r"\$\{env\.([A-Z0-9_]+)\}", hive))
    assert "METASTORE_DB_PASSWORD" in no_default
    meta = _env(services["metastore"])
    assert no_default <= set(meta)
    pg = _env(services["postgres"])
    assert meta["METASTORE_DB_HOST"] == "postgres"
    assert meta["METASTORE_DB_PASSWORD"] == pg["METASTORE_DB_PASSWORD"]
    trino = _env(services["trino"])
    needed = set()
    for path in (ROOT / "trino_catalog").rglob("*"):
        if path.is_file():
            needed |= set(re.findall(r"\$\{ENV:([A-Z0-9_]+)\}", path.read_text(encoding="utf-8")))
    assert needed and needed <= set(trino)
    assert trino["HIVE_METASTORE_URI"] == _env(services["spark-master"])["HIVE_METASTORE_URI"]
    jdbc = urlsplit(trino["SERVING_JDBC_URL"].removeprefix("jdbc:"))
    dsn = urlsplit(_env(services["streamlit"])["JANGBOGI_SERVING_DSN"])
    assert (jdbc.hostname, jdbc.port, jdbc.path) == (dsn.hostname, dsn.port, dsn.path)
    assert (trino["SERVING_DB_USER"], trino["SERVING_DB_PASSWORD"]) == (dsn.username, dsn.password)


def test_postgres_init_creates_the_databases_the_services_use(services):
    script = (ROOT / "ops" / "compose" / "postgres-init.sh").read_text(encoding="utf-8")
    owners = dict(re.findall(r"CREATE DATABASE (\w+) OWNER (\w+);", script))
    meta = _env(services["metastore"])
    assert owners[meta["METASTORE_DB_NAME"]] == meta["METASTORE_DB_USER"]
    dsn = urlsplit(_env(services["streamlit"])["JANGBOGI_SERVING_DSN"])
    assert owners[dsn.path.lstrip("/")] == dsn.username
    airflow = urlsplit(_env(services["airflow-scheduler"])["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert owners[airflow.path.lstrip("/")] == airflow.username


def test_airflow_components_share_one_configuration(services):
    names = ("airflow-api-server", "airflow-scheduler", "airflow-dag-processor", "airflow-init")
    envs = [_env(services[n]) for n in names]
    assert all(e == envs[0] for e in envs)
    env = envs[0]
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith(
        "http://airflow-api-server:8080/"
    )
    assert int(env["AIRFLOW__CORE__PARALLELISM"]) <= 4  # LocalExecutor starts that many workers
    assert env["SPARK_MASTER"] == "spark://spark-master:7077"
    commands = {n: services[n]["command"][:2] for n in names}
    assert commands == {
        "airflow-api-server": ["airflow", "api-server"],
        "airflow-scheduler": ["airflow", "scheduler"],
        "airflow-dag-processor": ["airflow", "dag-processor"],
        "airflow-init": ["airflow", "db"],
    }
