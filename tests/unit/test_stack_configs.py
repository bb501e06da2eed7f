"""hive/ and trino_catalog/: the settings the full stack relies on, read from the files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from spark_jobs.config import load_profile

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
TRINO = ROOT / "trino_catalog"


def _properties(path: Path) -> dict[str, str]:
    props = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"{path.name}: not a key=value line: {line!r}"
            assert key.strip() not in props, f"{path.name}: {key} set twice"
            props[key.strip()] = value.strip()
    return props


def _hive_site() -> dict[str, str]:
    root = ET.parse(ROOT / "hive" / "hive-site.xml").getroot()
    return {p.findtext("name"): p.findtext("value") for p in root.iter("property")}


def test_hive_site_is_a_postgres_backed_thrift_metastore():
    site = _hive_site()
    assert site["hive.metastore.port"] == "9083"
    assert site["javax.jdo.option.ConnectionDriverName"] == "org.postgresql.Driver"
    assert site["javax.jdo.option.ConnectionURL"].startswith("jdbc:postgresql://${env.")
    assert site["datanucleus.schema.autoCreateAll"] == "false"  # schematool owns the schema
    assert site["hive.metastore.schema.verification"] == "true"
    assert site["hive.metastore.event.db.notification.api.auth"] == "false"
    assert site["fs.s3a.path.style.access"] == "true"
    # The standalone tarball has no hive-exec, where the default expression proxy lives.
    assert site["hive.metastore.expression.proxy"] == (
        "org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy"
    )


def test_hive_site_holds_no_secret():
    site = _hive_site()
    assert site["javax.jdo.option.ConnectionPassword"] == "${env.METASTORE_DB_PASSWORD}"
    for name, value in site.items():
        if re.search(r"password|secret|access\.key", name, re.I):
            assert value.startswith("${env.") and ":-" not in value, name


def test_hive_readme_pins_a_metastore_spark_can_talk_to():
    text = (ROOT / "hive" / "README.md").read_text(encoding="utf-8")
    assert "3.1.3" in text and "get_table" in text and "4.0.1" in text
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert set(re.findall(r"image: apache/hive:(\S+)", compose)) == {"3.1.3"}


def test_trino_is_a_single_node_coordinator():
    config = _properties(TRINO / "config.properties")
    assert config["coordinator"] == "true"
    assert config["node-scheduler.include-coordinator"] == "true"
    assert config["discovery.uri"] == f"http://localhost:{config['http-server.http.port']}"
    node = _properties(TRINO / "node.properties")
    assert node["node.environment"] and node["node.id"]
    assert "node.data-dir" not in node  # given on the command line: it differs per stack
    jvm = (TRINO / "jvm.config").read_text(encoding="utf-8").split()
    assert "-Djdk.attach.allowAttachSelf=true" in jvm
    assert any(opt.startswith("-Xmx") for opt in jvm)


def test_delta_catalog_is_the_profile_catalog_on_the_thrift_metastore():
    catalog = load_profile("stack").get("query_engine.catalog")
    props = _properties(TRINO / "catalog" / f"{catalog}.properties")
    assert props["connector.name"] == "delta_lake"
    assert props["hive.metastore.uri"] == "${ENV:HIVE_METASTORE_URI}"
    assert props["delta.register-table-procedure.enabled"] == "true"
    assert props["fs.native-s3.enabled"] == "true"
    assert props["s3.path-style-access"] == "true"
    assert not [k for k in props if k.startswith("hive.s3.")]  # removed from Trino


def test_serving_catalog_is_postgres_with_credentials_from_env():
    props = _properties(TRINO / "catalog" / "serving.properties")
    assert props["connector.name"] == "postgresql"
    for key in ("connection-url", "connection-user", "connection-password"):
        assert props[key].startswith("${ENV:"), key


def test_no_trino_file_uses_legacy_s3_settings_or_literal_secrets():
    for path in TRINO.rglob("*.properties"):
        props = _properties(path)
        assert not [k for k in props if k.startswith("hive.s3")], path.name
        for key, value in props.items():
            if re.search(r"password|secret", key):
                assert value.startswith("${ENV:"), f"{path.name}: {key}"
