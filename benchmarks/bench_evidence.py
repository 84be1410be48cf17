"""Benchmark of the evidence data sets (plain script).

    python benchmarks/bench_evidence.py

Loads GSDB R3, TIES v4, EUSANCT and China-TIES from ../shared/data/evidence (or $EQUILIBRIUM_DATA_DIR) and computes
every default base rate, in a fresh interpreter (imports of pandas and statsmodels included), on the 2-core target
machine: target ≤ 5 s. Baseline: reading the same files with plain pandas (the floor any loader pays).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "evidence"
TARGET_S = 5.0

_RUN = """
import json, time
t0 = time.perf_counter()
from equilibrium.evidence import load_dataset
from equilibrium.questions.evidence import base_rate
t_import = time.perf_counter() - t0
out = {}
for ds in ("gsdb", "ties", "eusanct", "china-ties"):
    t = time.perf_counter()
    ld = load_dataset(ds)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    res = base_rate(dataset=ds)  # the question: the shares, the files' sha256 and the stated defaults
    out[ds] = {"load_s": t_load, "rates_s": time.perf_counter() - t, "rows": res.rows, "rates": len(res.rates)}
print(json.dumps({"import_s": t_import, "total_s": time.perf_counter() - t0, "datasets": out}))
"""

_BASELINE = """
import time, warnings
t0 = time.perf_counter()
import pandas as pd
from pathlib import Path
d = Path({d!r})
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    pd.read_csv(d / "GSDB_R3.csv"); pd.read_excel(d / "TIESv4.xls"); pd.read_excel(d / "EUSANCT_Dataset_Case-level.xls")
pd.read_csv(d / "china_ties" / "CESv1Sender_2025c.csv", encoding="cp1252")
pd.read_csv(d / "china_ties" / "CESv1Target_2025c.csv", encoding="cp1252")
print(time.perf_counter() - t0)
"""


def main() -> int:
    data_dir = os.environ.get("EQUILIBRIUM_DATA_DIR") or (str(SHARED) if SHARED.is_dir() else "")
    if not data_dir:
        print(f"{SHARED} is absent and EQUILIBRIUM_DATA_DIR is unset; nothing to measure")
        return 0
    env = {**os.environ, "EQUILIBRIUM_DATA_DIR": data_dir}
    base = float(subprocess.run([sys.executable, "-c", _BASELINE.format(d=str(Path(data_dir) if (
        Path(data_dir) / "GSDB_R3.csv").is_file() else Path(data_dir) / "evidence"))], env=env, check=True,
        capture_output=True, text=True).stdout)
    res = json.loads(subprocess.run([sys.executable, "-c", _RUN], env=env, check=True, capture_output=True,
                                    text=True).stdout)
    print("step                                 | time     | rows")
    print(f"plain pandas read of the 5 files     | {base:6.2f} s | (baseline)")
    print(f"import equilibrium.evidence          | {res['import_s']:6.2f} s |")
    for ds, r in res["datasets"].items():
        print(f"{ds:<12} load + validate + tidy  | {r['load_s']:6.2f} s | {r['rows']:,}")
        print(f"{ds:<12} {r['rates']:>2} default base rates   | {r['rates_s']:6.2f} s |")
    total = res["total_s"]
    print(f"evidence_load_and_base_rates_s: {total:.2f} (target {TARGET_S:.0f} s, ratio {total / TARGET_S:.2f}, "
          f"{'met' if total <= TARGET_S else 'MISSED'}); vs plain read: {total / base:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
