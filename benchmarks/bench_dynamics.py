"""Benchmark of the dynamics package (plain script).

    python benchmarks/bench_dynamics.py [--quick] [--data FOLDER]

1. Loaders + fits + the full backtest (target ≤ 10 s): every dynamics loader on the real files (``--data``, default
   ``../shared/data/dynamics`` or ``$EQUILIBRIUM_DATA_DIR``), the Richardson fits of CHN, IND and PAK (levels and
   differences), Granger, VAR and VECM on the trio, and the rolling-origin backtests of India and Pakistan
   (bilateral: each on the other; origins 1995–2018, horizons 1–5). A step whose module or data is missing
   prints "not available".
2. 100,000 scenario runs of 30 years (``sanctions-intensify``) on 2 local worker processes (target ≤ 60 s;
   ``--quick``: 10,000), batch :data:`~equilibrium.dynamics.ensemble.DEFAULT_BATCH`; the same on 1 worker.
3. The same model as a plain Python loop over runs (``model.simulate_loop``) on a subset (2,000 runs; ``--quick``
   500): per-run time, the ratio to the vectorised per-run time, and the loop extrapolated to the full count.
4. The Dask path (``scheduler="local"``: an in-process distributed cluster with 2 workers, threads) on 20,000 runs
   (``--quick`` 5,000) against the inline executor on the same runs: the overhead per run.

Coefficients come from ``calibrate()`` on the real SIPRI file; without it, from synthetic draws (stated).
The machine may be shared: each timing is one run. The last lines are machine-readable:
``loaders_fits_backtest_s``, ``ensemble_runs``, ``ensemble_2workers_s``, ``loop_ratio``,
``dask_overhead_us_per_run``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _table import print_table

from equilibrium.dynamics import model as M
from equilibrium.dynamics.ensemble import DEFAULT_BATCH, run_ensemble, run_seed

_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = _ROOT.parent / "shared" / "data" / "dynamics"
TARGET_PIPELINE_S = 10.0
TARGET_ENSEMBLE_S = 60.0
SCENARIO = "sanctions-intensify"


def timed(label: str, fn: Callable[[], Any], rows: list[tuple[str, str, str]]) -> tuple[Any, float | None]:
    """Run ``fn``; add a row (label, seconds or 'not available', note); return its result and seconds."""
    t = time.perf_counter()
    try:
        out = fn()
    except (ImportError, AttributeError) as exc:
        rows.append((label, "not available", f"{type(exc).__name__}: {exc}"[:70]))
        return None, None
    except Exception as exc:  # noqa: BLE001 - a missing file or an unfinished module is reported, not fatal
        rows.append((label, "not available", f"{type(exc).__name__}: {exc}"[:70]))
        return None, None
    s = time.perf_counter() - t
    rows.append((label, f"{s:.2f}", ""))
    return out, s


def pipeline(data: Path | None) -> tuple[float | None, M.Coefficients | None]:
    """Section 1: loaders, fits and backtests; returns the total (s, None when a step was not available) and the
    calibrated coefficients."""
    rows: list[tuple[str, str, str]] = []
    total = 0.0
    complete = True

    def step(label: str, fn: Callable[[], Any]) -> Any:
        nonlocal total, complete
        out, s = timed(label, fn, rows)
        if s is None:
            complete = False
        else:
            total += s
        return out

    try:
        from equilibrium.dynamics import data as D
    except ImportError:
        print("\nloaders, fits, backtest: not available (equilibrium.dynamics.data missing)")
        return None, None
    p = str(data) if data else None
    milex = step("load_milex", lambda: D.load_milex(p))
    step("load_tiv imports", lambda: D.load_tiv("imports", p))
    step("load_tiv exports", lambda: D.load_tiv("exports", p))
    step("load_nmc", lambda: D.load_nmc(p))
    step("load_idealpoints", lambda: D.load_idealpoints(p))
    step("load_votes", lambda: D.load_votes(p))
    step("load_roll_calls", lambda: D.load_roll_calls(p))
    coeffs = None
    if milex is not None:
        wide = D.series(milex.frame, list(M.ACTORS), "milex_usd_m")
        try:
            from equilibrium.dynamics import arms as A
        except ImportError:
            rows.append(("fits", "not available", "equilibrium.dynamics.arms missing"))
            complete = False
        else:
            rivals = {"CHN": ["IND"], "IND": ["CHN", "PAK"], "PAK": ["IND", "CHN"]}

            def fits() -> None:
                for form in ("levels", "differences"):
                    for a in M.ACTORS:
                        A.fit_richardson(wide, a, rivals[a], form=form)

            step("fit_richardson ×6", fits)
            step("granger IND↔PAK", lambda: A.granger(wide, "IND", "PAK"))
            step("var_fit CHN-IND-PAK", lambda: A.var_fit(wide, list(M.ACTORS)))
            step("vecm_fit CHN-IND-PAK", lambda: A.vecm_fit(wide, list(M.ACTORS)))
        try:
            from equilibrium.dynamics import backtest as B
        except ImportError:
            rows.append(("backtest", "not available", "equilibrium.dynamics.backtest missing"))
            complete = False
        else:
            step("backtest IND (on PAK)", lambda: B.backtest(wide, "IND", ["PAK"]))
            step("backtest PAK (on IND)", lambda: B.backtest(wide, "PAK", ["IND"]))
        coeffs, _ = timed("calibrate (1,000 draws)", lambda: M.calibrate(p, seed=0), rows)
    print_table(("Step", "Seconds", "Note"), rows)
    print(f"loaders + fits + backtest: {total:.2f} s (target ≤ {TARGET_PIPELINE_S:.0f} s)"
          + ("" if complete else "; some steps not available"))
    return (total if complete else None), coeffs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller counts")
    ap.add_argument("--data", type=Path, default=None, help="folder of the dynamics data files")
    args = ap.parse_args()
    data = args.data or (DEFAULT_DATA if DEFAULT_DATA.is_dir() else None)
    if data is None and os.environ.get("EQUILIBRIUM_DATA_DIR"):
        data = Path(os.environ["EQUILIBRIUM_DATA_DIR"])
    n_runs = 10_000 if args.quick else 100_000
    n_loop = 500 if args.quick else 2_000
    n_dask = 5_000 if args.quick else 20_000

    pipe_s, coeffs = pipeline(data)
    if coeffs is None:
        coeffs = M.synthetic_coefficients(1000, seed=0)
        print("coefficients: synthetic draws (the real SIPRI file or the fit module is not available)")
    else:
        print(f"coefficients: {coeffs.source}, {coeffs.n} draws, base year {coeffs.base_year}")
    sc = M.load_scenario(SCENARIO)

    rows: list[tuple[str, ...]] = []
    t = time.perf_counter()
    run_ensemble(sc, n_runs, 30, seed=0, workers=2, coeffs=coeffs)
    t2 = time.perf_counter() - t
    t = time.perf_counter()
    one = run_ensemble(sc, n_runs, 30, seed=0, workers=1, coeffs=coeffs)
    t1 = time.perf_counter() - t
    rows.append((f"{n_runs:,} runs × 30 yr, 2 workers", f"{t2:.2f}", f"{t2 / n_runs * 1e6:.1f}",
                 f"target ≤ {TARGET_ENSEMBLE_S:.0f} s"))
    rows.append((f"{n_runs:,} runs × 30 yr, 1 worker", f"{t1:.2f}", f"{t1 / n_runs * 1e6:.1f}",
                 f"batch {DEFAULT_BATCH:,} runs ≈ {t1 / n_runs * DEFAULT_BATCH * 1e3:.0f} ms per task"))

    seeds = [run_seed(0, r) for r in range(n_loop)]
    t = time.perf_counter()
    vec, _ = M.simulate_seeds(coeffs, sc, 30, seeds)
    tv = time.perf_counter() - t
    t = time.perf_counter()
    loop = M.simulate_loop(coeffs, sc, 30, seeds)
    tl = time.perf_counter() - t
    same = all(np.allclose(vec[k], loop[k], rtol=1e-12, atol=1e-12) for k in M.OUTPUTS)
    ratio = (tl / n_loop) / (t1 / n_runs)
    rows.append((f"plain Python loop, {n_loop:,} runs", f"{tl:.2f}", f"{tl / n_loop * 1e6:.1f}",
                 f"{ratio:.1f}× the vectorised per-run time; {n_runs:,} runs ≈ {tl / n_loop * n_runs:.0f} s "
                 f"(extrapolated); same results: {same}"))
    rows.append((f"vectorised, same {n_loop:,} runs", f"{tv:.3f}", f"{tv / n_loop * 1e6:.1f}", "one batch"))

    t = time.perf_counter()
    inline = run_ensemble(sc, n_dask, 30, seed=0, workers=1, coeffs=coeffs)
    ti = time.perf_counter() - t
    t = time.perf_counter()
    dask = run_ensemble(sc, n_dask, 30, seed=0, workers=2, scheduler="local", coeffs=coeffs)
    td = time.perf_counter() - t
    overhead = (td - ti) / n_dask * 1e6
    rows.append((f"Dask local cluster, {n_dask:,} runs", f"{td:.2f}", f"{td / n_dask * 1e6:.1f}",
                 f"inline {ti:.2f} s; overhead {overhead:+.1f} µs/run (cluster start included); identical "
                 f"percentiles: {dask.fans == inline.fans}"))
    print_table(("Ensemble", "Seconds", "µs per run", "Note"), rows)
    ratio50 = one.fans["milex_ratio"]["p50"][-1]
    print(f"{SCENARIO}: median India/Pakistan milex ratio in {one.years[-1]}: {ratio50:.2f}; median alignment "
          f"{one.fans['alignment']['p50'][-1]:.2f}; median cost {one.fans['cost_pct_gdp']['p50'][-1]:.2f} % of GDP")
    print()
    print(f"loaders_fits_backtest_s={pipe_s:.2f}" if pipe_s is not None else "loaders_fits_backtest_s=not available")
    print(f"ensemble_runs={n_runs}")
    print(f"ensemble_2workers_s={t2:.2f}")
    print(f"loop_ratio={ratio:.1f}")
    print(f"dask_overhead_us_per_run={overhead:.1f}")


if __name__ == "__main__":
    main()
