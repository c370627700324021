"""chachong on Spark: a Parquet corpus in, the annotated corpus out.

    python -m chachong.spark --input IN.parquet --output OUT.parquet \\
        [--master URL] [--id-field F --text-field F] [--threshold T] [--ngram N] ...

or, from a PySpark program, ``chachong.spark.dedup(spark, input, output, ...)``.

The plan is the one the peers use, every step a Spark stage:

1. read the Parquet corpus;
2. ``mapInArrow`` with the sketch kernel (:func:`chachong.sketch`): each
   document's LSH band keys at the document threshold, ``(id, band, key)``;
3. group by ``(band, key)``: the documents of a group are joined by a star
   to its smallest id (edges linear in the group, never all pairs);
4. connected components of the edges: collected to the driver and joined by
   union-find when there are at most ``collect_edges_up_to`` of them,
   otherwise by large-star/small-star rounds in Spark SQL;
5. the texts of each component's documents, grouped by component, run
   through the crate's exact pipeline (``applyInArrow``: exact Jaccard,
   clusters, canonical copy, copy kind), which is what makes the clusters
   equal the command's: a component closed under shared band keys is
   clustered alone as it is in a whole run (``chachong dedup --stream``
   relies on the same fact);
6. the annotation columns joined back to every input row, written as
   Parquet: ``cluster_id`` (numbered as the report numbers clusters: by
   first member id), ``cluster_size``, ``canonical_id``, ``keep``,
   ``jaccard``, ``copy_kind``.

The run is at document level with boilerplate off and every cluster
analysed, as ``chachong dedup --level doc`` with ``boilerplate.enabled =
false`` and ``analysis.clusters = "all"`` runs. Every executor's
Python needs the chachong package (``pip install`` it on each node, or ship
the wheel with ``--py-files``/an archive).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Iterator, Optional

import chachong

# Columns the job adds to its frames, out of the way of the corpus's own.
_ID = "__chachong_id"
_TEXT = "__chachong_text"
ANNOTATION_COLUMNS = ["cluster_id", "cluster_size", "canonical_id", "keep", "jaccard", "copy_kind"]


def job_config(config: Optional[dict] = None, **options: Any) -> dict:
    """The config of a Spark run: ``config`` and ``options`` at document
    level, boilerplate off, every cluster analysed (its output is the
    annotated corpus, so each cluster's canonical copy and copy kinds are
    what it is for; the command bounds the analysis of a corpus run to the
    first clusters of its report)."""
    options.setdefault("level", "doc")
    options["boilerplate"] = False
    cfg = chachong.config(config, **options)
    if cfg["level"] != "document":
        raise chachong.InvalidConfigError("the Spark job compares whole documents: level doc")
    cfg["analysis"]["clusters"] = "all"
    return cfg


def _sketch_partitions(config_json: str):
    def sketch(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        import pyarrow.compute as pc

        config = json.loads(config_json)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            keys, _ = chachong.sketch(pa.Table.from_batches([batch]), config,
                                      id_field=_ID, text_field=_TEXT)
            for out in keys.to_batches():
                yield pa.RecordBatch.from_arrays(
                    [out.column(0), pc.cast(out.column(1), pa.int32()),
                     pc.cast(out.column(2), pa.int64(), safe=False)],
                    names=["id", "band", "key"])
    return sketch


def _cluster_groups(config_json: str):
    def cluster(table: Any) -> Any:
        config = json.loads(config_json)
        annotated = chachong.annotate(table, config, id_field=_ID, text_field=_TEXT)
        # Within the component, clusters are numbered by first member id;
        # the job renumbers them across components the same way.
        import pyarrow as pa
        import pyarrow.compute as pc

        first = {}
        ids = annotated.column(_ID).to_pylist()
        local = annotated.column("cluster_id").to_pylist()
        for doc, k in zip(ids, local):
            if k is not None and (k not in first or doc < first[k]):
                first[k] = doc
        return pa.table({
            _ID: annotated.column(_ID),
            "cluster_first": pa.array([first.get(k) for k in local], pa.string()),
            "cluster_size": pc.cast(annotated.column("cluster_size"), pa.int64()),
            "canonical_id": annotated.column("canonical_id"),
            "keep": annotated.column("keep"),
            "jaccard": annotated.column("jaccard"),
            "copy_kind": annotated.column("copy_kind"),
        })
    return cluster


_CLUSTER_SCHEMA = (f"{_ID} string, cluster_first string, cluster_size long, canonical_id string, "
                   "keep boolean, jaccard double, copy_kind string")


def _components_on_driver(edges: Any) -> Any:
    """Connected components by union-find over edges collected to the
    driver: ``(id, component)`` with the component's smallest id."""
    parent: dict = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for row in edges.toLocalIterator():
        parent.setdefault(row["id"], row["id"])
        parent.setdefault(row["root"], row["root"])
        a, b = root(row["id"]), root(row["root"])
        if a != b:
            # The smaller id is the root: the component's name is its
            # smallest member.
            if a < b:
                parent[b] = a
            else:
                parent[a] = b
    spark = edges.sparkSession
    rows = [(x, root(x)) for x in parent]
    return spark.createDataFrame(rows, "id string, component string")


def _components_in_spark(edges: Any, max_rounds: int = 100) -> Any:
    """Connected components by large-star/small-star rounds (Kiveris et
    al., 2014) in Spark SQL, until no edge changes: ``(id, component)``."""
    from pyspark.sql import functions as F

    e = edges.select(F.col("id").alias("u"), F.col("root").alias("v"))
    for _ in range(max_rounds):
        both = e.union(e.select(F.col("v").alias("u"), F.col("u").alias("v")))
        # Large star: each node's larger neighbours attach to its smallest
        # neighbour (itself included).
        m = both.groupBy("u").agg(F.least(F.min("v"), F.first("u")).alias("m"))
        large = (both.join(m, "u").where(F.col("v") > F.col("u"))
                 .select(F.col("v").alias("u"), F.col("m").alias("v")).distinct())
        # Small star: each node's smaller-or-equal neighbours attach to the
        # smallest of them.
        both = large.union(large.select(F.col("v").alias("u"), F.col("u").alias("v")))
        smaller = both.where(F.col("v") <= F.col("u"))
        m = smaller.groupBy("u").agg(F.min("v").alias("m"))
        small = (smaller.join(m, "u").select(F.col("v").alias("u"), F.col("m").alias("v"))
                 .union(m.select("u", F.col("m").alias("v")))
                 .where(F.col("u") != F.col("v")).distinct()).localCheckpoint()
        if small.exceptAll(e).isEmpty() and e.exceptAll(small).isEmpty():
            e = small
            break
        e = small
    labels = e.groupBy("u").agg(F.min("v").alias("component"))
    roots = labels.select(F.col("component").alias("u")).distinct().withColumn(
        "component", F.col("u"))
    return labels.union(roots).distinct().withColumnRenamed("u", "id")


def dedup(spark: Any, input_path: str, output_path: str, *, id_field: str = "id",
          text_field: str = "text", config: Optional[dict] = None,
          collect_edges_up_to: int = 2_000_000, overwrite: bool = False,
          **options: Any) -> dict:
    """Deduplicates the Parquet corpus at ``input_path`` on ``spark`` and
    writes the annotated corpus to ``output_path`` (see the module docs).
    Returns a summary: documents, candidate edges, components, clusters,
    how components were found."""
    from pyspark.sql import functions as F

    cfg = job_config(config, **options)
    config_json = json.dumps(cfg)
    corpus = spark.read.parquet(input_path)
    for name in (id_field, text_field):
        if name not in corpus.columns:
            raise chachong.InputError(f"no column {name!r} in {input_path} (the columns: {corpus.columns})")
    corpus = corpus.withColumn(_ID, F.col(id_field).cast("string"))
    docs = corpus.select(_ID, F.col(text_field).alias(_TEXT))

    keys = docs.mapInArrow(_sketch_partitions(config_json), "id string, band int, key long")
    groups = keys.groupBy("band", "key").agg(F.min("id").alias("root"), F.count("*").alias("n"))
    edges = (keys.join(groups.where("n > 1"), ["band", "key"])
             .where(F.col("id") != F.col("root")).select("id", "root").distinct()).cache()
    n_edges = edges.count()
    if n_edges <= collect_edges_up_to:
        how = "union-find on the driver"
        components = _components_on_driver(edges)
    else:
        how = "large-star/small-star in Spark SQL"
        components = _components_in_spark(edges)
    components = components.withColumnRenamed("id", _ID)

    members = docs.join(F.broadcast(components) if n_edges < 100_000 else components, _ID)
    grouped = members.groupBy("component")
    cluster = _cluster_groups(config_json)
    if hasattr(grouped, "applyInArrow"):
        annotations = grouped.applyInArrow(
            lambda table: cluster(table.drop_columns(["component"])), _CLUSTER_SCHEMA)
    else:
        def on_pandas(frame):
            import pyarrow as pa

            table = pa.Table.from_pandas(frame.drop(columns=["component"]), preserve_index=False)
            return cluster(table).to_pandas()
        annotations = grouped.applyInPandas(on_pandas, _CLUSTER_SCHEMA)
    annotations = annotations.cache()
    # Clusters numbered by first member id, as the report numbers them.
    firsts = sorted(r[0] for r in annotations.where("cluster_first IS NOT NULL")
                    .select("cluster_first").distinct().collect())
    numbers = spark.createDataFrame(list(zip(firsts, range(len(firsts)))),
                                    "cluster_first string, cluster_id long")
    annotations = annotations.join(F.broadcast(numbers), "cluster_first", "left")

    kept_columns = [c for c in corpus.columns if c not in ANNOTATION_COLUMNS and c != _ID]
    out = corpus.join(annotations, _ID, "left").select(
        *[F.col(c) for c in kept_columns],
        F.col("cluster_id"),
        F.coalesce(F.col("cluster_size"), F.lit(1)).alias("cluster_size"),
        F.coalesce(F.col("canonical_id"), F.col(_ID)).alias("canonical_id"),
        F.coalesce(F.col("keep"), F.lit(True)).alias("keep"),
        F.col("jaccard"),
        F.col("copy_kind"),
    )
    writer = out.write.mode("overwrite" if overwrite else "errorifexists")
    writer.parquet(output_path)
    return {
        "documents": corpus.count(),
        "candidate_edges": n_edges,
        "components": "found by " + how,
        "clusters": len(firsts),
    }


def main(argv: Optional[list] = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m chachong.spark",
        description="Deduplicate a Parquet corpus on Spark; write the annotated corpus.")
    p.add_argument("--input", required=True, help="Parquet file or folder of the corpus")
    p.add_argument("--output", required=True, help="Parquet folder to write (must not exist)")
    p.add_argument("--master", help="Spark master URL (default: the session's, or local[*])")
    p.add_argument("--id-field", default="id")
    p.add_argument("--text-field", default="text")
    p.add_argument("--threshold", type=float, help="document Jaccard threshold [0.8]")
    p.add_argument("--ngram", type=int, help="shingle length [5]")
    p.add_argument("--num-perm", type=int, help="MinHash permutations [128]")
    p.add_argument("--bands", help="LSH bands x rows, e.g. 9x13 [chosen from the threshold]")
    p.add_argument("--seed", type=int, help="seed of every hash [42]")
    p.add_argument("--config", help="a JSON file with a chachong config")
    p.add_argument("--collect-edges-up-to", type=int, default=2_000_000,
                   help="components on the driver up to this many edges, in Spark SQL beyond")
    p.add_argument("--overwrite", action="store_true", help="replace --output if it exists")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                   help="a Spark setting for the session (repeatable), e.g. "
                        "spark.sql.shuffle.partitions=64")
    args = p.parse_args(argv)

    from pyspark.sql import SparkSession

    # Executors on this machine run this Python (which has chachong);
    # a cluster's nodes say theirs with PYSPARK_PYTHON.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("chachong dedup")
    if args.master:
        builder = builder.master(args.master)
    for setting in args.conf:
        key, equals, value = setting.partition("=")
        if not equals:
            p.error(f"--conf {setting!r}: KEY=VALUE")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    options = {k: v for k, v in {
        "threshold": args.threshold, "ngram": args.ngram, "num_perm": args.num_perm,
        "bands": args.bands, "seed": args.seed}.items() if v is not None}
    config = json.load(open(args.config, encoding="utf-8")) if args.config else None
    try:
        summary = dedup(spark, args.input, args.output, id_field=args.id_field,
                        text_field=args.text_field, config=config,
                        collect_edges_up_to=args.collect_edges_up_to,
                        overwrite=args.overwrite, **options)
    except chachong.ChachongError as error:
        print(f"chachong.spark: {error}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
