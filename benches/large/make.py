#!/usr/bin/env python3
"""Writes the large-input corpora of README's "Large inputs" table to target/large/.

- tiny-100k.jsonl: 100,000 documents of 0 to 12 common characters (random, seed 1).
- big-50mb.jsonl: one document of 50,000,000 bytes: the law corpus's texts one
  after another (one per line), then generated documents until it is full.
- big-line.jsonl: the same text with its line breaks removed (one paragraph).

Usage: python3 benches/large/make.py [LAW_CORPUS.jsonl.gz] [GENERATED.jsonl]
(defaults: ../shared/corpora/lawrefbook-dev.jsonl.gz and target/gen-10k.jsonl,
which `cargo run --release -- generate --n 10000 --out target/gen-10k.jsonl` writes).
"""
import gzip
import json
import os
import random
import sys

SIZE = 50_000_000
CHARS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
         "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制"
         "机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心")


def main():
    laws = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/lawrefbook-dev.jsonl.gz"
    generated = sys.argv[2] if len(sys.argv) > 2 else "target/gen-10k.jsonl"
    os.makedirs("target/large", exist_ok=True)

    rng = random.Random(1)
    with open("target/large/tiny-100k.jsonl", "w", encoding="utf-8") as f:
        for i in range(100_000):
            text = "".join(rng.choice(CHARS) for _ in range(rng.randint(0, 12)))
            f.write(json.dumps({"id": f"t{i:06d}", "text": text}, ensure_ascii=False) + "\n")

    texts = [json.loads(line)["text"] for line in gzip.open(laws, "rt", encoding="utf-8")]
    texts += [json.loads(line)["text"] for line in open(generated, encoding="utf-8")]
    parts, size = [], 0
    for text in texts:
        parts.append(text)
        size += len(text.encode()) + 1
        if size >= SIZE:
            break
    big = "\n".join(parts).encode()[:SIZE].decode("utf-8", "ignore")
    with open("target/large/big-50mb.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "big", "text": big}, ensure_ascii=False) + "\n")
    with open("target/large/big-line.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "line", "text": big.replace("\n", "")}, ensure_ascii=False) + "\n")
    print(f"target/large: tiny-100k.jsonl, big-50mb.jsonl ({len(big.encode())} bytes, "
          f"{big.count(chr(10)) + 1} lines), big-line.jsonl")


if __name__ == "__main__":
    main()
