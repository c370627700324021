"""The Spark job on 100,000 generated documents gives exactly the clusters
of `chachong dedup` on the same corpus: in local[2] (components on the
driver) and on a standalone master with one worker started here on
127.0.0.1 (components by large-star/small-star in Spark SQL).

Needs pyspark and Java, and the `chachong` command (`CHACHONG_BIN`, or
target/release/chachong) to generate the corpus and give the reference
clusters; skipped without them unless `CHACHONG_REQUIRE_SPARK=1` (as
.ci/run sets it), which turns a skip into a failure.
"""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
N = int(os.environ.get("CHACHONG_SPARK_DOCS", "100000"))


def _need(condition, why):
    if not condition:
        if os.environ.get("CHACHONG_REQUIRE_SPARK") == "1":
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def chachong_bin():
    path = pathlib.Path(os.environ.get("CHACHONG_BIN", ROOT / "target" / "release" / "chachong"))
    _need(path.exists(), f"no chachong command at {path}")
    return path


@pytest.fixture(scope="module")
def pyspark():
    try:
        import pyspark
    except ImportError:
        _need(False, "pyspark is not installed")
    _need(shutil.which("java") or os.environ.get("JAVA_HOME"), "no Java")
    return pyspark


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, chachong_bin):
    """A generated corpus as Parquet (three files), and the command's
    report on it (document level, boilerplate off, every cluster analysed:
    the job's config)."""
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("spark")
    jsonl = folder / "corpus.jsonl"
    subprocess.run([str(chachong_bin), "generate", "--n", str(N), "--out", str(jsonl)],
                   check=True, capture_output=True)
    table = pj.read_json(jsonl)
    parquet = folder / "corpus"
    parquet.mkdir()
    third = table.num_rows // 3 + 1
    for k in range(3):
        pq.write_table(table.slice(k * third, third), parquet / f"part-{k}.parquet",
                       row_group_size=10_000)
    config = folder / "job.json"
    config.write_text(json.dumps({"level": "document", "boilerplate": {"enabled": False},
                                  "analysis": {"clusters": "all"}}))
    report = folder / "report.json"
    started = time.perf_counter()
    subprocess.run([str(chachong_bin), "dedup", "-q", "--config", str(config), "--format", "json",
                    "--output", str(report), str(parquet)], check=True)
    took = time.perf_counter() - started
    print(f"\nchachong dedup on {N} documents: {took:.1f} s", file=sys.stderr)
    return parquet, json.loads(report.read_text(encoding="utf-8")), folder


def _check(output, report, source):
    """The annotated corpus at `output` against the command's report."""
    import pyarrow.parquet as pq

    annotated = pq.read_table(output)
    original = pq.read_table(source)
    assert annotated.num_rows == original.num_rows
    ids = annotated["id"].to_pylist()
    assert len(set(ids)) == len(ids), "every input row once"
    texts = dict(zip(original["id"].to_pylist(), original["text"].to_pylist()))
    assert all(texts[i] == t for i, t in zip(ids, annotated["text"].to_pylist())), "texts intact"
    rows = annotated.select(["id", "cluster_id", "cluster_size", "canonical_id", "keep"]).to_pylist()
    clusters = {}
    for row in rows:
        if row["cluster_id"] is not None:
            clusters.setdefault(row["cluster_id"], []).append(row["id"])
    expected = [c["members"] for c in report["clusters"]]
    assert len(expected) > N // 100
    got = [sorted(clusters[k]) for k in sorted(clusters)]
    assert got == expected, "the same clusters, numbered as the report numbers them"
    by_id = {r["id"]: r for r in rows}
    for cluster in report["clusters"]:
        for member in cluster["members"]:
            row = by_id[member]
            assert row["cluster_size"] == len(cluster["members"])
            assert row["canonical_id"] == cluster["canonical"]
            assert row["keep"] == (member == cluster["canonical"])
    clustered = sum(len(c) for c in expected)
    assert sum(r["keep"] for r in rows) == len(rows) - clustered + len(expected)


def test_the_job_in_local_mode_gives_the_commands_clusters(pyspark, corpus):
    from pyspark.sql import SparkSession

    import chachong.spark

    parquet, report, folder = corpus
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master("local[2]").appName("chachong test")
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    try:
        started = time.perf_counter()
        summary = chachong.spark.dedup(spark, str(parquet), str(folder / "local.parquet"))
        took = time.perf_counter() - started
    finally:
        spark.stop()
    print(f"\nSpark local[2] on {N} documents: {took:.1f} s; {summary}", file=sys.stderr)
    assert summary["components"] == "found by union-find on the driver"
    _check(folder / "local.parquet", report, parquet)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_job_on_a_standalone_cluster_gives_the_commands_clusters(pyspark, corpus):
    parquet, report, folder = corpus
    home = pathlib.Path(pyspark.__file__).parent
    spark_class = home / "bin" / "spark-class"
    port = _free_port()
    env = dict(os.environ, SPARK_HOME=str(home), PYSPARK_PYTHON=sys.executable,
               SPARK_LOCAL_IP="127.0.0.1", SPARK_LOG_DIR=str(folder / "logs"),
               SPARK_WORKER_DIR=str(folder / "work"))
    logs = open(folder / "cluster.log", "w")
    master = subprocess.Popen([str(spark_class), "org.apache.spark.deploy.master.Master",
                               "--host", "127.0.0.1", "--port", str(port), "--webui-port", "0"],
                              env=env, stdout=logs, stderr=subprocess.STDOUT)
    worker = None
    try:
        url = f"spark://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        worker = subprocess.Popen([str(spark_class), "org.apache.spark.deploy.worker.Worker",
                                   url, "--cores", "2", "--memory", "3g", "--webui-port", "0",
                                   "--host", "127.0.0.1"],
                                  env=env, stdout=logs, stderr=subprocess.STDOUT)
        output = folder / "standalone.parquet"
        started = time.perf_counter()
        # The module's command line, components in Spark SQL.
        run = subprocess.run([sys.executable, "-m", "chachong.spark", "--master", url,
                              "--input", str(parquet), "--output", str(output),
                              "--collect-edges-up-to", "0",
                              "--conf", "spark.sql.shuffle.partitions=8",
                              "--conf", "spark.ui.showConsoleProgress=false"],
                             env=env, capture_output=True, text=True, timeout=1800)
        took = time.perf_counter() - started
        assert run.returncode == 0, run.stderr[-3000:]
        summary = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"\nSpark standalone (1 worker, 2 cores) on {N} documents: {took:.1f} s; {summary}",
              file=sys.stderr)
        assert summary["components"] == "found by large-star/small-star in Spark SQL"
        _check(output, report, parquet)
    finally:
        for process in (worker, master):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        logs.close()


def test_bad_input_is_one_clear_line(pyspark, corpus, tmp_path):
    parquet, _, _ = corpus
    run = subprocess.run([sys.executable, "-m", "chachong.spark", "--master", "local[1]",
                          "--input", str(parquet), "--output", str(tmp_path / "out"),
                          "--text-field", "body"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert "no column 'body'" in run.stderr, run.stderr[-2000:]
