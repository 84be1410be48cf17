"""Benchmark of the claims engine (plain script): ``claims check --all`` with every claim's alternatives.

    python benchmarks/bench_claims.py [--data FOLDER]

Checks every claim of ``data/claims`` (stated reading and each alternative; one answer cache shared across claims)
in one process, with ``$EQUILIBRIUM_DATA_DIR`` set to ``--data`` (default ``../shared/data``, holding the evidence
and dynamics data sets; without it the claims that need them are 'not checkable'). Prints the wall time against the
60 s target of issue 14, the distinct answers computed, the settings evaluated, the verdict counts and the slowest
claims; a second pass over the warm cache shows what sharing answers saves. The last lines are machine-readable.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

from _table import print_table

_ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=_ROOT.parent / "shared" / "data", help="data folder")
    args = parser.parse_args()
    if args.data.is_dir():
        os.environ["EQUILIBRIUM_DATA_DIR"] = str(args.data)
    from equilibrium.questions.base import load_all
    from equilibrium.questions.claims import AnswerCache, check_claim, load_claims

    load_all()
    t0 = time.perf_counter()
    cs = load_claims()
    t_load = time.perf_counter() - t0
    cache = AnswerCache()
    rows = []
    verdicts: Counter[str] = Counter()
    settings = 0
    t0 = time.perf_counter()
    for c in cs.claims.values():
        t1 = time.perf_counter()
        v = check_claim(c, cache, commentary=cs.commentary[c.id])
        verdicts[str(v.verdict)] += 1
        settings += len(v.settings)
        rows.append((c.id, str(v.verdict), f"{time.perf_counter() - t1:.2f}"))
    t_all = time.perf_counter() - t0
    t0 = time.perf_counter()
    for c in cs.claims.values():
        check_claim(c, cache, commentary=cs.commentary[c.id])
    t_warm = time.perf_counter() - t0
    rows.sort(key=lambda r: -float(r[2]))
    print(f"data folder: {os.environ.get('EQUILIBRIUM_DATA_DIR', '(none: data-dependent claims not checkable)')}")
    print(f"claims loaded and validated in {t_load:.2f} s: {len(cs.claims)} claims")
    print_table(("slowest claims", "verdict", "seconds"), rows[:8])
    print()
    print(f"check --all: {t_all:.1f} s (target ≤ {TARGET_S:.0f} s: {'met' if t_all <= TARGET_S else 'MISSED'}); "
          f"{settings} settings, {len(cache.data)} distinct answers ({cache.hits} of {cache.asked} asks shared); "
          f"second pass over the warm cache {t_warm:.2f} s")
    print("verdicts: " + ", ".join(f"{k} {n}" for k, n in sorted(verdicts.items())))
    print()
    print(f"claims_check_all_s: {t_all:.1f}")
    print(f"claims_warm_s: {t_warm:.2f}")


if __name__ == "__main__":
    main()
