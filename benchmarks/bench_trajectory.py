"""Benchmark of the batched trajectory engine against scipy's solve_ivp at equal tolerance (plain script).

    python benchmarks/bench_trajectory.py [--quick] [--spec FILE]

For Minuteman III (``minuteman-iii``) and Scud-B (``scud-b-forden``) of ``shared/validation/trajectory_dev.yaml``
(the same vehicles as defined in ``tests/trajectory/conftest.py`` when that file is absent), at pitch-overs spread
±3° around the range-maximising one, one table:

- the engine (``engine.fly_batch``: the fused compiled DP5(4) loop, the batch split over the cores; 2,000 flights,
  ``--quick`` 200): flights per second, with all cores and with one thread, right-hand-side (RHS) evaluations and
  step attempts per flight (engine and RK45 timings: the fastest of 3 runs);
- scipy ``solve_ivp`` RK45 at the engine's own tolerances (``Options()``: rtol 1e-7, atol 1e-2 m / 1e-5 m/s) with
  the same compiled right-hand side, one flight at a time on one core (10 of the same pitch-overs, ``--quick`` 3):
  flights per second, RHS evaluations, and the engine's speed-up over it (target ≥ 100×);
- scipy DOP853 at rtol 1e-11 on the same flights, the accuracy reference: the largest range difference of the
  engine (target ≤ 0.05 %) and of RK45 against it;
- for Scud-B also RocketPy's 3-DOF point-mass mode (flat Earth, constant thrust, fixed attitude) when RocketPy is
  installed (``pip install -e '.[bench]'``).

Then a Monte Carlo of 10,000 maximum-range samples of Minuteman III (15 flights each) on 2 workers (``--quick``
1,000; target ≤ 10 s). The last lines are machine-readable: ``flights_per_s_mm3``, ``speedup_vs_rk45_equal_tol``
(the smaller of the two cases), ``max_range_diff_pct`` (the engine against the reference, the larger of the two) and
``montecarlo_10k_s`` (``montecarlo_1k_s`` with ``--quick``).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from _table import print_table

from equilibrium.trajectory import Launch, Options, Vehicle, _kernel, load_cases, max_range, montecarlo
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
OPT = Options()
"""The engine's default tolerances; RK45 runs at the same."""
REF_RTOL, REF_ATOL_M, REF_ATOL_M_S = 1e-11, 1e-5, 1e-8
"""The accuracy reference: DOP853 at these tolerances (–, m, m/s)."""
REPEATS = 3
"""Timed runs of the engine and of RK45; the fastest counts (the machine may be shared)."""
TARGET_RATE = 10_000.0
TARGET_SPEEDUP = 100.0
TARGET_DIFF_PCT = 0.05
TARGET_MC_S = 10.0

Row = tuple[str, ...]


def subsample(n: int, m: int) -> np.ndarray:
    """``m`` indices spread evenly over ``range(n)``."""
    return np.unique(np.linspace(0, n - 1, min(m, n)).round().astype(int))


def fallback_vehicles() -> dict[str, Vehicle]:
    """Minuteman III and Scud-B as the trajectory tests define them (``tests/trajectory/conftest.py``)."""
    spec = importlib.util.spec_from_file_location("_traj_conftest", _ROOT / "tests" / "trajectory" / "conftest.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return {"minuteman-iii": Vehicle.model_validate(mod.MM3), "scud-b-forden": Vehicle.model_validate(mod.SCUD)}


def reference_runs(v: Vehicle, kicks: np.ndarray, **kw: Any) -> tuple[float, np.ndarray, float]:
    """solve_ivp flights of ``v`` at ``kicks`` (deg): wall time (s), ranges (m; NaN: no impact), mean RHS
    evaluations per flight."""
    one = VehicleArrays.from_vehicle(v, 1)
    launch = Launch()
    fly_reference(one, launch, kick_deg=float(kicks[0]), **kw)  # warm-up (compiled RHS, atmosphere)
    ranges = np.empty(kicks.size)
    nfev = 0.0
    t0 = time.perf_counter()
    for j, k in enumerate(kicks):
        r = fly_reference(one, launch, kick_deg=float(k), **kw)
        ranges[j] = r.range_m[0] if r.status[0] == 0 else math.nan
        nfev += float(r.nfev[0]) if r.nfev is not None else math.nan
    return time.perf_counter() - t0, ranges, nfev / kicks.size


def max_diff_pct(a: np.ndarray, ref: np.ndarray) -> float:
    """Largest |a − ref| / ref (%), NaN if any flight failed."""
    d = np.abs(a - ref) / ref * 100
    return float(np.max(d)) if np.all(np.isfinite(d)) else math.nan


def bench_case(case_id: str, v: Vehicle, n: int, m: int) -> dict[str, Any]:
    """Engine, RK45 and DOP853 flights of ``v`` at pitch-overs ±3° around its range-maximising one."""
    kick0 = max_range(v, optimise_bias=False).guidance.kick_deg  # pitch-over only: flights without tilt
    kicks = np.linspace(kick0 - SPREAD_DEG, kick0 + SPREAD_DEG, n)
    launch = Launch()
    va = VehicleArrays.from_vehicle(v, n)
    fly_batch(VehicleArrays.from_vehicle(v, 4), launch, kick_deg=kicks[:4], options=OPT)  # warm-up
    t_batch = t_one = math.inf
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        res = fly_batch(va, launch, kick_deg=kicks, options=OPT)
        t_batch = min(t_batch, time.perf_counter() - t0)
        t0 = time.perf_counter()
        res1 = fly_batch(va, launch, kick_deg=kicks, options=Options(threads=1))
        t_one = min(t_one, time.perf_counter() - t0)
    same = bool(np.array_equal(res.range_m, res1.range_m, equal_nan=True))
    ok = res.status == 0
    idx = subsample(n, m)
    t_rk = math.inf
    for _ in range(REPEATS):
        t, rk, nfev_rk = reference_runs(v, kicks[idx], method="RK45", rtol=OPT.rtol, atol_m=OPT.atol_m,
                                        atol_m_s=OPT.atol_m_s)
        t_rk = min(t_rk, t)
    t_ref, ref, nfev_ref = reference_runs(v, kicks[idx], method="DOP853", rtol=REF_RTOL, atol_m=REF_ATOL_M,
                                          atol_m_s=REF_ATOL_M_S)
    assert res.nfev is not None and res.steps is not None
    return {"case": case_id, "kick0": kick0, "n": n, "ok": int(ok.sum()), "t_batch": t_batch,
            "rate_batch": n / t_batch, "rate_one": n / t_one, "threads_same": same,
            "nfev": float(res.nfev.mean()), "steps": float(res.steps.mean()),
            "best_km": float(np.nanmax(res.range_m[ok])) / 1e3, "m": idx.size,
            "t_rk": t_rk, "rate_rk": idx.size / t_rk, "nfev_rk": nfev_rk, "best_rk_km": float(np.nanmax(rk)) / 1e3,
            "t_ref": t_ref, "rate_ref": idx.size / t_ref, "nfev_ref": nfev_ref,
            "best_ref_km": float(np.nanmax(ref)) / 1e3,
            "diff_pct": max_diff_pct(res.range_m[idx], ref), "diff_rk_pct": max_diff_pct(rk, ref)}


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
    n, m, m_rp, n_mc = (200, 3, 3, 1_000) if args.quick else (2_000, 10, 11, 10_000)
    vehicles: dict[str, Vehicle] = {}
    source = str(args.spec)
    if args.spec.exists():
        cases = load_cases(args.spec)
        for cid in CASES:
            if cid in cases and cases[cid].vehicle is not None:
                vehicles[cid] = cases[cid].vehicle  # type: ignore[assignment]
    if len(vehicles) < len(CASES):
        vehicles = fallback_vehicles()
        source = f"tests/trajectory/conftest.py ({args.spec} absent or without the cases)"
    print(f"vehicles from {source}")
    t0 = time.perf_counter()
    atmosphere_table()
    print(f"cold load (1976 atmosphere table): {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    _kernel.available()
    fly_batch(VehicleArrays.from_vehicle(vehicles["scud-b-forden"], 2), Launch(), kick_deg=20.0, options=OPT)
    fly_reference(VehicleArrays.from_vehicle(vehicles["scud-b-forden"], 1), Launch(), kick_deg=20.0, method="RK45",
                  rtol=1e-3, atol_m=10.0)
    print(f"compiled kernels (fused loop, one-state RHS) loaded or compiled in {time.perf_counter() - t0:.2f} s "
          "(numba's disk cache: under 1 s when warm, 5-10 s to compile)")
    threads = _kernel.default_threads()

    rows: list[Row] = []
    notes: list[str] = []
    results = {}
    for cid in CASES:
        v = vehicles[cid]
        r = bench_case(cid, v, n, m)
        results[cid] = r
        rows.append((cid, f"engine: fused DP5(4), numba, {threads} threads", f"{r['n']:,}", f"{r['t_batch']:.2f} s",
                     fmt_rate(r["rate_batch"]), f"{r['nfev']:.0f} ({r['steps']:.0f} steps)", "1×",
                     f"{r['best_km']:,.1f}", f"{r['diff_pct']:.4f}"))
        rows.append((cid, "engine, 1 thread", f"{r['n']:,}", f"{r['n'] / r['rate_one']:.2f} s",
                     fmt_rate(r["rate_one"]), "", f"{r['rate_batch'] / r['rate_one']:,.2f}×", "", ""))
        rows.append((cid, "solve_ivp RK45, same tolerance, same RHS", f"{r['m']}", f"{r['t_rk']:.2f} s",
                     fmt_rate(r["rate_rk"]), f"{r['nfev_rk']:.0f}", f"{r['rate_batch'] / r['rate_rk']:,.1f}×",
                     f"{r['best_rk_km']:,.1f}", f"{r['diff_rk_pct']:.4f}"))
        rows.append((cid, f"solve_ivp DOP853 rtol {REF_RTOL:g} (reference)", f"{r['m']}", f"{r['t_ref']:.2f} s",
                     fmt_rate(r["rate_ref"]), f"{r['nfev_ref']:.0f}", "–", f"{r['best_ref_km']:,.1f}", "0"))
        notes.append(f"{cid}: range-maximising pitch-over {r['kick0']:.3f}°; flights at {r['kick0'] - SPREAD_DEG:.3f}"
                     f"–{r['kick0'] + SPREAD_DEG:.3f}°, {r['ok']}/{r['n']} impacted; solve_ivp on {r['m']} of the "
                     f"same pitch-overs (evenly spaced), one at a time on one core; per core the engine is "
                     f"{r['rate_one'] / r['rate_rk']:,.1f}× RK45; results with 1 and {threads} threads "
                     f"{'identical' if r['threads_same'] else 'DIFFER'}")
        if cid == "scud-b-forden":
            try:
                rp = rocketpy_scud(v, m_rp)
            except ImportError:
                rows.append((cid, "RocketPy 3 DOF", "–", "–", "not installed", "–", "–", "–", ""))
                notes.append("RocketPy not installed: pip install -e '.[bench]'")
            except Exception as exc:  # report, don't abort the benchmark
                msg = f"failed: {type(exc).__name__}: {exc}"[:120]
                rows.append((cid, "RocketPy 3 DOF", "–", "–", msg, "–", "–", "–", ""))
            else:
                rows.append((cid, f"RocketPy {rp['version']} 3 DOF (LSODA)", f"{rp['m']}", f"{rp['secs']:.2f} s",
                             fmt_rate(rp["rate"]), "–", f"{r['rate_batch'] / rp['rate']:,.1f}×",
                             f"{rp['range_km']:,.1f} @ {RP_INCLINATION_DEG:.0f}°", ""))
                notes.append(f"RocketPy: PointMassRocket/PointMassMotor, constant thrust Isp·g0·ṁ = "
                             f"{rp['thrust_kn']:.1f} kN, case Cd(Mach), US 1976 atmosphere (custom profile), flat "
                             f"non-rotating Earth, attitude fixed at the rail inclination (no gravity turn); "
                             f"{rp['m']} inclinations {RP_INCLINATION_DEG - SPREAD_DEG:.0f}–"
                             f"{RP_INCLINATION_DEG + SPREAD_DEG:.0f}°, best {rp['best_km']:,.1f} km at "
                             f"{rp['best_incl']:.1f}° (ours, rotating WGS-84 + gravity turn: {r['best_km']:,.1f} km, "
                             f"{(rp['best_km'] / r['best_km'] - 1) * 100:+.1f} %); a different model, not a "
                             "reference")

    mm = vehicles["minuteman-iii"]
    t0 = time.perf_counter()
    chunk = min(1000, n_mc // 2)  # --quick: two chunks, so both workers run (results do not depend on chunking)
    mc = montecarlo(mm, n_mc, seed=1, workers=2, chunk_size=chunk)
    t_mc = time.perf_counter() - t0
    pct = mc.percentiles_km
    rows.append(("minuteman-iii", f"Monte Carlo max range, {n_mc:,} samples, 2 workers", f"{n_mc:,}",
                 f"{t_mc:.1f} s", f"{fmt_rate(n_mc / t_mc)} samples/s", "–", "–",
                 f"P5/50/95 {pct['p5']:,.0f}/{pct['p50']:,.0f}/{pct['p95']:,.0f}", ""))
    notes.append(f"Monte Carlo: nominal {mc.nominal_range_km:,.1f} km at {mc.nominal_kick_deg:.3f}°, mean "
                 f"{mc.mean_km:,.1f} ± {mc.std_km:,.1f} km, {mc.failed} failed; each sample = 15 flights "
                 "(golden-section search of the pitch-over, Monte Carlo tolerances rtol 1e-5); "
                 f"chunks of {chunk:,}, one thread per worker process; wall time includes the nominal search"
                 + ("" if n_mc >= 10_000 else f"; --quick: {n_mc:,} samples, not the 10,000 of the target"))

    head = ("case", "integrator", "flights", "wall time", "flights/s", "RHS evals/flight", "engine ÷ this",
            "range km (best)", "max |Δrange| % vs ref")
    print_table(head, rows)
    print()
    for note in notes:
        print(f"- {note}")
    rate_mm3 = results["minuteman-iii"]["rate_batch"]
    speedup = min(r["rate_batch"] / r["rate_rk"] for r in results.values())
    diffs = [r["diff_pct"] for r in results.values()]
    diff = max(diffs) if all(math.isfinite(d) for d in diffs) else math.nan
    verdict = {True: "met", False: "MISSED"}
    print(f"- targets ({threads} cores): Minuteman III ≥ {TARGET_RATE:,.0f} flights/s: {rate_mm3:,.0f} "
          f"({verdict[rate_mm3 >= TARGET_RATE]}); speed-up over RK45 at equal tolerance ≥ {TARGET_SPEEDUP:.0f}×: "
          f"{speedup:,.1f}× ({verdict[speedup >= TARGET_SPEEDUP]}); range difference against DOP853 rtol "
          f"{REF_RTOL:g} ≤ {TARGET_DIFF_PCT} %: {diff:.4f} % ({verdict[diff <= TARGET_DIFF_PCT]}); Monte Carlo "
          f"{n_mc:,} samples ≤ {TARGET_MC_S:.0f} s: {t_mc:.1f} s "
          + (f"({verdict[t_mc <= TARGET_MC_S]})" if n_mc >= 10_000 else "(--quick: not the target's 10,000)"))
    print()
    print(f"flights_per_s_mm3: {rate_mm3:.0f}")
    print(f"speedup_vs_rk45_equal_tol: {speedup:.1f}")
    print(f"max_range_diff_pct: {diff:.4f}")
    print(f"montecarlo_{n_mc // 1000}k_s: {t_mc:.2f}")


if __name__ == "__main__":
    main()
