#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) one after another, on one
# core each, seeding each corpus from the crate's test fixtures first.
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain.
# Crashes land in fuzz/artifacts/<target>/; keep each as a test in
# tests/regression.rs.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
targets=${TARGETS:-"normalize shingle sources pipeline"}
seeds=corpus-seeds
mkdir -p "$seeds"
# Small real inputs: a few paragraphs of the seed speeches, as text, as
# JSONL and as a split file.
head -c 3000 ../tests/data/speeches.txt >"$seeds/speeches-head.txt"
python3 - "$seeds" <<'PY'
import json, sys
out = sys.argv[1]
lines = open("../tests/data/speeches.txt", encoding="utf-8").read().splitlines()[:40]
with open(f"{out}/docs.jsonl", "w", encoding="utf-8") as f:
    for i, line in enumerate(l for l in lines if l.strip()):
        f.write(json.dumps({"id": f"d{i}", "text": line}, ensure_ascii=False) + "\n")
with open(f"{out}/split.txt", "w", encoding="utf-8") as f:
    for i, line in enumerate(lines[:12]):
        f.write(f"篇{i}\n{line}\n")
with open(f"{out}/masked.txt", "w", encoding="utf-8") as f:
    f.write("2014年，福州市经济总量达到5000亿元\n****年，**市经济总量达到****亿元，某某同志……xX×○□\n")
PY
failed=""
for target in $targets; do
    mkdir -p "corpus/$target"
    cp "$seeds"/* "corpus/$target/"
    echo "=== $target: $seconds s"
    if RAYON_NUM_THREADS=1 cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=30 -rss_limit_mb=4096 \
        >"$target.log" 2>&1; then
        grep -E '^(#[0-9]+ +DONE|Done)' "$target.log" || true
    else
        failed="$failed $target"
        grep -E 'panicked|SUMMARY|Failing input|artifacts/|Done' "$target.log" || true
    fi
done
if [ -n "$failed" ]; then
    echo "crashes in:$failed (logs in fuzz/<target>.log)" >&2
    exit 1
fi
