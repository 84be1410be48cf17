"""Analyses over the engine: single flights, maximum range, payload–range, constrained (lofted/depressed) flights.

Units: inputs and outputs of the public functions in km, kg, s and degrees as their names say; SI inside.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from equilibrium.errors import InvalidInput
from equilibrium.trajectory.atmosphere import Atmosphere
from equilibrium.trajectory.earth import NON_ROTATING, WGS84, EarthModel
from equilibrium.trajectory.engine import BatchResult, Launch, Options, VehicleArrays, fly_batch
from equilibrium.trajectory.vehicle import DEFAULT_KICK_S, DEFAULT_VERTICAL_S, Vehicle

Array = NDArray[np.float64]
KICK_MIN_DEG = 0.05
KICK_MAX_DEG = 89.0
"""Bounds (deg from vertical) of the pitch-over angle searched by the optimisers."""
GLOBAL_REACH_KM = 19_000.0
"""Maximum ranges (km) at or above this are reported as global reach, not as a range: 95 % of the longest geodesic
on the WGS-84 ellipsoid (about 20,004 km, launch point to antipode). Near the antipode every direction reaches
almost every point, so the range figure no longer says what can be hit; a vehicle that reaches orbit is global too."""
BIAS_GRID_DEG = (-10.0, -5.0, 0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0)
"""Thrust tilts above the air-relative velocity (deg) tried by the shaped optimiser (:func:`max_range_shaped`)
before it refines around the best one; the tilt applies after first-stage burnout (multi-stage vehicles) or after
the pitch-over (single stage), so together with the pitch-over it shapes the burnout flight-path angle."""
BIAS_MIN_DEG, BIAS_MAX_DEG = -15.0, 40.0
"""Bounds (deg) of the thrust tilt searched."""


class NotConverged(InvalidInput):
    """An optimiser or root search that could not reach its target; the message says why."""

    title = "Did not converge"


@dataclass(frozen=True)
class Guidance:
    """Guidance parameters: ``kick_deg`` pitch-over from the vertical (deg), ``bias_deg`` thrust tilt above the
    velocity after first-stage burnout (deg), ``vertical_s`` vertical rise (s), ``kick_s`` pitch-over duration (s)."""

    kick_deg: float
    bias_deg: float = 0.0
    vertical_s: float | None = DEFAULT_VERTICAL_S
    kick_s: float = DEFAULT_KICK_S

    def to_dict(self) -> dict[str, float | None]:
        """JSON-ready view (deg, s)."""
        return {"kick_deg": self.kick_deg, "bias_deg": self.bias_deg, "vertical_s": self.vertical_s,
                "kick_s": self.kick_s}


@dataclass
class Flight:
    """One flight: ``range_km``, ``apogee_km``, ``flight_time_s``, burnout state, impact point, guidance used;
    ``history`` (optional): ``t_s``, ``altitude_km``, ``downrange_km`` (along the ground track), ``speed_m_s``."""

    range_km: float
    apogee_km: float
    flight_time_s: float
    burnout: dict[str, float]
    impact: dict[str, float]
    guidance: Guidance
    launch: Launch
    earth: str
    status: str
    history: dict[str, list[float]] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, s, deg, m/s)."""
        out: dict[str, Any] = {
            "status": self.status, "range_km": self.range_km, "apogee_km": self.apogee_km,
            "flight_time_s": self.flight_time_s, "burnout": self.burnout, "impact": self.impact,
            "guidance": self.guidance.to_dict(),
            "launch": {"lat_deg": float(self.launch.lat_deg), "lon_deg": float(self.launch.lon_deg),
                       "azimuth_deg": float(self.launch.azimuth_deg)},
            "earth": self.earth, "atmosphere": "US Standard Atmosphere 1976 (ussa1976)",
        }
        if self.history is not None:
            out["history"] = self.history
        return out


_STATUS = {0: "impact", 1: "no impact (orbital or escaping)", 2: "failed (non-finite state)",
           3: "stopped (integration step limit)"}


def _flight(res: BatchResult, i: int, g: Guidance, launch: Launch, earth: EarthModel) -> Flight:
    hist = None
    if res.history is not None:
        t, st = res.history[i]
        hist = _history(t, st, launch, earth)
    return Flight(
        range_km=float(res.range_m[i] / 1e3), apogee_km=float(res.apogee_m[i] / 1e3),
        flight_time_s=float(res.t_impact[i]),
        burnout={"time_s": float(res.bo_t[i]), "altitude_km": float(res.bo_alt[i] / 1e3),
                 "speed_m_s": float(res.bo_speed[i]), "speed_rel_m_s": float(res.bo_speed_rel[i]),
                 "angle_deg": float(np.degrees(res.bo_angle[i]))},
        impact={"lat_deg": float(res.impact_lat[i]), "lon_deg": float(res.impact_lon[i]),
                "speed_m_s": float(res.impact_speed[i])},
        guidance=g, launch=launch, earth=earth.name, status=_STATUS[int(res.status[i])], history=hist)


def _history(t: Array, st: Array, launch: Launch, earth: EarthModel) -> dict[str, list[float]]:
    ecef = earth.eci_to_ecef(st[:3], t)
    lat, lon, h = earth.ecef_to_geodetic(ecef[0], ecef[1], ecef[2])
    lat0 = np.full(len(t), float(launch.lat_deg))
    lon0 = np.full(len(t), float(launch.lon_deg))
    down = earth.ground_range_m(lat0, lon0, lat, lon)
    speed = np.sqrt((st[3:] ** 2).sum(axis=0))
    return {"t_s": t.tolist(), "altitude_km": (h / 1e3).tolist(), "downrange_km": (down / 1e3).tolist(),
            "speed_m_s": speed.tolist(), "lat_deg": lat.tolist(), "lon_deg": lon.tolist()}


def _prepare(vehicle: Vehicle) -> None:
    vehicle.check_liftoff()


def fly(vehicle: Vehicle, launch: Launch | None = None, guidance: Guidance | None = None, *,
        earth: EarthModel = WGS84, atmosphere: Atmosphere | None = None, record: bool = False,
        options: Options | None = None) -> Flight:
    """Fly ``vehicle`` once from ``launch`` with ``guidance`` (default: the range-maximising pitch-over)."""
    _prepare(vehicle)
    launch = launch or Launch()
    if guidance is None:
        guidance = max_range(vehicle, launch, earth=earth, atmosphere=atmosphere).guidance
    va = VehicleArrays.from_vehicle(vehicle)
    if guidance.vertical_s is None:
        guidance = Guidance(kick_deg=guidance.kick_deg, bias_deg=guidance.bias_deg,
                            vertical_s=float(va.auto_vertical_s()[0]), kick_s=guidance.kick_s)
    opt = options or Options()
    if record:  # smooth histories: at most 10 s between recorded states
        opt = Options(**{**opt.__dict__, "record": True, "h_max_s": min(opt.h_max_s, 10.0)})
    res = fly_batch(va, launch, kick_deg=guidance.kick_deg,
                    bias_deg=guidance.bias_deg, vertical_s=guidance.vertical_s, kick_s=guidance.kick_s,
                    earth=earth, atmosphere=atmosphere, options=opt)
    return _flight(res, 0, guidance, launch, earth)


@dataclass
class ManyMax:
    """Maximum range of many vehicles: ``range_m`` (m), ``kick_deg`` (deg) realising it, ``converged`` flags,
    ``evaluations`` flights per vehicle, and the best flight's full result row ``best`` (BatchResult arrays)."""

    range_m: Array
    kick_deg: Array
    converged: NDArray[np.bool_]
    evaluations: int
    bias_deg: Array = field(default_factory=lambda: np.zeros(0))
    apogee_m: Array = field(default_factory=lambda: np.zeros(0))
    t_impact: Array = field(default_factory=lambda: np.zeros(0))
    bo_angle: Array = field(default_factory=lambda: np.zeros(0))


def _eval(va: VehicleArrays, launch: Launch, kicks: Array, bias: float | Array, earth: EarthModel,
          atmosphere: Atmosphere | None, options: Options | None, vertical_s: float | None,
          kick_s: float) -> BatchResult:
    """Fly vehicle i at kicks[i, j] for every j: a batch of n × g flights; results reshaped by the caller."""
    n, g = kicks.shape
    idx = np.repeat(np.arange(n), g)
    lau = Launch(*(np.repeat(np.broadcast_to(np.asarray(x, float), (n,)), g) for x in
                   (launch.lat_deg, launch.lon_deg, launch.azimuth_deg)))
    b = np.repeat(np.broadcast_to(np.asarray(bias, float), (n,)), g)
    return fly_batch(va.take(idx), lau, kick_deg=kicks.ravel(), bias_deg=b, vertical_s=vertical_s,
                     kick_s=kick_s, earth=earth, atmosphere=atmosphere, options=options)


def max_range_many(va: VehicleArrays, launch: Launch, *, center_deg: float | Array | None = None,
                   half_width_deg: float = 40.0, points: int = 9, rounds: int = 3, bias_deg: float | Array = 0.0,
                   earth: EarthModel = WGS84, atmosphere: Atmosphere | None = None, options: Options | None = None,
                   vertical_s: float | None = DEFAULT_VERTICAL_S, kick_s: float = DEFAULT_KICK_S) -> ManyMax:
    """Maximum ground range over the pitch-over angle for every vehicle of ``va`` (deg, m).

    Each round flies ``points`` pitch-over angles per vehicle around its current best (first round: the whole
    interval [0.05°, 89°], or ``center_deg`` ± ``half_width_deg``), then narrows the window to the best point's
    neighbours; a final parabola through the best three gives the vertex, flown once more. Every vehicle's search
    depends only on its own flights, so results do not depend on how vehicles are batched.
    ``converged`` is False where the best lies on the search bound or no flight impacted.
    """
    n = va.n
    if center_deg is None:
        lo = np.full(n, KICK_MIN_DEG)
        hi = np.full(n, KICK_MAX_DEG)
    else:
        c = np.broadcast_to(np.asarray(center_deg, float), (n,))
        lo = np.clip(c - half_width_deg, KICK_MIN_DEG, KICK_MAX_DEG)
        hi = np.clip(c + half_width_deg, KICK_MIN_DEG, KICK_MAX_DEG)
    best_r = np.full(n, -np.inf)
    best_k = np.full(n, np.nan)
    best_row: dict[str, Array] = {k: np.full(n, np.nan) for k in ("apogee_m", "t_impact", "bo_angle")}
    evals = 0
    at_bound = np.zeros(n, bool)
    ks = rs = None
    for _ in range(rounds):
        ks = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, points)[None, :]
        res = _eval(va, launch, ks, bias_deg, earth, atmosphere, options, vertical_s, kick_s)
        evals += points
        rs = np.where(res.status == 0, res.range_m, -np.inf).reshape(n, points)
        j = np.argmax(rs, axis=1)
        r = rs[np.arange(n), j]
        better = r > best_r
        best_r = np.where(better, r, best_r)
        best_k = np.where(better, ks[np.arange(n), j], best_k)
        flat = np.arange(n) * points + j
        for key in best_row:
            best_row[key] = np.where(better, getattr(res, key)[flat], best_row[key])
        step = (hi - lo) / (points - 1)
        at_bound = ((j == 0) & (lo <= KICK_MIN_DEG + 1e-9)) | ((j == points - 1) & (hi >= KICK_MAX_DEG - 1e-9))
        lo = np.clip(best_k - step, KICK_MIN_DEG, KICK_MAX_DEG)
        hi = np.clip(best_k + step, KICK_MIN_DEG, KICK_MAX_DEG)
    # Parabolic vertex through the best point of the last round and its neighbours.
    assert ks is not None and rs is not None
    j = np.clip(np.argmax(rs, axis=1), 1, points - 2)
    rows = np.arange(n)
    x0, x1, x2 = ks[rows, j - 1], ks[rows, j], ks[rows, j + 1]
    y0, y1, y2 = rs[rows, j - 1], rs[rows, j], rs[rows, j + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0)
        xv = x1 - 0.5 * ((x1 - x0) ** 2 * (y1 - y2) - (x1 - x2) ** 2 * (y1 - y0)) / den
    ok = np.isfinite(xv) & (xv > x0) & (xv < x2) & np.isfinite(y0 + y1 + y2)
    xv = np.where(ok, xv, best_k)
    res = _eval(va, launch, xv[:, None], bias_deg, earth, atmosphere, options, vertical_s, kick_s)
    evals += 1
    rv = np.where(res.status == 0, res.range_m, -np.inf)
    better = rv > best_r
    best_r = np.where(better, rv, best_r)
    best_k = np.where(better, xv, best_k)
    for key in best_row:
        best_row[key] = np.where(better, getattr(res, key), best_row[key])
    converged = np.isfinite(best_r) & ~at_bound
    best_r = np.where(np.isfinite(best_r), best_r, np.nan)
    return ManyMax(range_m=best_r, kick_deg=best_k, converged=converged, evaluations=evals,
                   bias_deg=np.broadcast_to(np.asarray(bias_deg, float), (n,)).copy(), **best_row)


def _repeat_launch(launch: Launch, n: int, g: int) -> Launch:
    """``launch`` (broadcast to n vehicles) repeated ``g`` times per vehicle (vehicle-major order)."""
    return Launch(*(np.repeat(np.broadcast_to(np.asarray(x, float), (n,)), g) for x in
                    (launch.lat_deg, launch.lon_deg, launch.azimuth_deg)))


def max_range_shaped(va: VehicleArrays, launch: Launch, *, earth: EarthModel = WGS84,
                     atmosphere: Atmosphere | None = None, options: Options | None = None,
                     vertical_s: float | None = DEFAULT_VERTICAL_S, kick_s: float = DEFAULT_KICK_S,
                     grid_deg: Sequence[float] = BIAS_GRID_DEG) -> ManyMax:
    """Maximum ground range (m) of every vehicle of ``va`` over a two-parameter pitch programme: the pitch-over
    angle (deg from vertical) and the thrust tilt above the velocity after first-stage burnout (single stage: after
    the pitch-over), which together set the burnout flight-path angle.

    The pitch-over is optimised (:func:`max_range_many`) at every tilt of ``grid_deg``; then at five tilts ±4° around
    the best, the pitch-over re-searched around its best value; the vertex of the parabola through the best three
    tilts gives the final tilt, whose pitch-over is searched once more. About 340 flights per vehicle, in one batch
    per phase; each vehicle's search depends only on its own flights. ``converged`` is False where the pitch-over
    lies on its bound or no flight impacted (a tilt on its bound is allowed and visible in ``bias_deg``).
    """
    n = va.n
    grid = np.asarray(grid_deg, float)
    g = len(grid)
    kw: dict[str, Any] = dict(earth=earth, atmosphere=atmosphere, options=options, vertical_s=vertical_s,
                              kick_s=kick_s)
    idx = np.repeat(np.arange(n), g)
    mm = max_range_many(va.take(idx), _repeat_launch(launch, n, g), bias_deg=np.tile(grid, n), **kw)
    evals = mm.evaluations * g
    r = np.where(np.isfinite(mm.range_m), mm.range_m, -np.inf).reshape(n, g)
    rows = np.arange(n)
    j = np.argmax(r, axis=1)
    b0 = grid[j]
    k0 = mm.kick_deg.reshape(n, g)[rows, j]
    k0 = np.where(np.isfinite(k0), k0, 45.0)
    # Refine: five tilts around the best, pitch-over searched near its best value.
    offs = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
    bs = np.clip(b0[:, None] + offs[None, :], BIAS_MIN_DEG, BIAS_MAX_DEG)
    idx5 = np.repeat(np.arange(n), len(offs))
    m5 = max_range_many(va.take(idx5), _repeat_launch(launch, n, len(offs)), center_deg=np.repeat(k0, len(offs)),
                        half_width_deg=8.0, points=7, rounds=2, bias_deg=bs.ravel(), **kw)
    evals += m5.evaluations * len(offs)
    r5 = np.where(np.isfinite(m5.range_m), m5.range_m, -np.inf).reshape(n, len(offs))
    k5 = m5.kick_deg.reshape(n, len(offs))
    j5 = np.clip(np.argmax(r5, axis=1), 1, len(offs) - 2)
    x0, x1, x2 = bs[rows, j5 - 1], bs[rows, j5], bs[rows, j5 + 1]
    y0, y1, y2 = r5[rows, j5 - 1], r5[rows, j5], r5[rows, j5 + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0)
        xv = x1 - 0.5 * ((x1 - x0) ** 2 * (y1 - y2) - (x1 - x2) ** 2 * (y1 - y0)) / den
    ok = np.isfinite(xv) & (xv > x0) & (xv < x2) & np.isfinite(y0 + y1 + y2)
    jb = np.argmax(r5, axis=1)
    b_best, k_best, r_best = bs[rows, jb], k5[rows, jb], r5[rows, jb]
    b_fin = np.where(ok, xv, b_best)
    k_c = np.where(np.isfinite(k_best), k_best, k0)
    mf = max_range_many(va, launch, center_deg=k_c, half_width_deg=3.0, points=7, rounds=2, bias_deg=b_fin, **kw)
    evals += mf.evaluations
    better = np.nan_to_num(mf.range_m, nan=-np.inf) >= r_best  # else keep the best of the five refined tilts

    def pick(a: NDArray[Any], b: NDArray[Any]) -> Array:
        out: Array = np.where(better, a, b)
        return out

    def row5(a: NDArray[Any]) -> NDArray[Any]:
        out: NDArray[Any] = a.reshape(n, len(offs))[rows, jb]
        return out

    return ManyMax(range_m=pick(mf.range_m, np.where(np.isfinite(r_best), r_best, np.nan)),
                   kick_deg=pick(mf.kick_deg, k_best), converged=pick(mf.converged, row5(m5.converged)).astype(bool),
                   evaluations=evals, bias_deg=pick(b_fin, b_best), apogee_m=pick(mf.apogee_m, row5(m5.apogee_m)),
                   t_impact=pick(mf.t_impact, row5(m5.t_impact)), bo_angle=pick(mf.bo_angle, row5(m5.bo_angle)))


def golden_max_many(va: VehicleArrays, launch: Launch, lo_deg: Array, hi_deg: Array, *, iters: int = 10,
                    earth: EarthModel = WGS84, atmosphere: Atmosphere | None = None, options: Options | None = None,
                    vertical_s: float | None = DEFAULT_VERTICAL_S, kick_s: float = DEFAULT_KICK_S,
                    bias_deg: float | Array = 0.0) -> ManyMax:
    """Maximum range (m) over the pitch-over in per-vehicle brackets ``[lo_deg, hi_deg]`` by golden-section search
    (robust to the range's asymmetric peak: a gentle rise on the lofted side, a cliff where flatter flights fall
    back into the atmosphere). ``iters + 2`` flights per vehicle; each vehicle's search uses only its own
    flights; ``bias_deg`` (deg) holds the thrust tilt fixed. ``converged`` is False where the best lies at a
    bracket end or no flight impacted."""
    g = (math.sqrt(5.0) - 1.0) / 2.0
    n = va.n
    lo = np.asarray(lo_deg, float).copy()
    hi = np.asarray(hi_deg, float).copy()
    kw: dict[str, Any] = dict(earth=earth, atmosphere=atmosphere, options=options, vertical_s=vertical_s,
                              kick_s=kick_s)

    def f(x: Array) -> tuple[Array, BatchResult]:
        res = _eval(va, launch, x.reshape(n, -1), bias_deg, **kw)
        return np.where(res.status == 0, res.range_m, -np.inf), res

    x1 = hi - g * (hi - lo)
    x2 = lo + g * (hi - lo)
    both, _ = f(np.column_stack([x1, x2]).ravel())
    f1, f2 = both.reshape(n, 2).T.copy()
    for _ in range(iters):
        left = f1 >= f2  # the maximum lies in [lo, x2]
        hi = np.where(left, x2, hi)
        lo = np.where(left, lo, x1)
        new_x = np.where(left, hi - g * (hi - lo), lo + g * (hi - lo))
        fn, _ = f(new_x)
        x2, f2, x1, f1 = (np.where(left, x1, new_x), np.where(left, f1, fn),
                          np.where(left, new_x, x2), np.where(left, fn, f2))
    best_k = np.where(f1 >= f2, x1, x2)
    rng, res = f(best_k)
    at_edge = (np.abs(best_k - np.asarray(lo_deg)) < 0.02) | (np.abs(best_k - np.asarray(hi_deg)) < 0.02)
    ok = np.isfinite(rng)
    return ManyMax(range_m=np.where(ok, rng, np.nan), kick_deg=best_k, converged=ok & ~at_edge,
                   evaluations=iters + 3, bias_deg=np.broadcast_to(np.asarray(bias_deg, float), (n,)).copy(),
                   apogee_m=res.apogee_m, t_impact=res.t_impact, bo_angle=res.bo_angle)


@dataclass
class MaxRange:
    """Maximum range of one vehicle: the best :class:`Flight` and how it was found."""

    flight: Flight
    converged: bool
    evaluations: int
    optimised: list[str]

    @property
    def guidance(self) -> Guidance:
        """Guidance of the best flight."""
        return self.flight.guidance

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, s, deg)."""
        d = self.flight.to_dict()
        d.update({"converged": self.converged, "evaluations": self.evaluations, "optimised": self.optimised})
        return d


def max_range(vehicle: Vehicle, launch: Launch | None = None, *, optimise_bias: bool = True,
              earth: EarthModel = WGS84, atmosphere: Atmosphere | None = None, options: Options | None = None,
              record: bool = False, vertical_s: float | None = DEFAULT_VERTICAL_S, kick_s: float = DEFAULT_KICK_S,
              strict: bool = True) -> MaxRange:
    """Greatest ground range (km) of ``vehicle`` over its guidance: the pitch-over angle and, with
    ``optimise_bias`` (default), the thrust tilt above the velocity after first-stage burnout (single stage: after
    the pitch-over) — a two-parameter pitch programme that shapes the burnout angle (:func:`max_range_shaped`).
    Raises :class:`NotConverged` (when ``strict``) if no flight impacts (e.g. the vehicle reaches orbit) or the
    optimum pitch-over lies on a search bound."""
    _prepare(vehicle)
    launch = launch or Launch()
    va = VehicleArrays.from_vehicle(vehicle)
    kw: dict[str, Any] = dict(earth=earth, atmosphere=atmosphere, options=options, vertical_s=vertical_s,
                              kick_s=kick_s)
    mm = max_range_shaped(va, launch, **kw) if optimise_bias else max_range_many(va, launch, **kw)
    optimised = ["kick_deg", "bias_deg"] if optimise_bias else ["kick_deg"]
    if not np.isfinite(mm.range_m[0]):
        if strict:
            raise NotConverged("no trajectory impacted: the vehicle reaches orbit or escapes (or never leaves the "
                               "pad) for every pitch-over angle; maximum range is undefined")
    elif strict and not mm.converged[0]:
        raise NotConverged(f"the range-maximising pitch-over lies on the search bound ({mm.kick_deg[0]:.2f}°); "
                           "the optimum is outside the guidance family searched")
    g = Guidance(kick_deg=float(mm.kick_deg[0]), bias_deg=float(mm.bias_deg[0]), vertical_s=vertical_s,
                 kick_s=kick_s)
    fl = fly(vehicle, launch, g, earth=earth, atmosphere=atmosphere, record=record, options=options)
    return MaxRange(flight=fl, converged=bool(mm.converged[0]), evaluations=mm.evaluations + 1, optimised=optimised)


@dataclass
class Geometry:
    """Maximum range (km) of one vehicle under stated launch geometries: ``stated`` (the given site and azimuth on
    the given Earth), ``non_rotating`` (same site and azimuth, the Earth not rotating: the quantity most published
    maximum ranges mean), and from the same site on the rotating Earth the ``best``/``worst`` azimuth (deg) and
    their ranges, from ``azimuths`` flown every ``360/len`` degrees (pitch-over optimised per azimuth, the tilt
    held at the stated flight's optimum)."""

    stated_km: float
    non_rotating_km: float
    azimuth_deg: list[float]
    range_km: list[float]
    best_azimuth_deg: float
    best_km: float
    worst_azimuth_deg: float
    worst_km: float
    rotation_gain_km: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, deg)."""
        return dict(self.__dict__)


def range_geometry(vehicle: Vehicle, launch: Launch, stated: MaxRange, *, n_azimuths: int = 12,
                   atmosphere: Atmosphere | None = None, options: Options | None = None,
                   rotating: EarthModel = WGS84, non_rotating: EarthModel | None = None) -> Geometry:
    """The stated maximum range ``stated`` (a :class:`MaxRange` from ``launch``) beside the non-rotating one and
    the best and worst azimuth from the same site on the rotating Earth ``rotating`` (km, deg)."""
    nr = non_rotating or NON_ROTATING
    va = VehicleArrays.from_vehicle(vehicle)
    shaped = "bias_deg" in stated.optimised
    kw: dict[str, Any] = dict(atmosphere=atmosphere, options=options)
    m_nr = max_range_shaped(va, launch, earth=nr, **kw) if shaped else max_range_many(va, launch, earth=nr, **kw)
    az = np.linspace(0.0, 360.0, n_azimuths, endpoint=False)
    lau = Launch(np.full(n_azimuths, float(launch.lat_deg)), np.full(n_azimuths, float(launch.lon_deg)), az)
    m_az = max_range_many(VehicleArrays.from_vehicle(vehicle, n_azimuths), lau, earth=rotating,
                          bias_deg=stated.guidance.bias_deg, **kw)
    r = m_az.range_m / 1e3
    ok = np.isfinite(r)
    jb = int(np.nanargmax(np.where(ok, r, -np.inf)))
    jw = int(np.nanargmin(np.where(ok, r, np.inf)))
    non_rot = float(m_nr.range_m[0] / 1e3)
    return Geometry(stated_km=stated.flight.range_km, non_rotating_km=non_rot, azimuth_deg=az.tolist(),
                    range_km=[float(x) for x in r], best_azimuth_deg=float(az[jb]), best_km=float(r[jb]),
                    worst_azimuth_deg=float(az[jw]), worst_km=float(r[jw]),
                    rotation_gain_km=stated.flight.range_km - non_rot)


def payload_range(vehicle: Vehicle, payloads_kg: Sequence[float], launch: Launch | None = None, *,
                  earth: EarthModel = WGS84, atmosphere: Atmosphere | None = None,
                  options: Options | None = None) -> list[dict[str, float | bool]]:
    """Maximum range (km) for each payload (kg): ``[{payload_kg, range_km, kick_deg, converged}]``."""
    pl = np.asarray(payloads_kg, float)
    if pl.size == 0 or not np.all(np.isfinite(pl)) or np.any(pl <= 0):
        raise InvalidInput("payloads must be positive numbers of kg")
    _prepare(vehicle.with_payload(float(pl.max())))
    launch = launch or Launch()
    va = VehicleArrays.from_vehicle(vehicle, len(pl))
    va.payload = pl.copy()
    mm = max_range_shaped(va, launch, earth=earth, atmosphere=atmosphere, options=options)
    return [{"payload_kg": float(p), "range_km": float(r / 1e3), "kick_deg": float(k), "bias_deg": float(b),
             "converged": bool(c)}
            for p, r, k, b, c in zip(pl, mm.range_m, mm.kick_deg, mm.bias_deg, mm.converged, strict=True)]


def default_payloads(vehicle: Vehicle, n: int = 9) -> list[float]:
    """Payloads (kg) from 25 % to 200 % of the vehicle's own, for payload–range tables."""
    return [round(vehicle.payload_kg * f, 1) for f in np.linspace(0.25, 2.0, n)]


def fly_constrained(vehicle: Vehicle, launch: Launch | None = None, *, apogee_km: float | None = None,
                    burnout_angle_deg: float | None = None, earth: EarthModel = WGS84,
                    atmosphere: Atmosphere | None = None, record: bool = False,
                    options: Options | None = None) -> Flight:
    """A lofted or depressed flight: the pitch-over found (bisection) so that the apogee (km) or the inertial
    burnout flight-path angle (deg) takes the given value. Raises :class:`NotConverged` if it cannot."""
    if (apogee_km is None) == (burnout_angle_deg is None):
        raise InvalidInput("give exactly one constraint: apogee_km or burnout_angle_deg")
    _prepare(vehicle)
    launch = launch or Launch()
    va = VehicleArrays.from_vehicle(vehicle)
    target = apogee_km * 1e3 if apogee_km is not None else math.radians(burnout_angle_deg or 0.0)
    key = "apogee_m" if apogee_km is not None else "bo_angle"
    kick = _solve_kick(va, launch, np.array([target]), key, earth, atmosphere, options)[0]
    if not np.isfinite(kick):
        what = f"an apogee of {apogee_km:,.0f} km" if apogee_km is not None else \
            f"a burnout angle of {burnout_angle_deg:g}°"
        raise NotConverged(f"no pitch-over between {KICK_MIN_DEG}° and {KICK_MAX_DEG}° gives {what} for this vehicle")
    return fly(vehicle, launch, Guidance(kick_deg=float(kick)), earth=earth, atmosphere=atmosphere, record=record,
               options=options)


def _solve_kick(va: VehicleArrays, launch: Launch, target: Array, key: str, earth: EarthModel,
                atmosphere: Atmosphere | None, options: Options | None, iters: int = 7,
                points: int = 9) -> Array:
    """Pitch-over (deg) per vehicle making result ``key`` (apogee_m or bo_angle, decreasing in the pitch-over)
    equal ``target``; NaN where no angle in the searched interval reaches it. Successive grids, then linear
    interpolation between the bracketing points."""
    n = va.n
    lo = np.full(n, KICK_MIN_DEG)
    hi = np.full(n, KICK_MAX_DEG)
    found = np.ones(n, bool)
    for it in range(iters):
        ks = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, points)[None, :]
        res = _eval(va, launch, ks, 0.0, earth, atmosphere, options, DEFAULT_VERTICAL_S, DEFAULT_KICK_S)
        val = getattr(res, key).reshape(n, points)
        val = np.where(res.status.reshape(n, points) == 0, val, np.nan)
        above = val >= target[:, None]  # still too lofted: the answer is at a larger pitch-over
        # first index where value drops below target
        below = ~above & np.isfinite(val)
        jb = np.where(below.any(axis=1), np.argmax(below, axis=1), points)
        if it == 0:
            found = (jb > 0) & (jb < points)
        jb = np.clip(jb, 1, points - 1)
        rows = np.arange(n)
        k0, k1 = ks[rows, jb - 1], ks[rows, jb]
        v0, v1 = val[rows, jb - 1], val[rows, jb]
        if it == iters - 1:
            with np.errstate(invalid="ignore", divide="ignore"):
                w = (v0 - target) / (v0 - v1)
            out = k0 + np.clip(np.nan_to_num(w, nan=0.5), 0, 1) * (k1 - k0)
            return np.where(found, out, np.nan)
        lo, hi = k0, k1
    return np.full(n, np.nan)  # pragma: no cover
