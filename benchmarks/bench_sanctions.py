"""Benchmark of the sanctions store (plain script).

    python benchmarks/bench_sanctions.py

Prints the ingest time of the 2024 OFAC SDN CSV into a fresh SQLite store (target ≤ 10 s) and of a re-load of the
same file (idempotent: nothing written), against a baseline that only parses the file (the floor any loader pays).
Screening throughput and recall (the rest of issue 4's benchmark) come with the screening pipeline.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from equilibrium.sanctions.ofac import read_sdn_csv
from equilibrium.sanctions.store import ingest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sanctions"


def main() -> int:
    sdn = SHARED / "ofac_sdn_2024-05-03.csv"
    if not sdn.is_file():
        print(f"{sdn} is absent (../shared/data); nothing to measure")
        return 0
    t0 = time.perf_counter()
    n = sum(1 for _ in read_sdn_csv(sdn))
    parse_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d:
        url = f"sqlite:///{d}/bench.db"
        t0 = time.perf_counter()
        rep = ingest(sdn, url=url)
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = ingest(sdn, url=url)
        reload_s = time.perf_counter() - t0
    print("operation                          | time     | target | rows")
    print(f"parse only (baseline)              | {parse_s:6.2f} s | –      | {n:,}")
    print(f"ingest 2024 SDN CSV, fresh SQLite  | {load_s:6.2f} s | 10 s   | {rep.entities:,} entities, "
          f"{rep.names:,} names")
    print(f"re-ingest same file (idempotent)   | {reload_s:6.2f} s | –      | unchanged={again.unchanged_file}")
    print(f"ingest_vs_parse_ratio: {load_s / parse_s:.1f}")
    print(f"ingest_sdn_2024_s: {load_s:.2f} ({'met' if load_s <= 10 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
