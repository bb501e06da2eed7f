"""spark_jobs.jvm.launch_env: which launches get the class-data-sharing archive, and how."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spark_jobs import jvm


@pytest.fixture()
def launch(tmp_path: Path) -> dict:
    conf = tmp_path / "conf-empty"
    conf.mkdir()
    for name in ("a-default.jsa", "a-testing.jsa", "spark-jangbogi.conf"):
        (tmp_path / name).write_text("x")
    stamp = jvm.class_path_stamp(jvm.spark_home(), tmp_path / "spark-jangbogi.conf")
    return {
        "conf_dir": str(conf),
        "properties_file": str(tmp_path / "spark-jangbogi.conf"),
        "java_home": "/opt/jdk17",
        "spark_home": jvm.spark_home(),
        "archives": {
            "default": str(tmp_path / "a-default.jsa"),
            "testing": str(tmp_path / "a-testing.jsa"),
        },
        "stamps": {"default": stamp, "testing": stamp},
    }


def test_an_ordinary_launch_gets_the_default_archive_and_the_empty_conf_dir(launch):
    env = jvm.launch_env({}, launch)
    assert env == {
        "SPARK_CONF_DIR": launch["conf_dir"],
        "SPARK_SUBMIT_OPTS": f"-XX:SharedArchiveFile={launch['archives']['default']} "
        "-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off",
        "JAVA_HOME": "/opt/jdk17",
    }
    assert jvm.properties_file(launch) == launch["properties_file"]


def test_the_suite_gets_its_own_archive_and_options_are_kept(launch):
    env = jvm.launch_env(
        {"SPARK_TESTING": "1", "SPARK_SUBMIT_OPTS": "-Dx=1", "JAVA_HOME": "/mine"}, launch
    )
    assert env["SPARK_SUBMIT_OPTS"].startswith(
        f"-Dx=1 -XX:SharedArchiveFile={launch['archives']['testing']} -Xshare:auto"
    )
    assert "JAVA_HOME" not in env  # the caller's JDK is not overridden


def test_strict_makes_a_misfit_archive_stop_the_jvm(launch):
    opts = jvm.launch_env({"JANGBOGI_CDS": "strict"}, launch)["SPARK_SUBMIT_OPTS"]
    assert "-Xshare:on" in opts and "-Xshare:auto" not in opts


@pytest.mark.parametrize(
    "why",
    [
        "off",
        "own-conf-dir",
        "no-launch",
        "archive-gone",
        "conf-dir-not-empty",
        "no-properties",
        "another-spark-home",
        "made-for-other-jars",
        "no-stamp",
    ],
)
def test_no_archive_when_it_cannot_or_should_not_be_used(launch, why):
    env: dict[str, str] = {}
    if why == "off":
        env["JANGBOGI_CDS"] = "off"
    elif why == "own-conf-dir":
        env["SPARK_CONF_DIR"] = "/etc/spark"
    elif why == "no-launch":
        launch = {}
    elif why == "archive-gone":
        Path(launch["archives"]["default"]).unlink()
    elif why == "conf-dir-not-empty":
        (Path(launch["conf_dir"]) / "spark-defaults.conf").write_text("")
    elif why == "no-properties":
        Path(launch["properties_file"]).unlink()
    elif why == "another-spark-home":  # another checkout's venv: its jars' paths are in it
        launch["spark_home"] = "/elsewhere/.venv/lib/python3.11/site-packages/pyspark"
    elif why == "made-for-other-jars":  # e.g. the venv was reinstalled since set-up
        launch["stamps"]["default"] = "0123456789ab"
    elif why == "no-stamp":  # a launch.json of the earlier layout: nothing says the jars fit
        del launch["stamps"]
    assert jvm.launch_env(env, launch) == {}


def test_the_class_path_stamp_follows_each_jar_s_size_and_time(tmp_path):
    """The JVM refuses an archive when a jar's size or mtime changed; so does the stamp."""
    home = tmp_path / "pyspark"
    (home / "jars").mkdir(parents=True)
    spark_jar, delta_jar, s3_jar = (
        home / "jars" / "spark-core.jar",
        tmp_path / "d.jar",
        tmp_path / "s.jar",
    )
    for jar in (spark_jar, delta_jar, s3_jar):
        jar.write_bytes(b"PK")
        os.utime(jar, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    props = tmp_path / "spark-jangbogi.conf"
    props.write_text(
        f"# comment\nspark.jars                        {delta_jar}\n"
        f"spark.driver.extraClassPath       {s3_jar}\n",
        encoding="utf-8",
    )
    first = jvm.class_path_stamp(str(home), props)
    assert first == jvm.class_path_stamp(str(home), props)  # the same jars: the same stamp
    stamps = {first}
    for jar in (spark_jar, delta_jar, s3_jar):  # reinstalled: same bytes, a new mtime
        os.utime(jar, ns=(1_800_000_000_000_000_000, 1_800_000_000_000_000_000))
        stamps.add(jvm.class_path_stamp(str(home), props))
    s3_jar.write_bytes(b"PK\x03")  # same path, another size
    stamps.add(jvm.class_path_stamp(str(home), props))
    s3_jar.unlink()  # gone
    stamps.add(jvm.class_path_stamp(str(home), props))
    (home / "jars" / "extra.jar").write_bytes(b"PK")  # one more jar
    stamps.add(jvm.class_path_stamp(str(home), props))
    assert len(stamps) == 7


def test_an_unreadable_launch_file_is_no_launch(tmp_path):
    (tmp_path / jvm.LAUNCH_FILE).write_text("{not json")
    assert jvm.load_launch(tmp_path) is None


def test_each_spark_home_has_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("JANGBOGI_JVM_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    here, there = jvm.jvm_dir("/a/.venv/pyspark"), jvm.jvm_dir("/b/.venv/pyspark")
    assert here != there
    assert here.parent == there.parent == tmp_path / "jangbogi" / "jvm"
    assert jvm.jvm_dir() == jvm.jvm_dir(jvm.spark_home())


def test_the_spark_home_of_a_venv_is_its_pyspark_folder(tmp_path):
    pkg = tmp_path / "lib" / "python3.11" / "site-packages" / "pyspark"
    pkg.mkdir(parents=True)
    assert jvm.spark_home(tmp_path) == str(pkg.resolve())
    assert jvm.spark_home(tmp_path / "none") is None
    import pyspark

    assert jvm.spark_home() == str(Path(pyspark.__file__).parent.resolve())
