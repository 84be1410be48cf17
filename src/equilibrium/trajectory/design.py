"""Design questions: convert a lofted test to a standard range, and size a motor for a range.

Units: km, kg, s and degrees as the names say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from equilibrium.errors import InvalidInput
from equilibrium.trajectory.analyses import (
    GLOBAL_REACH_KM,
    Guidance,
    NotConverged,
    _eval,
    fly,
    max_range,
    max_range_shaped,
)
from equilibrium.trajectory.atmosphere import Atmosphere
from equilibrium.trajectory.earth import WGS84, EarthModel
from equilibrium.trajectory.engine import Launch, VehicleArrays
from equilibrium.trajectory.kepler import LoftStandard, loft_to_standard
from equilibrium.trajectory.templates import Template
from equilibrium.trajectory.vehicle import DEFAULT_KICK_S, DEFAULT_VERTICAL_S, Vehicle


@dataclass
class LoftFit:
    """A lofted observation fitted with a template and converted to a standard (range-maximising) trajectory."""

    observed: dict[str, float]
    template: str
    fitted_payload_kg: float
    fitted_kick_deg: float
    modelled: dict[str, float]
    residuals_pct: dict[str, float]
    standard_range_km: float | None
    standard: dict[str, Any] | None
    vehicle: Vehicle
    fit: str = "scale"
    scale: float = 1.0
    global_reach: bool = False
    standard_raw_km: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, s, kg, deg, %)."""
        return {"observed": self.observed, "template": self.template, "fit": self.fit, "scale": self.scale,
                "fitted_payload_kg": self.fitted_payload_kg,
                "fitted_kick_deg": self.fitted_kick_deg, "modelled": self.modelled,
                "residuals_pct": self.residuals_pct, "standard_range_km": self.standard_range_km,
                "global_reach": self.global_reach, "standard": self.standard,
                "method": ("template vehicle's motor scale (or payload) fitted so that a flight lofted to the "
                           "observed apogee has the observed ground range (flight time is the independent check); "
                           "standard range = maximum range of the same vehicle and payload over the pitch-over")}


def _check_obs(apogee_km: float, range_km: float, time_s: float | None) -> None:
    for name, v in (("apogee_km", apogee_km), ("range_km", range_km)):
        if not (math.isfinite(v) and v > 0):
            raise InvalidInput(f"{name} must be a positive number, not {v}")
    if time_s is not None and not (math.isfinite(time_s) and time_s > 0):
        raise InvalidInput(f"time_s must be a positive number, not {time_s}")


def loft_fit(template: Template, apogee_km: float, range_km: float, time_s: float | None = None, *,
             fit: str = "scale", payload_kg: float | None = None, bias_deg: float = 0.0,
             launch: Launch | None = None, burn_factor: float = 1.0, standard_launch: Launch | None = None,
             standard_earth: EarthModel | None = None,
             earth: EarthModel = WGS84, atmosphere: Atmosphere | None = None) -> LoftFit:
    """Fit ``template`` to a lofted flight (apogee km, ground range km, flight time s) and return the standard
    range (km) of the fitted vehicle.

    ``fit="scale"`` (default) multiplies every stage mass by one factor (the motor's size) carrying ``payload_kg``
    (kg; default the template's payload); ``fit="payload"`` keeps the motor and fits the payload. For each trial
    vehicle the pitch-over is solved so that the apogee matches; the free parameter is then solved so that the
    ground range matches; the flight time is the independent check (its residual is reported). Raises
    :class:`NotConverged` when no vehicle of the family reproduces the observation. ``burn_factor`` (–) multiplies
    every stage's burn time of the template (the same propellant burned faster or slower: the thrust-to-weight
    ratio changes inversely). The standard range is flown from ``standard_launch`` on ``standard_earth`` (default:
    the test's launch and Earth).
    """
    _check_obs(apogee_km, range_km, time_s)
    if fit not in ("scale", "payload"):
        raise InvalidInput(f"fit must be 'scale' or 'payload', not {fit!r}")
    if not (math.isfinite(burn_factor) and 0.05 <= burn_factor <= 20.0):
        raise InvalidInput(f"burn_factor must lie in [0.05, 20], not {burn_factor}")
    launch = launch or Launch()
    base = template.vehicle(payload_kg=payload_kg)
    if burn_factor != 1.0:
        base = base.with_burn_factor(burn_factor)

    def arrays(x: np.ndarray) -> VehicleArrays:
        if fit == "payload":
            va = VehicleArrays.from_vehicle(base, len(x))
            va.payload = base.payload_kg * x
            return va
        return VehicleArrays.concat([VehicleArrays.from_vehicle(base.scaled(float(f))) for f in x])

    # Two unknowns (log of the fitted factor, pitch-over) and two equations (apogee, ground range): a coarse
    # grid for the starting point, then Newton's method with finite-difference Jacobians (3 flights a step).
    def resid(lx: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        va = arrays(np.exp(lx))
        res = _eval(va, launch, k[:, None], bias_deg, earth, atmosphere, None, DEFAULT_VERTICAL_S, DEFAULT_KICK_S)
        ok = res.status == 0
        r = np.stack([np.where(ok, res.apogee_m / 1e3 / apogee_km - 1.0, np.nan),
                      np.where(ok, (res.downrange_m / 1e3 - range_km) / max(range_km, 100.0), np.nan)])
        return r, np.where(ok, res.t_impact, np.nan), np.where(ok, res.apogee_m / 1e3, np.nan)

    span = (np.log(0.05), np.log(20.0)) if fit == "scale" else (np.log(0.02), np.log(8.0))
    gx, gk = np.meshgrid(np.linspace(*span, 14), np.concatenate([[0.05], np.geomspace(0.5, 60.0, 13)]))
    r, _, _ = resid(gx.ravel(), gk.ravel())
    cost = np.where(np.isfinite(r).all(axis=0), (r * r).sum(axis=0), np.inf)
    if not np.isfinite(cost).any():
        raise NotConverged(f"no vehicle of the {template.id} family tried reaches the observation")
    j = int(np.argmin(cost))
    lx, kk = float(gx.ravel()[j]), float(gk.ravel()[j])
    converged = False
    for _ in range(25):
        h_x, h_k = 1e-3, max(1e-3, 1e-3 * kk)
        r3, _, _ = resid(np.array([lx, lx + h_x, lx]), np.array([kk, kk, kk + h_k]))
        f0 = r3[:, 0]
        if not np.isfinite(r3).all():
            break
        if np.abs(f0).max() < 1e-5:
            converged = True
            break
        jac = np.column_stack([(r3[:, 1] - f0) / h_x, (r3[:, 2] - f0) / h_k])
        try:
            step = np.linalg.solve(jac, -f0)
        except np.linalg.LinAlgError:
            break
        # Damped step: stay within the search box and keep the pitch-over positive.
        for damp in (1.0, 0.5, 0.25, 0.125, 0.0625):
            nx = float(np.clip(lx + damp * step[0], *span))
            nk = float(np.clip(kk + damp * step[1], 0.01, 89.0))
            rn, _, _ = resid(np.array([nx]), np.array([nk]))
            if np.isfinite(rn).all() and np.abs(rn[:, 0]).max() < np.abs(f0).max():
                lx, kk = nx, nk
                break
        else:
            break
    final, tof, apo = resid(np.array([lx]), np.array([kk]))
    if not (np.isfinite(final).all() and np.abs(final).max() < 2e-3):
        what = "motor scale" if fit == "scale" else "payload"
        raise NotConverged(f"no {what} of the {template.id} template reproduces an apogee of {apogee_km:,.0f} km "
                           f"and a ground range of {range_km:,.0f} km (best: apogee residual "
                           f"{100 * final[0, 0]:+.1f} %, range residual {100 * final[1, 0]:+.1f} %): the observation "
                           "is unreachable for this vehicle family")
    xf = float(np.exp(lx))
    k2 = np.array([kk])
    va_f = arrays(np.array([xf]))
    res_f = _eval(va_f, launch, k2[:, None], bias_deg, earth, atmosphere, None, DEFAULT_VERTICAL_S, DEFAULT_KICK_S)
    r2, t2, a2 = res_f.downrange_m / 1e3, res_f.t_impact, res_f.apogee_m / 1e3
    del converged, tof, apo
    vehicle = base.with_payload(base.payload_kg * xf) if fit == "payload" else base.scaled(xf)
    modelled = {"apogee_km": float(a2[0]), "range_km": float(r2[0]), "flight_time_s": float(t2[0]),
                "launch_mass_kg": vehicle.launch_mass_kg}
    residuals = {"apogee": 100 * (modelled["apogee_km"] - apogee_km) / apogee_km,
                 "range": 100 * (modelled["range_km"] - range_km) / range_km}
    if time_s is not None:
        residuals["flight_time"] = 100 * (modelled["flight_time_s"] - time_s) / time_s
    observed = {"apogee_km": apogee_km, "range_km": range_km}
    if time_s is not None:
        observed["flight_time_s"] = time_s
    try:
        std = max_range(vehicle, standard_launch or launch, earth=standard_earth or earth, atmosphere=atmosphere)
    except NotConverged as exc:
        if "no trajectory impacted" not in str(exc):
            raise
        std = None  # every standard flight goes into orbit: global reach
    glob = std is None or std.flight.range_km >= GLOBAL_REACH_KM
    return LoftFit(observed=observed, template=template.id, fitted_payload_kg=vehicle.payload_kg,
                   fitted_kick_deg=float(k2[0]), modelled=modelled, residuals_pct=residuals,
                   standard_range_km=None if glob or std is None else std.flight.range_km,
                   standard=std.to_dict() if std is not None else None, vehicle=vehicle,
                   fit=fit, scale=xf if fit == "scale" else 1.0, global_reach=glob,
                   standard_raw_km=std.flight.range_km if std is not None else None)


@dataclass
class Sizing:
    """A template scaled so that its maximum range with the payload equals the required range."""

    range_km: float
    payload_kg: float
    template: str
    scale: float
    launch_mass_kg: float
    propellant_mass_kg: float
    diameter_m: float
    length_m: float | None
    achieved_range_km: float
    vehicle: Vehicle
    reference: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, kg, m)."""
        return {"range_km": self.range_km, "payload_kg": self.payload_kg, "template": self.template,
                "scale": self.scale, "launch_mass_kg": self.launch_mass_kg,
                "propellant_mass_kg": self.propellant_mass_kg, "diameter_m": self.diameter_m,
                "length_m": self.length_m, "achieved_range_km": self.achieved_range_km,
                "stages": [{"wet_mass_kg": s.wet_mass_kg, "propellant_mass_kg": s.propellant_mass_kg,
                            "burn_time_s": s.burn_s, "isp_s": s.isp_s, "isp_reference": s.isp_reference}
                           for s in self.vehicle.stages],
                "reference": self.reference,
                "method": ("every stage mass of the template multiplied by one factor at fixed burn times (thrust "
                           "scales with it); diameter and length grow as factor^(1/3) at the template's density "
                           "and proportions; factor found so that the maximum range equals the requirement")}


def scale_for_range(base: Vehicle, range_km: float, *, launch: Launch | None = None, earth: EarthModel = WGS84,
                    atmosphere: Atmosphere | None = None, label: str = "the vehicle") -> float:
    """The factor (–) by which every stage mass of ``base`` (burn times fixed) must be multiplied so that its
    maximum range is ``range_km`` (km); :class:`NotConverged` when no factor in [0.02, 50] does."""
    for name, v in (("range_km", range_km), ("payload_kg", base.payload_kg)):
        if not (math.isfinite(v) and v > 0):
            raise InvalidInput(f"{name} must be a positive number, not {v}")
    if range_km >= 19_900:
        raise InvalidInput("a range of 19,900 km or more is beyond the antipode: every point is within reach")
    launch = launch or Launch()
    factors = np.geomspace(0.02, 50.0, 10)
    best: float | None = None
    for _ in range(4):
        va = VehicleArrays.concat([VehicleArrays.from_vehicle(base.scaled(float(f))) for f in factors])
        ok = np.array([_lifts(base.scaled(float(f))) for f in factors])
        mm = max_range_shaped(va, launch, earth=earth, atmosphere=atmosphere)
        r = np.where(ok & np.isfinite(mm.range_m), mm.range_m / 1e3, np.nan)
        r = np.where(r >= 19_900, np.inf, r)
        above = r >= range_km
        if not above.any():
            raise NotConverged(f"even {factors[-1]:.3g} times {label} does not reach {range_km:,.0f} km with "
                               f"{base.payload_kg:,.0f} kg")
        i = int(np.argmax(above))
        if i == 0:
            raise NotConverged(f"{label} scaled down to {factors[0]:.3g} still exceeds {range_km:,.0f} km with "
                               f"{base.payload_kg:,.0f} kg")
        f0, f1, r0, r1 = factors[i - 1], factors[i], r[i - 1], r[i]
        if np.isfinite(r0) and np.isfinite(r1) and r1 > r0:
            w = (range_km - r0) / (r1 - r0)
            best = float(np.exp(np.log(f0) + w * (np.log(f1) - np.log(f0))))
        else:
            best = float(f1)
        factors = np.geomspace(f0, f1, 10)
    assert best is not None
    return best


def size(template: Template, range_km: float, payload_kg: float, *, launch: Launch | None = None,
         earth: EarthModel = WGS84, atmosphere: Atmosphere | None = None) -> Sizing:
    """Scale ``template`` until its maximum range (km) with ``payload_kg`` (kg) is ``range_km``."""
    if not (math.isfinite(payload_kg) and payload_kg > 0):
        raise InvalidInput(f"payload_kg must be a positive number, not {payload_kg}")
    base = template.vehicle(payload_kg=payload_kg)
    ref = {"vehicle": template.reference_vehicle, "launch_mass_kg": base.launch_mass_kg,
           "sources": template.source_ids()}
    return size_vehicle(base, range_km, label=template.id, diameter_m=template.diameter.nominal,
                        length_m=template.length.nominal if template.length else None, reference=ref,
                        launch=launch, earth=earth, atmosphere=atmosphere)


def size_vehicle(base: Vehicle, range_km: float, *, label: str, diameter_m: float | None = None,
                 length_m: float | None = None, reference: dict[str, Any] | None = None,
                 launch: Launch | None = None, earth: EarthModel = WGS84,
                 atmosphere: Atmosphere | None = None) -> Sizing:
    """Scale any vehicle (its payload fixed) until its maximum range is ``range_km`` (km); dimensions (m) grow as
    the factor^(1/3) from ``diameter_m``/``length_m`` when given."""
    launch = launch or Launch()
    scale = scale_for_range(base, range_km, launch=launch, earth=earth, atmosphere=atmosphere, label=label)
    vehicle = base.scaled(scale)
    achieved = max_range(vehicle, launch, earth=earth, atmosphere=atmosphere, strict=False).flight.range_km
    d0 = diameter_m if diameter_m is not None else max(base.diameters_m())
    return Sizing(range_km=range_km, payload_kg=base.payload_kg, template=label, scale=scale,
                  launch_mass_kg=vehicle.launch_mass_kg,
                  propellant_mass_kg=sum(s.propellant_mass_kg for s in vehicle.stages),
                  diameter_m=d0 * scale ** (1 / 3), length_m=length_m * scale ** (1 / 3) if length_m else None,
                  achieved_range_km=achieved, vehicle=vehicle,
                  reference=reference or {"vehicle": base.name or label, "launch_mass_kg": base.launch_mass_kg})


def calibrate_isp(base: Vehicle, range_km: float, *, launch: Launch | None = None, earth: EarthModel = WGS84,
                  atmosphere: Atmosphere | None = None) -> tuple[Vehicle, float]:
    """The factor (–) on every stage's specific impulse that makes ``base``'s maximum range ``range_km`` (km), and
    the vehicle with it: a template scaled to a published lift-off mass flown to its published range stands for
    the real motor's efficiency (structure, propellant, nozzle) without claiming to know them separately."""
    if not (math.isfinite(range_km) and 0 < range_km < 19_900):
        raise InvalidInput(f"range_km must be a positive number below 19,900, not {range_km}")
    launch = launch or Launch()
    lo, hi = 0.3, 1.6
    for _ in range(3):
        fs = np.linspace(lo, hi, 9)
        vs = [base.with_isp_factor(float(f)) for f in fs]
        ok = np.array([_lifts(v) for v in vs])
        va = VehicleArrays.concat([VehicleArrays.from_vehicle(v) for v in vs])
        mm = max_range_shaped(va, launch, earth=earth, atmosphere=atmosphere)
        r = np.where(ok & np.isfinite(mm.range_m), mm.range_m / 1e3, -np.inf)
        above = r >= range_km
        if not above.any() or above[0]:
            raise NotConverged(f"no specific-impulse factor in [{lo:.2f}, {hi:.2f}] gives {range_km:,.0f} km")
        i = int(np.argmax(above))
        lo, hi = float(fs[i - 1]), float(fs[i])
        r0, r1 = r[i - 1], r[i]
    f = lo + (hi - lo) * ((range_km - r0) / (r1 - r0) if np.isfinite(r0) and r1 > r0 else 1.0)
    return base.with_isp_factor(f), float(f)


def _lifts(v: Vehicle) -> bool:
    try:
        v.check_liftoff()
    except InvalidInput:
        return False
    return True


FLIGHT_TIME_TOLERANCE_PCT = 5.0
"""Largest flight-time residual (%) at which a fitted vehicle counts as consistent with a lofted observation.
Reported flight times are rounded (to the minute: ±1–2 % of a 40–55 min flight) and defined differently by the
reporting governments (launch to splash-down or to loss of tracking); 5 % allows for both. When no member of the
template band meets it, the observations are flagged as inconsistent with that vehicle family and the band is
reported over every member."""


@dataclass
class LoftBand:
    """The template fit of a lofted test repeated over plausible burn times: ``members`` (one row per burn-time
    factor: lift-off thrust-to-weight, burn time s, launch mass kg, standard range km or global reach, flight-time
    residual %), the band of standard ranges (km) over the members consistent with the observed flight time (or
    over all, flagged, when none is), ``global_reach`` when a member of the band reaches orbit or near the
    antipode, and the rule used."""

    template: str
    members: list[dict[str, Any]]
    low_km: float | None
    high_km: float | None
    global_reach: bool
    nominal: LoftFit | None
    inconsistent_observations: bool
    thrust_to_weight_span: tuple[float, float]
    rule: str
    fits: list[LoftFit]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, –, %)."""
        return {"template": self.template, "members": self.members, "low_km": self.low_km, "high_km": self.high_km,
                "global_reach": self.global_reach,
                "nominal_km": self.nominal.standard_range_km if self.nominal is not None else None,
                "inconsistent_observations": self.inconsistent_observations,
                "thrust_to_weight_span": list(self.thrust_to_weight_span), "rule": self.rule}


def template_tw_span() -> tuple[float, float]:
    """Lift-off thrust-to-weight ratios (–), lowest and highest, of the sourced templates as published: the span of
    real ballistic missiles the band of burn times is drawn from (Titan II ≈ 1.3 to a Minuteman-derived two-stage
    solid ≈ 2.9)."""
    from equilibrium.trajectory.templates import templates

    tws = [t.vehicle().liftoff_tw() for t in templates().values()]
    return min(tws), max(tws)


def loft_band(template: Template, apogee_km: float, range_km: float, time_s: float | None = None, *,
              members: int = 4, launch: Launch | None = None, earth: EarthModel = WGS84,
              standard_launch: Launch | None = None, standard_earth: EarthModel | None = None,
              atmosphere: Atmosphere | None = None) -> LoftBand:
    """Fit ``template`` to a lofted test (apogee km, ground range km, flight time s) at burn times giving
    ``members`` lift-off thrust-to-weight ratios across the span of the sourced templates
    (:func:`template_tw_span`), plus the template's own, each with :func:`loft_fit`, and report the band of
    standard ranges (km).

    The observation (apogee and range) fixes the motor's size for a given burn time but barely constrains the burn
    time itself; the flight-time residual is the only check. Members whose residual is within
    :data:`FLIGHT_TIME_TOLERANCE_PCT` are consistent and make the band; with none, the band covers all members and
    ``inconsistent_observations`` is set. Members that cannot reproduce the observation are listed with their
    reason and left out of the band.
    """
    tw_lo, tw_hi = template_tw_span()
    tw0 = template.vehicle().liftoff_tw()
    targets = list(np.linspace(tw_lo, tw_hi, members))
    if min(abs(t - tw0) for t in targets) > 0.05:
        targets.append(tw0)  # the template as published is always a member
    fits: list[LoftFit] = []
    rows: list[dict[str, Any]] = []
    nominal: LoftFit | None = None
    for tw in sorted(targets):
        f = 1.0 if abs(tw - tw0) <= 0.05 else float(tw0 / tw)
        try:
            fit = loft_fit(template, apogee_km, range_km, time_s, burn_factor=f, launch=launch, earth=earth,
                           standard_launch=standard_launch, standard_earth=standard_earth, atmosphere=atmosphere)
        except InvalidInput as exc:
            rows.append({"burn_factor": f, "liftoff_tw": float(tw), "burn_time_s": None, "launch_mass_kg": None,
                         "standard_range_km": None, "global_reach": False, "flight_time_residual_pct": None,
                         "consistent": False, "fitted": False, "why": str(exc)})
            continue
        fits.append(fit)
        if f == 1.0:
            nominal = fit
        res = fit.residuals_pct.get("flight_time")
        rows.append({"burn_factor": f, "liftoff_tw": float(fit.vehicle.liftoff_tw()),
                     "burn_time_s": sum(st.burn_s for st in fit.vehicle.stages),
                     "launch_mass_kg": fit.vehicle.launch_mass_kg, "standard_range_km": fit.standard_range_km,
                     "global_reach": fit.global_reach, "flight_time_residual_pct": res,
                     "consistent": res is None or abs(res) <= FLIGHT_TIME_TOLERANCE_PCT, "fitted": True,
                     "why": None})
    ok = [r for r in rows if r["fitted"]]
    if not ok:
        raise NotConverged(f"no burn time of the {template.id} template reproduces an apogee of {apogee_km:,.0f} km "
                           f"and a ground range of {range_km:,.0f} km")
    good = [r for r in ok if r["consistent"]]
    inconsistent = not good
    band = good or ok
    ranges = [float(r["standard_range_km"]) for r in band if r["standard_range_km"] is not None]
    glob = any(r["global_reach"] for r in band)
    rule = (f"members with |flight-time residual| ≤ {FLIGHT_TIME_TOLERANCE_PCT:g} % make the band; "
            + ("none does, so the band covers every fitted member and the observations are flagged as inconsistent "
               "with this vehicle family" if inconsistent else f"{len(good)} of {len(ok)} fitted members do"))
    return LoftBand(template=template.id, members=rows, low_km=min(ranges) if ranges else None,
                    high_km=None if glob or not ranges else max(ranges), global_reach=glob, nominal=nominal,
                    inconsistent_observations=inconsistent, thrust_to_weight_span=(tw_lo, tw_hi), rule=rule,
                    fits=fits)


def powered_flight(vehicle: Vehicle, launch: Launch, guidance: Guidance, *, earth: EarthModel = WGS84,
                   atmosphere: Atmosphere | None = None) -> tuple[float, float, float]:
    """Ground range (km) covered up to the last burnout, the burnout time (s) and burnout speed (m/s, inertial) of
    ``vehicle`` flown from ``launch`` with ``guidance`` (one recorded flight)."""
    fl = fly(vehicle, launch, guidance, earth=earth, atmosphere=atmosphere, record=True)
    h = fl.history
    assert h is not None
    t_bo = fl.burnout["time_s"]
    down = float(np.interp(t_bo, h["t_s"], h["downrange_km"]))
    return down, float(t_bo), float(fl.burnout["speed_m_s"])


@dataclass
class LoftConversion:
    """A lofted test converted to a standard range by two methods side by side: ``burnout`` (the burnout-speed
    method, :func:`~equilibrium.trajectory.kepler.loft_to_standard`, the headline) and ``band`` (the template fit
    over plausible burn times, :func:`loft_band`), with the powered-flight figures taken from the template's
    fitted flights, and why the headline is what it is."""

    burnout: LoftStandard
    band: LoftBand
    powered: dict[str, float]
    headline: str
    why_headline: str


def loft_convert(template: Template, apogee_km: float, range_km: float, time_s: float | None = None, *,
                 burnout_alt_band_km: tuple[float, float] = (150.0, 350.0), nominal_burnout_alt_km: float = 250.0,
                 members: int = 4, earth: EarthModel = WGS84, launch: Launch | None = None,
                 toward: Launch | None = None, atmosphere: Atmosphere | None = None) -> LoftConversion:
    """Convert a lofted test (apogee km, ground range km, flight time s) to a standard range (km) by the
    burnout-speed method over a band of burnout altitudes (km) and by the template fit over plausible burn times.

    The template's lofted and standard flights are flown on ``earth`` from ``launch`` (the test's geometry is
    rarely known: callers pass a non-rotating Earth by default). The burnout-speed method's standard range is
    non-rotating and, with ``toward`` (a launch latitude and azimuth), also on the rotating Earth toward that
    azimuth. The powered-flight ground range and duration of the lofted flight, and the powered ground range of a
    standard flight, come from the template's nominal fit (stated in ``powered``).
    """
    standard_launch, standard_earth = launch, earth
    band = loft_band(template, apogee_km, range_km, time_s, members=members, earth=earth,
                     standard_launch=standard_launch, standard_earth=standard_earth, atmosphere=atmosphere)
    nom = band.nominal or (band.fits[0] if band.fits else None)
    powered: dict[str, float] = {}
    if nom is not None:
        lofted_down, lofted_t, lofted_v = powered_flight(nom.vehicle, launch or Launch(),
                                                         Guidance(kick_deg=nom.fitted_kick_deg), earth=earth,
                                                         atmosphere=atmosphere)
        powered.update({"lofted_powered_range_km": lofted_down, "lofted_burn_time_s": lofted_t,
                        "lofted_burnout_speed_m_s": lofted_v})
        if nom.standard is not None:
            g = nom.standard["guidance"]
            std_down, _, std_v = powered_flight(
                nom.vehicle, standard_launch or Launch(), Guidance(kick_deg=g["kick_deg"], bias_deg=g["bias_deg"]),
                earth=standard_earth or earth, atmosphere=atmosphere)
            powered.update({"standard_powered_range_km": std_down, "standard_burnout_speed_m_s": std_v})
    sl = toward
    conv = loft_to_standard(apogee_km, range_km, time_s, burnout_alt_band_km=burnout_alt_band_km,
                            nominal_burnout_alt_km=nominal_burnout_alt_km,
                            powered_range_km=powered.get("lofted_powered_range_km", 0.0),
                            powered_time_s=powered.get("lofted_burn_time_s", 0.0),
                            standard_powered_range_km=powered.get("standard_powered_range_km", 0.0),
                            launch_lat_deg=float(sl.lat_deg) if sl is not None else None,
                            azimuth_deg=float(sl.azimuth_deg) if sl is not None else None)
    gain = ""
    if "standard_burnout_speed_m_s" in powered:
        gain = (f" (for the nominal {template.id} fit the standard flight burns out "
                f"{powered['standard_burnout_speed_m_s'] - powered['lofted_burnout_speed_m_s']:+,.0f} m/s faster "
                "than the lofted one)")
    why = ("The burnout-speed method is the headline: it rests only on the observed apogee and ground range and one "
           "stated assumption (the burnout altitude, shown as a band), as open-source analysts convert lofted tests; "
           "its bias is known in sign — low, because a standard flight loses less speed to gravity than a lofted "
           f"one{gain}. The template fit removes that bias but replaces it with the template's: apogee and range "
           "barely constrain the burn time and thrust-to-weight, so it is shown as a band over the plausible ones.")
    return LoftConversion(burnout=conv, band=band, powered=powered, headline="burnout-speed", why_headline=why)
