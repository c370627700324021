#!/usr/bin/env python3
"""One Arrow round trip through the chachong Python package, as
benches/compare/compare.py times it:

    python python_round_trip.py CORPUS.jsonl CONFIG.json CLUSTERS_OUT.json

reads the corpus into a pyarrow table (not timed), calls
`chachong.annotate` on it (timed: Arrow in, annotated Arrow out), writes
the clusters (ids grouped by `cluster_id`) for scoring, and prints one
JSON line: run_s, read_s, peak_rss_mb, rows, clusters.
"""
import json
import resource
import sys
import time

import pyarrow.json as pj

import chachong


def main():
    corpus, config_path, clusters_out = sys.argv[1:4]
    config = json.load(open(config_path, encoding="utf-8"))
    start = time.perf_counter()
    table = pj.read_json(corpus)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    annotated = chachong.annotate(table, config)
    run_s = time.perf_counter() - start
    groups = {}
    for doc_id, cluster in zip(annotated["id"].to_pylist(), annotated["cluster_id"].to_pylist()):
        if cluster is not None:
            groups.setdefault(cluster, []).append(doc_id)
    clusters = [sorted(members) for _, members in sorted(groups.items())]
    json.dump(clusters, open(clusters_out, "w", encoding="utf-8"))
    print(json.dumps({
        "run_s": run_s,
        "read_s": read_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": annotated.num_rows,
        "clusters": len(clusters),
    }))


if __name__ == "__main__":
    main()
