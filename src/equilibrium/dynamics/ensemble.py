"""Ensembles of the scenario model (:mod:`equilibrium.dynamics.model`) through :func:`equilibrium.ensembles.run_tasks`.

Run r of an ensemble with seed S draws everything random (its scenario parameters, its coefficient draw, its noise)
from its own generator ``default_rng(SeedSequence(S, spawn_key=(r,)))`` — the r-th child of ``SeedSequence(S)`` —
so its result does not depend on the number of workers, the scheduler or the batch size. Runs go to the executor in
batches of :data:`DEFAULT_BATCH` (each task carries ≥ 100 ms of work: a 30-year run costs about 27 µs on one core,
most of it building its own generator, so a 5,000-run task ≈ 0.14 s). With ``out_dir`` each batch is written as
soon as it is done, to ``part-NNNNN.parquet`` (long table: run, year and the outputs) and ``params-NNNNN.parquet``
(run and the drawn scenario parameters), under a ``manifest.json`` whose key fixes the inputs; a run interrupted
and started again with the same inputs reads the parts already there and computes only the missing ones.

Two scenarios run from the same seed share every random number (the draws do not depend on the scenario:
:func:`equilibrium.dynamics.model.draw_run`), so :func:`compare` reports the paired difference (common random
numbers): its spread is the spread of the scenario effect, not of the noise.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from equilibrium.dynamics.model import (
    OUTPUTS,
    PARAM_NAMES,
    Coefficients,
    Scenario,
    calibrate,
    check_years,
    load_scenario,
    simulate_seeds,
)
from equilibrium.ensembles import run_tasks
from equilibrium.errors import InvalidInput

DEFAULT_BATCH = 5000
"""Runs per executor task (about 0.14 s of work for 30-year runs, benchmarks/bench_dynamics.py: ≥ 100 ms, so the
process or Dask overhead of a few ms per task stays small)."""
MIN_RUNS = 20
"""Fewest runs of an ensemble: with fewer, the 5th and 95th percentiles are the extreme runs."""
MAX_RUNS = 10_000_000
"""Most runs of one ensemble."""
PERCENTILES = (5, 50, 95)


def run_seed(seed: int, run: int) -> np.random.SeedSequence:
    """Seed of run ``run`` of an ensemble with ``seed``: the run-th child of ``SeedSequence(seed)`` (the same
    object ``SeedSequence(seed).spawn(run + 1)[run]`` gives, built directly)."""
    return np.random.SeedSequence(seed, spawn_key=(run,))


@dataclass(frozen=True)
class _Task:
    scenario: Scenario
    coeffs: Coefficients
    seed: int
    start: int
    stop: int
    years: int


def _run_batch(task: _Task) -> dict[str, np.ndarray]:
    seeds = [run_seed(task.seed, r) for r in range(task.start, task.stop)]
    out, vals = simulate_seeds(task.coeffs, task.scenario, task.years, seeds)
    res: dict[str, np.ndarray] = {"run": np.arange(task.start, task.stop), "params": vals}
    res.update(out)
    return res


def _fan(a: np.ndarray) -> dict[str, list[float]]:
    q = np.percentile(a, PERCENTILES, axis=0)
    return {f"p{p}": [float(v) for v in q[i]] for i, p in enumerate(PERCENTILES)}


@dataclass(frozen=True)
class EnsembleResult:
    """An ensemble's fan charts: per output (:data:`~equilibrium.dynamics.model.OUTPUTS`, with units) and calendar
    year, the 5th, 50th and 95th percentiles over runs. ``outputs`` (runs, years) and ``params`` (runs,
    parameters) hold every run."""

    scenario: str
    n_runs: int
    seed: int
    years: list[int]
    batch: int
    fans: dict[str, dict[str, list[float]]]
    coefficients: str
    parquet_dir: str | None = None
    parts_resumed: int = 0
    outputs: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    params: np.ndarray = field(default_factory=lambda: np.zeros((0, len(PARAM_NAMES))), repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (fans only)."""
        return {"scenario": self.scenario, "n_runs": self.n_runs, "seed": self.seed, "years": self.years,
                "batch": self.batch, "coefficients": self.coefficients, "parquet_dir": self.parquet_dir,
                "parts_resumed": self.parts_resumed,
                "outputs": {k: {"unit_meaning": OUTPUTS[k], **self.fans[k]} for k in self.fans},
                "method": ("per-run SeedSequence children (results independent of workers and batch size); "
                           "P5/P50/P95 over runs per year")}


def _check(n_runs: int, seed: int, batch: int, years: int) -> None:
    if not (isinstance(n_runs, int | np.integer) and MIN_RUNS <= n_runs <= MAX_RUNS):
        raise InvalidInput(f"n_runs must be a whole number from {MIN_RUNS} (fewer make the 5th and 95th "
                           f"percentiles the extreme runs) to {MAX_RUNS:,}, not {n_runs!r}")
    if not (isinstance(seed, int | np.integer) and 0 <= seed < 2**63):
        raise InvalidInput(f"seed must be a non-negative integer, not {seed!r}")
    if not (isinstance(batch, int | np.integer) and batch >= 1):
        raise InvalidInput(f"batch must be a positive number of runs, not {batch!r}")
    check_years(years)


def _key(scenario: Scenario, coeffs: Coefficients, seed: int, n_runs: int, years: int, batch: int) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({"scenario": scenario.to_dict()["parameters"], "seed": seed, "n": n_runs, "years": years,
                         "batch": batch, "m0": coeffs.initial_log_milex, "base": coeffs.base_year},
                        sort_keys=True, default=str).encode())
    h.update(np.ascontiguousarray(coeffs.draws).tobytes())
    return h.hexdigest()[:16]


def run_ensemble(scenario: Scenario | str, n_runs: int, years: int = 30, seed: int = 0, workers: int = 1,
                 scheduler: str | None = None, out_dir: str | Path | None = None, batch: int = DEFAULT_BATCH, *,
                 coeffs: Coefficients | None = None, data_path: str | Path | None = None,
                 progress: Callable[[int, int], None] | None = None) -> EnsembleResult:
    """Run ``n_runs`` runs of ``scenario`` (an id, a path or a :class:`Scenario`) for ``years`` years.

    ``coeffs``: coefficient draws (default :func:`~equilibrium.dynamics.model.calibrate` on ``data_path``).
    ``workers`` / ``scheduler``: as :func:`equilibrium.ensembles.run_tasks` (``"local"`` or ``tcp://host:port``
    for Dask). ``out_dir``: write and resume Parquet parts (see the module docstring); a folder holding another
    ensemble is refused."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    _check(n_runs, seed, batch, years)
    if coeffs is None:
        coeffs = calibrate(data_path, seed=seed)
    n_runs, seed, batch = int(n_runs), int(seed), int(batch)
    tasks = [_Task(sc, coeffs, seed, a, min(a + batch, n_runs), years) for a in range(0, n_runs, batch)]
    parts: dict[int, dict[str, np.ndarray]] = {}
    resumed = 0
    out: Path | None = None
    if out_dir is not None:
        out = Path(out_dir)
        key = _key(sc, coeffs, seed, n_runs, years, batch)
        out.mkdir(parents=True, exist_ok=True)
        manifest = out / "manifest.json"
        if manifest.exists():
            try:
                old = json.loads(manifest.read_text())
            except (OSError, ValueError):
                old = {}
            if old.get("key") != key:
                raise InvalidInput(f"{out} holds a different ensemble (other inputs); choose another folder or "
                                   "delete it")
        else:
            manifest.write_text(json.dumps({"key": key, "scenario": sc.id, "n_runs": n_runs, "seed": seed,
                                            "years": years, "batch": batch, "base_year": coeffs.base_year,
                                            "parts": len(tasks), "outputs": OUTPUTS,
                                            "params": list(PARAM_NAMES)}, indent=1, ensure_ascii=False))
        for i, t in enumerate(tasks):
            f, pf = out / f"part-{i:05d}.parquet", out / f"params-{i:05d}.parquet"
            if f.exists() and pf.exists():
                got = _read_part(f, pf, t.stop - t.start, years)
                if got is not None:
                    parts[i] = got
                    resumed += 1
    todo = [i for i in range(len(tasks)) if i not in parts]
    before = len(parts)

    def prog(k: int, total: int) -> None:
        if progress:
            progress(before + k, len(tasks))

    for j, res in run_tasks(_run_batch, [tasks[i] for i in todo], workers=workers, scheduler=scheduler,
                            progress=prog):
        i = todo[j]
        parts[i] = res
        if out is not None:
            _write_part(out / f"part-{i:05d}.parquet", out / f"params-{i:05d}.parquet", res,
                        coeffs.base_year)
    outputs = {k: np.concatenate([parts[i][k] for i in range(len(tasks))]) for k in OUTPUTS}
    params = np.concatenate([parts[i]["params"] for i in range(len(tasks))])
    fans = {k: _fan(v) for k, v in outputs.items()}
    cal = [coeffs.base_year + t for t in range(1, years + 1)]
    return EnsembleResult(sc.id, n_runs, seed, cal, batch, fans, coeffs.source, str(out) if out else None, resumed,
                          outputs, params)


def _write_part(path: Path, ppath: Path, res: dict[str, np.ndarray], base_year: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    runs = res["run"]
    years = res["milex_ratio"].shape[1]
    cols: dict[str, np.ndarray] = {"run": np.repeat(runs, years),
                                   "year": np.tile(np.arange(base_year + 1, base_year + years + 1), len(runs))}
    for k in OUTPUTS:
        cols[k] = res[k].reshape(-1)
    pcols: dict[str, np.ndarray] = {"run": runs}
    for i, n in enumerate(PARAM_NAMES):
        pcols[n] = res["params"][:, i]
    for target, data in ((ppath, pcols), (path, cols)):  # the outputs last: their presence marks a finished part
        tmp = target.with_suffix(".tmp")
        pq.write_table(pa.table(data), tmp)
        tmp.replace(target)  # atomic: a killed run never leaves a half-written part


def _read_part(path: Path, ppath: Path, n: int, years: int) -> dict[str, np.ndarray] | None:
    import pyarrow.parquet as pq

    try:
        t = pq.read_table(path)
        pt = pq.read_table(ppath)
    except Exception:  # noqa: BLE001 - an unreadable part is recomputed
        return None
    if t.num_rows != n * years or pt.num_rows != n or any(k not in t.column_names for k in OUTPUTS):
        return None
    res: dict[str, np.ndarray] = {"run": pt.column("run").to_numpy()}
    for k in OUTPUTS:
        res[k] = t.column(k).to_numpy().reshape(n, years)
    res["params"] = np.column_stack([pt.column(nm).to_numpy() for nm in PARAM_NAMES])
    return res


@dataclass(frozen=True)
class Comparison:
    """Scenario B minus scenario A, run by run (common random numbers), per output and year: the 5th, 50th and
    95th percentiles of the paired difference over runs (the spread of the effect), a distribution-free 95 %
    confidence interval of its median (order statistics n/2 ∓ 1.96·√n/2: the Monte Carlo error of the median) and
    the mean difference with its 95 % interval (mean ± 1.96 standard errors; the mean of the expenditure ratio is
    dominated by the few explosive coefficient draws, read the median there)."""

    a: str
    b: str
    n_runs: int
    seed: int
    years: list[int]
    difference: dict[str, dict[str, list[float]]]
    fans_a: dict[str, dict[str, list[float]]]
    fans_b: dict[str, dict[str, list[float]]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"a": self.a, "b": self.b, "n_runs": self.n_runs, "seed": self.seed, "years": self.years,
                "difference": {k: {"unit_meaning": OUTPUTS[k], **v} for k, v in self.difference.items()},
                "fans_a": self.fans_a, "fans_b": self.fans_b,
                "method": "paired runs (same seeds: common random numbers); difference = B − A per run"}


def compare(scenario_a: Scenario | str, scenario_b: Scenario | str, n_runs: int, years: int = 30, seed: int = 0,
            workers: int = 1, scheduler: str | None = None, batch: int = DEFAULT_BATCH, *,
            coeffs: Coefficients | None = None, data_path: str | Path | None = None) -> Comparison:
    """Run both scenarios from the same seed (so run r of A and run r of B share every random number) and report
    B − A (see :class:`Comparison`)."""
    if coeffs is None:
        _check(n_runs, seed, batch, years)
        coeffs = calibrate(data_path, seed=seed)
    ra = run_ensemble(scenario_a, n_runs, years, seed, workers, scheduler, batch=batch, coeffs=coeffs)
    rb = run_ensemble(scenario_b, n_runs, years, seed, workers, scheduler, batch=batch, coeffs=coeffs)
    diff: dict[str, dict[str, list[float]]] = {}
    for k in OUTPUTS:
        d = rb.outputs[k] - ra.outputs[k]
        f = _fan(d)
        mean = d.mean(axis=0)
        se = d.std(axis=0, ddof=1) / math.sqrt(d.shape[0])
        srt = np.sort(d, axis=0)
        n = d.shape[0]
        lo_r = max(int(math.floor(n / 2 - 1.96 * math.sqrt(n) / 2)), 0)
        hi_r = min(int(math.ceil(n / 2 + 1.96 * math.sqrt(n) / 2)), n - 1)
        f["p50_lo95"] = [float(v) for v in srt[lo_r]]
        f["p50_hi95"] = [float(v) for v in srt[hi_r]]
        f["mean"] = [float(v) for v in mean]
        f["mean_lo95"] = [float(v) for v in mean - 1.96 * se]
        f["mean_hi95"] = [float(v) for v in mean + 1.96 * se]
        diff[k] = f
    return Comparison(ra.scenario, rb.scenario, ra.n_runs, seed, ra.years, diff, ra.fans, rb.fans)


__all__ = ["DEFAULT_BATCH", "MIN_RUNS", "Comparison", "EnsembleResult", "compare", "run_ensemble", "run_seed"]
