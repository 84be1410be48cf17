"""Monte Carlo over uncertain inputs: maximum range percentiles from declared input distributions.

Each sample draws, from its own random generator (a child of ``numpy.random.SeedSequence(seed)``, so results
are identical for any number of workers or chunk size): a specific-impulse factor per stage, a structural
(dry) mass factor per stage, a propellant mass factor per stage (all normal, mean 1, truncated at ±3 σ), a drag
factor (normal, truncated) and a payload (uniform over an interval, or fixed). Every sample's maximum range is
searched around the nominal vehicle's optimal pitch-over c by golden-section search in [c − w, c + 0.8 w]
(``half_width_deg`` w = 15°; the range falls off a cliff on the flat side of the optimum, gently on the lofted
side), 15 flights per sample. Results stream to Parquet, one file per chunk; a run can be resumed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from equilibrium.ensembles import run_tasks
from equilibrium.errors import InvalidInput
from equilibrium.trajectory.analyses import (
    GLOBAL_REACH_KM,
    KICK_MAX_DEG,
    KICK_MIN_DEG,
    Guidance,
    golden_max_many,
    max_range,
)
from equilibrium.trajectory.earth import WGS84, EarthModel
from equilibrium.trajectory.engine import Launch, Options, VehicleArrays
from equilibrium.trajectory.vehicle import DERIVED, Vehicle

MC_OPTIONS = Options(rtol=1e-5, atol_m=1.0, atol_m_s=1e-3)
"""Integration tolerances for Monte Carlo flights (range within ~0.05 % of the tight reference; the input
spreads move the range by percents)."""


@dataclass(frozen=True)
class Spread:
    """Declared input distributions: relative standard deviations (–) of specific impulse, stage dry mass,
    propellant mass and drag; payload interval (kg) or None for the vehicle's own payload. ``basis`` says where
    the widths come from (a template's sourced uncertainty, the catalogue, or the analyst's assumption)."""

    isp_sd: float = 0.02
    dry_sd: float = 0.05
    propellant_sd: float = 0.02
    drag_sd: float = 0.10
    payload_kg: tuple[float, float] | None = None
    basis: dict[str, str] = field(default_factory=dict)

    def check(self) -> None:
        """Refuse negative or absurd widths."""
        for k in ("isp_sd", "dry_sd", "propellant_sd", "drag_sd"):
            v = getattr(self, k)
            if not (math.isfinite(v) and 0 <= v < 0.34):
                raise InvalidInput(f"{k} must be a relative standard deviation in [0, 0.34), not {v}")
        if self.payload_kg is not None:
            lo, hi = self.payload_kg
            if not (0 < lo <= hi):
                raise InvalidInput(f"payload interval must satisfy 0 < min ≤ max, not {lo}–{hi} kg")


def _truncnorm(rng: np.random.Generator, sd: float, size: int) -> np.ndarray:
    return 1.0 + sd * np.clip(rng.standard_normal(size), -3.0, 3.0)


def draw(vehicle: Vehicle, spread: Spread,
         seeds: list[np.random.SeedSequence]) -> tuple[VehicleArrays, dict[str, np.ndarray]]:
    """Vehicles for the given per-sample seeds, and the drawn factors (–) and payloads (kg)."""
    n = len(seeds)
    va = VehicleArrays.from_vehicle(vehicle, n)
    s = va.prop.shape[1]
    isp = np.empty((n, s))
    dry = np.empty((n, s))
    prop = np.empty((n, s))
    drag = np.empty(n)
    payload = np.empty(n)
    for i, ss in enumerate(seeds):
        rng = np.random.default_rng(ss)
        isp[i] = _truncnorm(rng, spread.isp_sd, s)
        dry[i] = _truncnorm(rng, spread.dry_sd, s)
        prop[i] = _truncnorm(rng, spread.propellant_sd, s)
        drag[i] = _truncnorm(rng, spread.drag_sd, 1)[0]
        payload[i] = rng.uniform(*spread.payload_kg) if spread.payload_kg else vehicle.payload_kg
    va.isp_vac = va.isp_vac * isp
    va.dry = va.dry * dry
    va.mdot = va.mdot * prop  # burn time kept: a larger load burns at a higher rate
    va.prop = va.prop * prop
    va.cd_scale = va.cd_scale * drag
    va.payload = payload
    return va, {"isp_factor": isp, "dry_factor": dry, "propellant_factor": prop, "drag_factor": drag,
                "payload_kg": payload}


@dataclass(frozen=True)
class _Task:
    vehicle_json: str
    spread: Spread
    seed: int
    start: int
    stop: int
    center_kick_deg: float
    launch: tuple[float, float, float]
    earth: EarthModel
    half_width_deg: float
    threads: int = 0
    bias_deg: float = 0.0


def _run_chunk(task: _Task) -> dict[str, np.ndarray]:
    vehicle = Vehicle.model_validate_json(task.vehicle_json, context={DERIVED: True})
    children = np.random.SeedSequence(task.seed).spawn(task.stop)[task.start:task.stop]
    va, drawn = draw(vehicle, task.spread, children)
    c = task.center_kick_deg
    lo = np.full(va.n, max(c - task.half_width_deg, KICK_MIN_DEG))
    hi = np.full(va.n, min(c + 0.8 * task.half_width_deg, KICK_MAX_DEG))
    opt = replace(MC_OPTIONS, threads=task.threads)
    mm = golden_max_many(va, Launch(*task.launch), lo, hi, iters=12, earth=task.earth, options=opt,
                         bias_deg=task.bias_deg)
    out = {"sample": np.arange(task.start, task.stop), "range_km": mm.range_m / 1e3, "kick_deg": mm.kick_deg,
           "converged": mm.converged, "apogee_km": mm.apogee_m / 1e3, "flight_time_s": mm.t_impact,
           "payload_kg": drawn["payload_kg"], "drag_factor": drawn["drag_factor"]}
    for k in range(va.prop.shape[1]):
        for key in ("isp_factor", "dry_factor", "propellant_factor"):
            out[f"{key}_{k + 1}"] = drawn[key][:, k]
    return out


@dataclass
class MonteCarloResult:
    """Summary of a Monte Carlo run (ranges in km)."""

    n: int
    seed: int
    percentiles_km: dict[str, float]
    mean_km: float
    std_km: float
    failed: int
    nominal_range_km: float
    nominal_kick_deg: float
    spread: Spread
    parquet_dir: str | None
    chunks_resumed: int
    ranges_km: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    global_reach: int = 0
    nominal_bias_deg: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, kg, –)."""
        sp = asdict(self.spread)
        return {"n": self.n, "seed": self.seed, "p5_km": self.percentiles_km["p5"],
                "p50_km": self.percentiles_km["p50"], "p95_km": self.percentiles_km["p95"],
                "mean_km": self.mean_km, "std_km": self.std_km, "failed": self.failed,
                "nominal_range_km": self.nominal_range_km, "nominal_kick_deg": self.nominal_kick_deg,
                "inputs": sp, "parquet_dir": self.parquet_dir, "chunks_resumed": self.chunks_resumed,
                "global_reach": self.global_reach, "nominal_bias_deg": self.nominal_bias_deg,
                "method": ("per-sample maximum range over the pitch-over, the thrust tilt held at the nominal's "
                           f"optimum; samples at or beyond {GLOBAL_REACH_KM:,.0f} km count as global reach; per-run "
                           "seeds from SeedSequence(seed)")}


def montecarlo(vehicle: Vehicle, n: int, seed: int = 0, *, spread: Spread | None = None,
               launch: Launch | None = None, earth: EarthModel = WGS84, workers: int = 1,
               scheduler: str | None = None, out_dir: Path | None = None, chunk_size: int = 500,
               half_width_deg: float = 15.0,
               progress: Callable[[int, int], None] | None = None) -> MonteCarloResult:
    """Run ``n`` samples (see module docstring); write Parquet parts under ``out_dir`` when given (resuming
    parts already there for the same inputs)."""
    if not (isinstance(n, int) and n >= 1):
        raise InvalidInput(f"n must be a positive number of samples, not {n}")
    if n > 10_000_000:
        raise InvalidInput("n above 10,000,000 is not supported in one run")
    if not (0 <= seed < 2**63):
        raise InvalidInput(f"seed must be a non-negative integer, not {seed}")
    spread = spread or Spread()
    spread.check()
    launch = launch or Launch()
    vehicle.check_liftoff()
    nominal = max_range(vehicle, launch, earth=earth, options=MC_OPTIONS)
    center = nominal.guidance.kick_deg
    lau = (float(launch.lat_deg), float(launch.lon_deg), float(launch.azimuth_deg))
    vjson = vehicle.model_dump_json()
    # Processes share the cores: one thread of the fused loop each (in one process it uses them all).
    threads = 1 if (workers > 1 or scheduler) else 0
    tilt = nominal.guidance.bias_deg  # the nominal's thrust tilt, held fixed in every sample's pitch-over search
    tasks = [_Task(vjson, spread, seed, a, min(a + chunk_size, n), center, lau, earth, half_width_deg, threads,
                   tilt) for a in range(0, n, chunk_size)]
    parts: dict[int, dict[str, np.ndarray]] = {}
    resumed = 0
    if out_dir is not None:
        out_dir = Path(out_dir)
        key = hashlib.sha256(json.dumps({"v": vjson, "s": asdict(spread), "seed": seed, "n": n, "chunk": chunk_size,
                                         "launch": lau, "earth": earth.name, "hw": half_width_deg,
                                         "tilt": tilt},
                                        sort_keys=True, default=str).encode()).hexdigest()[:16]
        out_dir.mkdir(parents=True, exist_ok=True)
        manifest = out_dir / "manifest.json"
        if manifest.exists():
            old = json.loads(manifest.read_text())
            if old.get("key") != key:
                raise InvalidInput(f"{out_dir} holds a different Monte Carlo run (other inputs); choose another "
                                   "--out folder or delete it")
        else:
            manifest.write_text(json.dumps({"key": key, "n": n, "seed": seed, "chunk_size": chunk_size}, indent=1))
        for i in range(len(tasks)):
            f = out_dir / f"part-{i:05d}.parquet"
            if f.exists():
                parts[i] = _read_part(f)
                resumed += 1
    todo = [i for i in range(len(tasks)) if i not in parts]
    done_before = len(parts)

    def prog(k: int, total: int) -> None:
        if progress:
            progress(done_before + k, len(tasks))

    if progress and done_before:
        progress(done_before, len(tasks))
    for j, res in run_tasks(_run_chunk, [tasks[i] for i in todo], workers=workers, scheduler=scheduler,
                            progress=prog):
        i = todo[j]
        parts[i] = res
        if out_dir is not None:
            _write_part(out_dir / f"part-{i:05d}.parquet", res)
    rng = np.concatenate([parts[i]["range_km"] for i in range(len(tasks))])
    ok = np.isfinite(rng)
    good = rng[ok]
    pct = {f"p{q}": float(np.percentile(good, q)) if good.size else math.nan for q in (5, 50, 95)}
    glob = int((good >= GLOBAL_REACH_KM).sum())
    return MonteCarloResult(n=n, seed=seed, percentiles_km=pct, mean_km=float(good.mean()) if good.size else math.nan,
                            std_km=float(good.std()) if good.size else math.nan, failed=int((~ok).sum()),
                            nominal_range_km=nominal.flight.range_km, nominal_kick_deg=center, spread=spread,
                            parquet_dir=str(out_dir) if out_dir is not None else None, chunks_resumed=resumed,
                            ranges_km=rng, global_reach=glob, nominal_bias_deg=tilt)


def _write_part(path: Path, cols: dict[str, np.ndarray]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.table({k: np.asarray(v) for k, v in cols.items()}), tmp)
    tmp.replace(path)  # atomic: a killed run never leaves a half-written part


def _read_part(path: Path) -> dict[str, np.ndarray]:
    import pyarrow.parquet as pq

    t = pq.read_table(path)
    return {c: t.column(c).to_numpy() for c in t.column_names}


__all__ = ["Guidance", "MonteCarloResult", "Spread", "draw", "montecarlo"]
