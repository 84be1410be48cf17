"""Start-up of short commands (issue 11): wall time of `equilibrium --help`, `catalog list` and the reach commands,
warm disk cache (`equilibrium data warm` first), median of repeated runs, against the issue's targets (≤ 1 s for
`--help` and `catalog list`, ≤ 1.5 s for any reach command) and the audit's baseline on main (2.5–3 s).

    python benchmarks/bench_startup.py [--repeat N]

Each command runs as a fresh process (what a user waits for), output discarded. The figures depend on the machine
and on what else runs: compare runs on the same, otherwise idle machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS: list[tuple[str, list[str], float]] = [
    ("--help", ["--help"], 1.0),
    ("catalog list", ["catalog", "list"], 1.0),
    ("catalog show", ["catalog", "show", "Shaheen-III"], 1.0),
    ("regions Karachi", ["regions", "Karachi"], 1.5),
    ("reach distance PAK IND", ["reach", "distance", "PAK", "IND"], 1.5),
    ("reach distance PAK USA:conus", ["reach", "distance", "PAK", "USA:conus"], 1.5),
    ("reach coverage PAK IND 2750", ["reach", "coverage", "PAK", "IND", "--range-km", "2750"], 1.5),
    ("reach systems PAK IND:andaman-nicobar", ["reach", "systems", "PAK", "IND:andaman-nicobar"], 1.5),
    ("reach ring PAK 2750", ["reach", "ring", "PAK", "--range-km", "2750"], 1.5),
]
BASELINE_S = 2.5
"""The audit's measurement on main before issue 11: any reach command ≥ 2.5–3 s (the lower bound is used)."""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    exe = shutil.which("equilibrium", path=str(Path(sys.executable).parent)) or "equilibrium"
    env = {**os.environ, "COLUMNS": "120"}
    subprocess.run([exe, "data", "warm"], env=env, capture_output=True, check=True)
    print(f"Start-up of short commands, median of {args.repeat} runs (warm disk cache), {os.cpu_count()} cores")
    print(f"{'command':40} {'median s':>9} {'min s':>7} {'target s':>9} {'met':>4} {'vs 2.5 s':>9}")
    worst = 0.0
    for label, argv, target in COMMANDS:
        subprocess.run([exe, *argv], env=env, capture_output=True)  # page cache, bytecode
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            proc = subprocess.run([exe, *argv], env=env, capture_output=True)
            times.append(time.perf_counter() - t)
            if proc.returncode != 0:
                print(f"{label}: exit {proc.returncode}: {proc.stderr.decode()[:200]}", file=sys.stderr)
                return 1
        med = statistics.median(times)
        worst = max(worst, med / target)
        print(f"{label:40} {med:9.2f} {min(times):7.2f} {target:9.1f} {'yes' if med <= target else 'NO':>4} "
              f"{BASELINE_S / med:8.1f}×")
    print(f"worst median / target: {worst:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
