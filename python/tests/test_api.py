"""The Python API: the seed's cluster, Arrow in and out, the stage
kernels, the index, errors as exceptions, the GIL released."""

import threading
import time

import pyarrow as pa
import pytest

import chachong

from conftest import generated


def test_the_seed_clusters_as_one_speech(speeches):
    report = chachong.dedup(speeches)
    assert [c.members for c in report.clusters] == [["篇3", "篇5", "篇7", "篇9"]]
    cluster = report.clusters[0]
    assert cluster.kind == "redacted"
    assert cluster["kind"] == cluster.kind, "a dict too"
    assert len(report.documents) == 9
    assert any(m.a == "篇3" and m.b == "篇5" for m in report.paragraph_matches)


def test_documents_in_every_shape_give_the_same_clusters(speeches):
    as_pairs = list(speeches.items())
    as_dicts = [{"name": k, "body": v} for k, v in as_pairs]
    dedup = chachong.Deduplicator(level="doc")
    expected = [["篇3", "篇5", "篇7", "篇9"]]
    assert [c.members for c in dedup.run(speeches).clusters] == expected
    assert [c.members for c in dedup.run(as_pairs).clusters] == expected
    assert [c.members for c in dedup.run(as_dicts, "name", "body").clusters] == expected
    texts = [v for _, v in as_pairs]
    assert [c.members for c in dedup.run(texts).clusters] == [["2", "4", "6", "8"]]
    assert dedup.config["level"] == "document"


def test_config_options_reach_the_run(speeches):
    strict = chachong.dedup(speeches, threshold=0.99, level="doc")
    assert strict.config.jaccard_threshold == 0.99
    # At 0.99 the one speech splits in two: 篇3 ~ 篇9 (0.990), 篇5 ~ 篇7 (0.997).
    assert [c.members for c in strict.clusters] == [["篇3", "篇9"], ["篇5", "篇7"]]
    cfg = chachong.config(bands="9x13", paragraph_threshold=0.6, boilerplate=False)
    assert (cfg["bands"], cfg["rows_per_band"]) == (9, 13)
    assert cfg["paragraph"]["jaccard_threshold"] == 0.6
    assert cfg["boilerplate"]["enabled"] is False


def test_errors_are_exceptions_with_the_crates_messages(speeches):
    with pytest.raises(chachong.InvalidConfigError, match=r"jaccard_threshold 1.5 is outside \(0, 1\]"):
        chachong.dedup(speeches, threshold=1.5)
    with pytest.raises(chachong.InvalidConfigError, match="unknown field `thresold`"):
        chachong.dedup(speeches, thresold=0.5)
    with pytest.raises(chachong.InputError, match="no documents"):
        chachong.dedup([])
    with pytest.raises(chachong.InputError, match='duplicate document id "a"'):
        chachong.dedup([("a", "甲"), ("a", "乙")])
    table = pa.table({"id": ["a", "b"], "text": ["甲乙丙", None]})
    with pytest.raises(chachong.InputError, match='row 1: document "b": "text" is null'):
        chachong.annotate(table)
    with pytest.raises(chachong.InputError, match=r'no column "body"'):
        chachong.annotate(table, text_field="body")
    with pytest.raises(chachong.InputError, match='column "id" is Float64, not strings or integers'):
        chachong.annotate(pa.table({"id": [1.5], "text": ["甲"]}))
    assert issubclass(chachong.InvalidConfigError, chachong.ChachongError)


def test_an_arrow_round_trip_keeps_every_row_and_field(corpus):
    n = len(corpus)
    table = pa.table({
        "doc_id": pa.array([int(i[1:]) for i, _ in corpus], pa.int64()),
        "content": [t for _, t in corpus],
        "tags": pa.array([["a", "b"][: k % 3] for k in range(n)], pa.list_(pa.string())),
        "score": pa.array([None if k % 5 == 0 else k / 8 for k in range(n)], pa.float32()),
    })
    # Two batches, as a Parquet file read back gives them.
    table = pa.Table.from_batches(table.to_batches(max_chunksize=n // 2 + 1))
    annotated, report = chachong.annotate(
        table, id_field="doc_id", text_field="content", level="doc", with_report=True)
    added = ["cluster_id", "cluster_size", "canonical_id", "keep", "jaccard", "copy_kind"]
    assert annotated.column_names == table.column_names + added
    assert annotated.num_rows == n == len(report.documents)
    for name in table.column_names:
        assert annotated.column(name).equals(table.column(name)), name
    rows = annotated.select(["doc_id"] + added).to_pylist()
    by_id = {str(r["doc_id"]): r for r in rows}
    assert len(report.clusters) > 100
    analysed = 0
    for k, cluster in enumerate(report.clusters):
        # A corpus run analyses its first clusters; the others' canonical
        # copy is chosen by the keep policy alone.
        canonical = cluster.get("canonical")
        analysed += canonical is not None
        if canonical is None:
            canonical = by_id[cluster.members[0]]["canonical_id"]
            assert canonical in cluster.members
        for member in cluster.members:
            row = by_id[member]
            assert row["cluster_id"] == k and row["cluster_size"] == len(cluster.members)
            assert row["canonical_id"] == canonical
            assert row["keep"] == (member == canonical)
    assert 10 <= analysed < len(report.clusters)
    clustered = sum(len(c.members) for c in report.clusters)
    assert sum(r["cluster_id"] is None for r in rows) == n - clustered
    kept = annotated.filter(annotated["keep"])
    assert kept.num_rows == n - clustered + len(report.clusters)
    # The same clusters as from Python strings.
    plain = chachong.dedup([(str(int(i[1:])), t) for i, t in corpus], level="doc")
    assert [c.members for c in plain.clusters] == [c.members for c in report.clusters]
    # A RecordBatch in, a RecordBatch out.
    batch = table.slice(0, 100).combine_chunks().to_batches()[0]
    out = chachong.annotate(batch, id_field="doc_id", text_field="content", level="doc")
    assert isinstance(out, pa.RecordBatch) and out.num_rows == 100


def test_the_stage_kernels_agree_with_the_run(corpus):
    docs = corpus[:1000] + [("empty", "")]
    table = pa.table({"id": [i for i, _ in docs], "text": [t for _, t in docs]})
    keys, counts = chachong.sketch(table, level="doc")
    assert keys.column_names == ["id", "band", "key"]
    assert counts.column_names == ["id", "shingles"]
    shingles = dict(zip(counts["id"].to_pylist(), counts["shingles"].to_pylist()))
    assert shingles["empty"] == 0 and all(v > 0 for k, v in shingles.items() if k != "empty")
    per_doc = {}
    for row in keys.to_pylist():
        per_doc.setdefault(row["id"], []).append((row["band"], row["key"]))
    assert "empty" not in per_doc
    n_bands = {len(v) for v in per_doc.values()}
    assert len(n_bands) == 1
    # Documents sharing a (band, key) are candidates: every cluster of the
    # run lies in one component of them.
    parent = {doc: doc for doc in per_doc}

    def root(doc):
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    by_key = {}
    for doc, band_keys in per_doc.items():
        for band_key in band_keys:
            first = by_key.setdefault(band_key, doc)
            parent[root(doc)] = root(first)
    report = chachong.dedup(docs, level="doc")
    assert len(report.clusters) > 50
    for cluster in report.clusters:
        assert len({root(m) for m in cluster.members}) == 1, cluster.members
    # The pairs verified here have the run's Jaccard.
    pairs = pa.table({"a": [p.a for p in report.pairs], "b": [p.b for p in report.pairs]})
    verified = chachong.verify(pairs, table, level="doc")
    assert verified.column_names == ["a", "b", "jaccard", "containment"]
    for p, measured in zip(report.pairs, verified["jaccard"].to_pylist()):
        assert measured == pytest.approx(p.jaccard, abs=1e-12), (p.a, p.b)
    with pytest.raises(chachong.InputError, match='no text for document "nobody"'):
        chachong.verify(pa.table({"a": ["nobody"], "b": [docs[0][0]]}), table)
    with pytest.raises(chachong.InvalidConfigError, match="method"):
        chachong.sketch(table, method="simhash")


def test_an_index_answers_after_it_is_opened_again(tmp_path, speeches):
    folder = tmp_path / "idx"
    index = chachong.Index.create(folder, level="doc")
    assert index.add({k: v for k, v in speeches.items() if k != "篇5"}) == 8
    again = chachong.Index.open(folder)
    assert again.stats.documents == 8 and again.config["level"] == "document"
    report = again.query({"新": speeches["篇5"]})
    assert [c.members for c in report.clusters] == [["新", "篇3", "篇7", "篇9"]]
    notes = again.annotations(report, ["新"])
    assert notes[0].keep is False and notes[0].canonical_id in ("篇3", "篇9")
    with pytest.raises(chachong.IndexFileError, match='"篇1" is in the index already'):
        again.add({"篇1": speeches["篇1"]})
    with pytest.raises(chachong.IndexFileError, match="no chachong index here"):
        chachong.Index.open(tmp_path)
    again.add({"新": speeches["篇5"]})
    again.merge()
    assert chachong.Index.open(folder).stats.segments == 1


def test_long_calls_release_the_gil():
    docs = generated(20000, seed=3)
    ticks = 0
    stop = threading.Event()

    def count():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.05)
        before = ticks
        started = time.perf_counter()
        chachong.dedup(docs, level="doc")
        took = time.perf_counter() - started
        during = ticks - before
    finally:
        stop.set()
        counter.join()
    # Held, the GIL would let the counter run only between Python steps of
    # the call (converting the documents): a few switch intervals.
    assert took > 0.2, f"the run took {took:.2f} s: too short to tell"
    assert during > 100_000, f"{during} ticks in {took:.2f} s"


def test_the_docstring_examples_hold():
    import doctest

    failures, tried = doctest.testmod(chachong, extraglobs={"chachong": chachong})
    assert tried >= 5 and failures == 0


def test_files_are_read_as_the_command_reads_them(tmp_path):
    from conftest import SEED

    docs = chachong.read(SEED, split=r"^在全市高质量发展工作会议上的讲话篇\d+$")
    assert len(docs) == 9
    clusters = [[m[-2:] for m in c.members] for c in chachong.dedup(docs).clusters]
    assert clusters == [["篇3", "篇5", "篇7", "篇9"]]
    # The same speeches in GB18030 (GBK with every character), detected.
    gbk = tmp_path / "篇.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    assert chachong.read(gbk, split=r"^在全市高质量发展工作会议上的讲话篇\d+$") == docs
    with pytest.raises(chachong.ChachongError, match="no/such.txt"):
        chachong.read("no/such.txt")
    with pytest.raises(chachong.ChachongError, match="does not compile"):
        chachong.read(SEED, split="(")
