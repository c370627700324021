#!/usr/bin/env python3
"""chachong against its peers, one after another on one generated corpus.

    python3 benches/compare/compare.py --n 20000 [--threshold 0.8] [--peers datasketch,rensa,gaoya] [--tokens char|word]

From the repository root. It

1. makes a Python venv in target/compare/venv with the peers' pinned
   packages (../shared/peers/requirements.txt), once;
2. builds the chachong command and writes the corpus with
   `chachong generate --n N` (once per N and seed);
3. runs `chachong dedup` at document level twice: "clusters only"
   (boilerplate and cluster analysis off: what the peers do) and the
   default config; then each peer through ../shared/peers/run_peer.py with
   the same shingles (whitespace removed, character 5-grams, or with
   `--tokens word` jieba word 3-grams), 128 permutations and the same
   threshold (for word tokens gaoya is given the shingles, since its own
   analyzer only makes character n-grams);
   and, with --python, the chachong Python package (pip-installed from
   python/ into the venv) on a pyarrow table of the corpus: one
   `chachong.annotate` call, Arrow in and annotated Arrow out, at the
   clusters-only config;
4. scores every run's clusters against the planted truth with
   ../shared/peers/score.py (pairwise precision, recall, F1);
5. prints a Markdown table (wall time, documents per second, peak RSS, F1)
   and writes it, with the raw records, to target/compare/.

Times: "run" is the tool's own end-to-end time without reading the input
(chachong: its `stats.timings_ms.total` minus `read`; peers: run_peer.py's
`timings_s.total`, which starts from Python lists of documents), and "wall"
is the whole process, reading and start-up included. The peers take the
corpus as Python strings, and rensa also the shingle sets Python built
(its "tokenize" phase, counted in its run time). Peak RSS is the process's
high-water mark (chachong: /proc VmHWM; peers: ru_maxrss). The machine is
shared and noisy: compare ratios within one run.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHACHONG = ROOT / "target/release/chachong"
PEERS = ROOT.parent / "shared" / "peers"
OUT = ROOT / "target" / "compare"

PEER_RUNS = {
    # name: run_peer.py arguments beyond the common ones
    "datasketch": ["--peer", "datasketch"],
    "rensa": ["--peer", "rensa", "--variant", "r"],
    "gaoya": ["--peer", "gaoya", "--variant", "native"],
    "simhash": ["--peer", "simhash", "--hash", "xxhash", "--k", "6"],
}


def sh(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def venv_python():
    python = OUT / "venv" / "bin" / "python"
    if not python.exists():
        sh([sys.executable, "-m", "venv", str(OUT / "venv")])
        sh([str(python), "-m", "pip", "install", "-q", "-r", str(PEERS / "requirements.txt")])
    return python


def corpus(n, seed, dup_frac):
    path = OUT / f"gen-{n}-s{seed}.jsonl"
    truth = path.with_suffix(".truth.json")
    if not path.exists() or not truth.exists():
        sh([str(CHACHONG), "generate", "--n", str(n), "--seed", str(seed),
            "--dup-frac", str(dup_frac), "--out", str(path)])
    return path, truth


def score(python, clusters_path, truth):
    out = subprocess.run([str(python), str(PEERS / "score.py"), str(clusters_path), str(truth)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_chachong(name, config, corpus_path, threads, tag):
    config_path = OUT / f"{tag}-{name}.config.json"
    config_path.write_text(json.dumps(config))
    report_path = OUT / f"{tag}-{name}.report.json"
    cmd = [str(CHACHONG), "dedup", "-q", str(corpus_path), "--config", str(config_path),
           "--format", "json", "--output", str(report_path)]
    if threads:
        cmd += ["--threads", str(threads)]
    start = time.perf_counter()
    sh(cmd)
    wall = time.perf_counter() - start
    report = json.loads(report_path.read_text())
    clusters_path = OUT / f"{tag}-{name}.clusters.json"
    clusters_path.write_text(json.dumps([c["members"] for c in report["clusters"]]))
    t = report["stats"]["timings_ms"]
    return {
        "tool": name,
        "run_s": (t["total"] - t["read"]) / 1000,
        "wall_s": wall,
        "peak_rss_mb": (report["stats"]["peak_rss_bytes"] or 0) / 1e6,
        "clusters_path": clusters_path,
        "phases_ms": t,
    }


def run_python(python, config, corpus_path, tag):
    """The Arrow round trip through the Python package (clusters only)."""
    sh([str(python), "-m", "pip", "install", "-q", "pyarrow>=14", str(ROOT / "python")])
    config_path = OUT / f"{tag}-python.config.json"
    config_path.write_text(json.dumps(config))
    clusters_path = OUT / f"{tag}-python.clusters.json"
    start = time.perf_counter()
    out = subprocess.run([str(python), str(ROOT / "benches/compare/python_round_trip.py"),
                          str(corpus_path), str(config_path), str(clusters_path)],
                         check=True, capture_output=True, text=True, cwd=OUT).stdout
    wall = time.perf_counter() - start
    record = json.loads(out.strip().splitlines()[-1])
    return {
        "tool": "chachong (Python, Arrow round trip, clusters only)",
        "run_s": record["run_s"],
        "wall_s": wall,
        "peak_rss_mb": record["peak_rss_mb"],
        "clusters_path": clusters_path,
        "phases_ms": {"read": record["read_s"] * 1000, "annotate": record["run_s"] * 1000},
    }


def run_peer(python, name, corpus_path, threshold, threads, tag, tokens):
    out_path = OUT / f"{tag}-{name}.peer.json"
    peer = PEER_RUNS[name]
    if tokens == "word":
        shingles = ["--tokens", "jieba", "--ngram", "3"]
        if name == "gaoya":
            peer = ["--peer", "gaoya", "--variant", "tokens"]
    else:
        shingles = ["--tokens", "char", "--ngram", "5"]
    cmd = [str(python), str(PEERS / "run_peer.py"), *peer, "--input", str(corpus_path),
           *shingles, "--norm", "remove", "--num-perm", "128",
           "--threshold", str(threshold), "--out", str(out_path), "--no-clusters-stdout"]
    if threads:
        cmd += ["--threads", str(threads)]
    start = time.perf_counter()
    sh(cmd, stdout=subprocess.DEVNULL, cwd=OUT)
    wall = time.perf_counter() - start
    record = json.loads(out_path.read_text())
    return {
        "tool": name,
        "run_s": record["timings_s"]["total"],
        "wall_s": wall,
        "peak_rss_mb": record.get("max_rss_mb") or 0,
        "clusters_path": out_path,
        "phases_ms": {k: v * 1000 for k, v in record["timings_s"].items() if v is not None},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=20000, help="documents in the generated corpus")
    p.add_argument("--seed", type=int, default=42, help="corpus seed")
    p.add_argument("--dup-frac", type=float, default=0.2, help="share of planted documents")
    p.add_argument("--threshold", type=float, default=0.8, help="Jaccard threshold for every tool")
    p.add_argument("--peers", default="datasketch,rensa,gaoya",
                   help=f"comma-separated, from {','.join(PEER_RUNS)}; empty for none")
    p.add_argument("--threads", type=int, default=None, help="threads for chachong, rensa and gaoya")
    p.add_argument("--tokens", choices=["char", "word"], default="char",
                   help="character 5-grams, or jieba word 3-grams")
    p.add_argument("--python", action="store_true",
                   help="also time the Python package's Arrow round trip")
    args = p.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    python = venv_python()
    sh(["cargo", "build", "--release", "-p", "chachong-cli"], cwd=ROOT)
    corpus_path, truth = corpus(args.n, args.seed, args.dup_frac)
    tag = f"n{args.n}-t{args.threshold}-th{args.threads or 'all'}" + ("-word" if args.tokens == "word" else "")

    shingles = {"tokens": "word", "shingle_len": 3} if args.tokens == "word" else {}
    lean = {"level": "document", "jaccard_threshold": args.threshold,
            "boilerplate": {"enabled": False}, "analysis": {"enabled": False}, **shingles}
    full = {"level": "document", "jaccard_threshold": args.threshold, **shingles}
    runs = [run_chachong("chachong (clusters only)", lean, corpus_path, args.threads, tag),
            run_chachong("chachong (default)", full, corpus_path, args.threads, tag)]
    if args.python:
        runs.append(run_python(python, lean, corpus_path, tag))
    for name in [x for x in args.peers.split(",") if x]:
        runs.append(run_peer(python, name, corpus_path, args.threshold, args.threads, tag, args.tokens))

    for r in runs:
        r["score"] = score(python, r["clusters_path"], truth)
        r["clusters_path"] = str(r["clusters_path"])
    fastest_peer = min((r["run_s"] for r in runs if not r["tool"].startswith("chachong")), default=None)
    grams = "jieba word 3-grams" if args.tokens == "word" else "char 5-grams"
    lines = [f"Corpus: {corpus_path.name}, {args.n} documents; {grams}, 128 hashes, threshold "
             f"{args.threshold}, threads {args.threads or 'all'}; {time.strftime('%Y-%m-%d %H:%M')}",
             "",
             "| tool | run (s) | wall (s) | docs/s (run) | peak RSS (MB) | precision | recall | F1 |",
             "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        s = r["score"]
        lines.append(f"| {r['tool']} | {r['run_s']:.2f} | {r['wall_s']:.2f} | {args.n / r['run_s']:,.0f} | "
                     f"{r['peak_rss_mb']:.0f} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")
    if fastest_peer:
        lean_run = runs[0]["run_s"]
        lines += ["", "Run time of each peer over chachong (clusters only): " + ", ".join(
            f"{r['tool']} {r['run_s'] / lean_run:.1f}×" for r in runs[2:])]
        # The peers' own work, without loading and tokenising in Python:
        # sketching, LSH and clustering (their harness's phases).
        own = {r["tool"]: sum(v for k, v in r["phases_ms"].items()
                              if k in ("fingerprint", "index_query", "cluster")) / 1000
               for r in runs if not r["tool"].startswith("chachong")}
        lines += ["", "Sketch + LSH + clustering alone (the peers' phases without load, setup and "
                  "tokenise) over chachong (clusters only): " + ", ".join(
                      f"{tool} {secs:.2f} s, {secs / lean_run:.1f}×" for tool, secs in own.items())]
    table = "\n".join(lines)
    print(table)
    (OUT / f"{tag}.md").write_text(table + "\n")
    (OUT / f"{tag}.json").write_text(json.dumps(runs, indent=1, default=str))


if __name__ == "__main__":
    main()
