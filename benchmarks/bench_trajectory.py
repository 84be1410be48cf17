"""Benchmark of the batched trajectory engine against solve_ivp and RocketPy (plain script).

    python benchmarks/bench_trajectory.py [--quick] [--spec FILE]

Prints one table for the validation cases Minuteman III (``minuteman-iii``) and Scud-B (``scud-b-forden``) of
``shared/validation/trajectory_dev.yaml``: trajectories per second of ``engine.fly_batch`` (2,000 flights at
pitch-overs spread ±3° around the range-maximising one; ``--quick`` 200), of the same physics integrated one
flight at a time by ``reference.fly_reference`` (solve_ivp DOP853, rtol 1e-10; 10 of the same pitch-overs,
``--quick`` 3), the ratio (target ≥ 100×) and the largest range difference between the two (target ≤ 0.5 %);
for Scud-B also RocketPy's 3-DOF point-mass mode (flat Earth, constant thrust Isp·g0·ṁ, the case's Cd(Mach),
US 1976 atmosphere, fixed attitude at inclinations around 58°), when RocketPy is installed (``pip install -e
'.[bench]'``). Then a 10,000-sample Monte Carlo of Minuteman III maximum range on 2 workers (``--quick``
1,000) against the 60 s target, with its P5/P50/P95. The last two lines are machine-readable:
``speedup_vs_solve_ivp`` (the smaller of the two cases' ratios) and ``max_range_diff_pct``.
"""

from __future__ import annotations

import argparse
import math
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from _table import print_table

from equilibrium.trajectory import Launch, Options, Vehicle, load_cases, max_range, montecarlo
from equilibrium.trajectory.atmosphere import table as atmosphere_table
from equilibrium.trajectory.earth import G0
from equilibrium.trajectory.engine import VehicleArrays, fly_batch
from equilibrium.trajectory.reference import fly_reference

_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = next((d / "shared" / "validation" / "trajectory_dev.yaml" for d in (_ROOT, _ROOT.parent)
                     if (d / "shared" / "validation" / "trajectory_dev.yaml").exists()),
                    _ROOT.parent / "shared" / "validation" / "trajectory_dev.yaml")
CASES = ("minuteman-iii", "scud-b-forden")
SPREAD_DEG = 3.0
RP_INCLINATION_DEG = 58.0
TARGET_SPEEDUP = 100.0
TARGET_DIFF_PCT = 0.5
TARGET_MC_S = 60.0

Row = tuple[str, str, str, str, str, str, str, str]


def subsample(n: int, m: int) -> np.ndarray:
    """``m`` indices spread evenly over ``range(n)``."""
    return np.unique(np.linspace(0, n - 1, min(m, n)).round().astype(int))


def bench_case(case_id: str, v: Vehicle, n: int, m: int) -> dict[str, Any]:
    """Batched and solve_ivp flights of ``v`` at pitch-overs ±3° around its range-maximising one."""
    kick0 = max_range(v).guidance.kick_deg
    kicks = np.linspace(kick0 - SPREAD_DEG, kick0 + SPREAD_DEG, n)
    launch = Launch()
    fly_batch(VehicleArrays.from_vehicle(v, 4), launch, kick_deg=kicks[:4], options=Options())  # warm-up
    t0 = time.perf_counter()
    res = fly_batch(VehicleArrays.from_vehicle(v, n), launch, kick_deg=kicks, options=Options())
    t_batch = time.perf_counter() - t0
    ok = res.status == 0
    idx = subsample(n, m)
    one = VehicleArrays.from_vehicle(v, 1)
    ref_r = np.empty(idx.size)
    t0 = time.perf_counter()
    for j, i in enumerate(idx):
        r = fly_reference(one, launch, kick_deg=float(kicks[i]), rtol=1e-10)
        ref_r[j] = r.range_m[0] if r.status[0] == 0 else math.nan
    t_ref = time.perf_counter() - t0
    diff = np.abs(res.range_m[idx] - ref_r) / ref_r * 100
    return {"case": case_id, "kick0": kick0, "n": n, "ok": int(ok.sum()), "t_batch": t_batch,
            "rate_batch": n / t_batch, "best_km": float(np.nanmax(res.range_m[ok])) / 1e3, "m": idx.size,
            "t_ref": t_ref, "rate_ref": idx.size / t_ref, "best_ref_km": float(np.nanmax(ref_r)) / 1e3,
            "diff_pct": float(np.nanmax(diff)) if np.all(np.isfinite(diff)) else math.nan}


def rocketpy_scud(v: Vehicle, m: int) -> dict[str, Any]:
    """RocketPy 3-DOF point-mass flights of the (single-stage) Scud-B at ``m`` inclinations around 58°.

    Raises ImportError when RocketPy is not installed; any other failure propagates for the caller to report.
    """
    from importlib.metadata import version

    from rocketpy import Environment, Flight, PointMassMotor, PointMassRocket

    st = v.stages[0]
    mdot = st.mass_flow_kg_s
    thrust = st.isp_s * G0 * mdot  # sea-level Isp, no exit area in the case: constant thrust
    cd = [list(p) for p in v.cd_table]
    radius = v.diameters_m()[0] / 2
    # RocketPy's built-in ISA extrapolates density to negative values above ~82 km (a Scud-B apogee is ~80-90 km),
    # so the 1976 standard is given as a custom profile, the same table the engine interpolates (to 300 km).
    z, _lrho, lp, cs = atmosphere_table()
    keep = z <= 300_000.0
    p = np.exp(lp[keep])
    temp = cs[keep] ** 2 / (1.4 * 287.05287)  # temperature giving the table's speed of sound (and ρ ≈ p/RT)
    env = Environment(latitude=0.0, longitude=0.0, elevation=0.0, max_expected_height=300_000.0)
    env.set_atmospheric_model(type="custom_atmosphere", pressure=np.column_stack([z[keep], p]),
                              temperature=np.column_stack([z[keep], temp]), wind_u=0, wind_v=0)
    motor = PointMassMotor(thrust_source=thrust, dry_mass=0.0, propellant_initial_mass=st.propellant_mass_kg,
                           burn_time=st.burn_s)
    rocket = PointMassRocket(radius=radius, mass=v.payload_kg + st.dry_mass_kg, center_of_mass_without_motor=0.0,
                             power_off_drag=cd, power_on_drag=cd)
    rocket.add_motor(motor, position=0.0)
    incl = np.linspace(RP_INCLINATION_DEG - SPREAD_DEG, RP_INCLINATION_DEG + SPREAD_DEG, m if m % 2 else m + 1)
    ranges = np.empty(incl.size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Flight(rocket=rocket, environment=env, rail_length=1.0, inclination=RP_INCLINATION_DEG, heading=90.0,
               simulation_mode="3 DOF", max_time=3000)  # warm-up
        t0 = time.perf_counter()
        for j, inc in enumerate(incl):
            fl = Flight(rocket=rocket, environment=env, rail_length=1.0, inclination=float(inc), heading=90.0,
                        simulation_mode="3 DOF", max_time=3000)
            ranges[j] = math.hypot(fl.x_impact, fl.y_impact)
        secs = time.perf_counter() - t0
    mid = int(np.argmin(np.abs(incl - RP_INCLINATION_DEG)))
    return {"version": version("rocketpy"), "m": incl.size, "secs": secs, "rate": incl.size / secs,
            "range_km": ranges[mid] / 1e3, "best_km": float(ranges.max()) / 1e3,
            "best_incl": float(incl[int(np.argmax(ranges))]), "thrust_kn": thrust / 1e3}


def fmt_rate(x: float) -> str:
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer flights and Monte Carlo samples")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="validation case file (YAML)")
    args = parser.parse_args()
    if not args.spec.exists():
        print(f"validation case file {args.spec} not found: nothing to benchmark (give --spec FILE)")
        return
    n, m, m_rp, n_mc = (200, 3, 3, 1_000) if args.quick else (2_000, 10, 11, 10_000)
    cases = load_cases(args.spec)
    missing = [c for c in CASES if c not in cases]
    if missing:
        print(f"{args.spec}: no case {', '.join(missing)}: nothing to benchmark")
        return
    t0 = time.perf_counter()
    atmosphere_table()
    print(f"cold load (1976 atmosphere table): {time.perf_counter() - t0:.2f} s")

    rows: list[Row] = []
    notes: list[str] = []
    results = {}
    for cid in CASES:
        v = cases[cid].vehicle
        assert v is not None
        r = bench_case(cid, v, n, m)
        results[cid] = r
        rows.append((cid, "batched DP5(4), numba RHS (fly_batch)", f"{r['n']:,}", f"{r['t_batch']:.2f} s",
                     fmt_rate(r["rate_batch"]), "1×", f"{r['best_km']:,.1f}", ""))
        rows.append((cid, "solve_ivp DOP853 rtol 1e-10, same RHS", f"{r['m']}", f"{r['t_ref']:.2f} s",
                     fmt_rate(r["rate_ref"]), f"{r['rate_batch'] / r['rate_ref']:,.1f}×",
                     f"{r['best_ref_km']:,.1f}", f"{r['diff_pct']:.4f}"))
        notes.append(f"{cid}: range-maximising pitch-over {r['kick0']:.3f}°; flights at {r['kick0'] - SPREAD_DEG:.3f}"
                     f"–{r['kick0'] + SPREAD_DEG:.3f}°, {r['ok']}/{r['n']} impacted; solve_ivp on {r['m']} of the "
                     "same pitch-overs (evenly spaced)")
        if cid == "scud-b-forden":
            try:
                rp = rocketpy_scud(v, m_rp)
            except ImportError:
                rows.append((cid, "RocketPy 3 DOF", "–", "–", "not installed", "–", "–", ""))
                notes.append("RocketPy not installed: pip install -e '.[bench]'")
            except Exception as exc:  # report, don't abort the benchmark
                msg = f"failed: {type(exc).__name__}: {exc}"[:120]
                rows.append((cid, "RocketPy 3 DOF", "–", "–", msg, "–", "–", ""))
            else:
                rows.append((cid, f"RocketPy {rp['version']} 3 DOF (LSODA)", f"{rp['m']}", f"{rp['secs']:.2f} s",
                             fmt_rate(rp["rate"]), f"{r['rate_batch'] / rp['rate']:,.1f}×",
                             f"{rp['range_km']:,.1f} @ {RP_INCLINATION_DEG:.0f}°", ""))
                notes.append(f"RocketPy: PointMassRocket/PointMassMotor, constant thrust Isp·g0·ṁ = "
                             f"{rp['thrust_kn']:.1f} kN, case Cd(Mach), US 1976 atmosphere (custom profile), flat "
                             f"non-rotating Earth, attitude fixed at the rail inclination (no gravity turn); "
                             f"{rp['m']} inclinations {RP_INCLINATION_DEG - SPREAD_DEG:.0f}–"
                             f"{RP_INCLINATION_DEG + SPREAD_DEG:.0f}°, best {rp['best_km']:,.1f} km at "
                             f"{rp['best_incl']:.1f}° (ours, rotating WGS-84 + gravity turn: {r['best_km']:,.1f} km, "
                             f"{(rp['best_km'] / r['best_km'] - 1) * 100:+.1f} %)")

    mm = cases["minuteman-iii"].vehicle
    assert mm is not None
    t0 = time.perf_counter()
    chunk = min(1000, n_mc // 2)  # --quick: two chunks, so both workers run (results do not depend on chunking)
    mc = montecarlo(mm, n_mc, seed=1, workers=2, chunk_size=chunk)
    t_mc = time.perf_counter() - t0
    pct = mc.percentiles_km
    rows.append(("minuteman-iii", f"Monte Carlo max range, {n_mc:,} samples, 2 workers", f"{n_mc:,}",
                 f"{t_mc:.1f} s (≤ {TARGET_MC_S:.0f} s)", f"{fmt_rate(n_mc / t_mc)} samples/s", "–",
                 f"P5/50/95 {pct['p5']:,.0f}/{pct['p50']:,.0f}/{pct['p95']:,.0f}", ""))
    notes.append(f"Monte Carlo: nominal {mc.nominal_range_km:,.1f} km at {mc.nominal_kick_deg:.3f}°, mean "
                 f"{mc.mean_km:,.1f} ± {mc.std_km:,.1f} km, {mc.failed} failed; each sample = 15 flights "
                 "(golden-section search of the pitch-over, Monte Carlo tolerances); "
                 f"chunks of {chunk:,}; wall time includes "
                 "the nominal search"
                 + ("" if n_mc >= 10_000 else f"; --quick: {n_mc:,} samples, not the 10,000 of the target"))

    head = ("case", "integrator", "flights", "wall time", "traj/s", "batched ÷ this", "range km (best)",
            "max |Δrange| %")
    print_table(head, rows)
    print()
    for note in notes:
        print(f"- {note}")
    speedup = min(r["rate_batch"] / r["rate_ref"] for r in results.values())
    diffs = [r["diff_pct"] for r in results.values()]
    diff = max(diffs) if all(math.isfinite(d) for d in diffs) else math.nan
    verdict = {True: "met", False: "MISSED"}
    print(f"- targets: speed-up vs solve_ivp ≥ {TARGET_SPEEDUP:.0f}× ({verdict[speedup >= TARGET_SPEEDUP]}), "
          f"range difference ≤ {TARGET_DIFF_PCT} % ({verdict[diff <= TARGET_DIFF_PCT]}), Monte Carlo "
          f"{n_mc:,} samples ≤ {TARGET_MC_S:.0f} s ({verdict[t_mc <= TARGET_MC_S]})")
    print()
    print(f"speedup_vs_solve_ivp: {speedup:.1f}")
    print(f"max_range_diff_pct: {diff:.4f}")


if __name__ == "__main__":
    main()
