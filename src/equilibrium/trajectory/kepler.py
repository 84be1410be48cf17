"""Closed-form free flight (Keplerian ballistics) on a spherical Earth, and the burnout-speed method for lofted tests.

After burnout a ballistic missile in vacuum follows a conic section of the two-body problem; on a spherical,
non-rotating Earth its ground range, apogee and flight time follow in closed form from the burnout radius, speed
and flight-path angle. This module gives:

* :func:`free_flight` — the conic from burnout to the first descending crossing of the impact radius: central
  angle (rad), ground range (km), apogee (km), flight time (s, Kepler's equation), impact speed and angle;
* :func:`min_energy` — the longest free-flight range for a burnout speed (the minimum-energy trajectory) and the
  flight-path angle that gives it, in closed form (the minimum-energy ellipse of Lambert's problem);
* :func:`burnout_from_loft` — the analysts' burnout-speed method: the burnout speed (m/s) and angle (deg) whose
  conic from a stated burnout altitude passes through the observed apogee and lands at the observed ground range;
* :func:`loft_to_standard` — that method over a band of burnout altitudes, with the minimum-energy range of the
  speed found (the standard-trajectory free-flight range) and the flight-time residual;
* :func:`rotating_range` and :func:`max_range_rotating` — the same conic over a rotating Earth: the burnout
  velocity relative to the ground is made inertial by adding ω × r, and the Earth turns under the missile during
  the flight time.

Model: a sphere of radius :data:`R_EARTH_M` (6,371 km, the mean radius) unless stated, point-mass gravity
μ = :data:`MU_EARTH` (3.986004418e14 m³/s², WGS-84 GM), rotation ω = :data:`OMEGA_EARTH` (7.292115e-5 rad/s,
WGS-84) where rotation is asked for, no atmosphere after burnout, impulsive burnout (all the speed is given at
the burnout point). Units: SI inside (m, s, rad); the public names say km, s, deg or m/s.

Notation: ``q = v² r / μ`` is the burnout speed squared over the local circular speed squared (q = 1: circular
orbit speed, q = 2: escape speed); ``p`` the semi-latus rectum (m), ``e`` the eccentricity (–), ``a`` the semi-major
axis (m), ν the true anomaly (rad, from perigee), E the eccentric anomaly (rad).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from equilibrium.errors import InvalidInput
from equilibrium.trajectory.earth import WGS84

Array = NDArray[np.float64]

MU_EARTH = WGS84.gm
"""Gravitational parameter of the Earth (m³/s²): WGS-84 GM, 3.986004418e14."""

R_EARTH_M = 6_371_000.0
"""Radius (m) of the spherical Earth of this module: the mean radius, 6,371 km."""

OMEGA_EARTH = WGS84.omega
"""Rotation rate of the Earth (rad/s): WGS-84, 7.292115e-5."""

IMPACT, ORBITAL, ESCAPE = 0, 1, 2
"""Status codes of a free flight: 0 comes down at the impact radius; 1 bound but never comes down (perigee above
the impact radius: an orbit); 2 escapes (q ≥ 2, hyperbolic or parabolic)."""

STATUS_TEXT = {IMPACT: "impact", ORBITAL: "orbital (perigee above the impact radius: never comes down)",
               ESCAPE: "escape (burnout speed at or above escape speed)"}
"""One line per status code of :data:`IMPACT` … :data:`ESCAPE`."""

MODEL_TEXT = ("spherical Earth (radius {r:,.0f} km), point-mass gravity (mu = {mu:.10g} m^3/s^2), vacuum after "
              "burnout, impulsive burnout")


def _model_text(radius_m: float, mu: float) -> str:
    return MODEL_TEXT.format(r=radius_m / 1e3, mu=mu)


def _positive(name: str, value: float, unit: str) -> float:
    v = float(value)
    if not (math.isfinite(v) and v > 0):
        raise InvalidInput(f"{name} must be a positive number of {unit}, not {value}")
    return v


def _non_negative(name: str, value: float, unit: str) -> float:
    v = float(value)
    if not (math.isfinite(v) and v >= 0):
        raise InvalidInput(f"{name} must be a non-negative number of {unit}, not {value}")
    return v


def _positive_array(name: str, value: ArrayLike, unit: str) -> Array:
    a = np.asarray(value, dtype=float)
    bad = ~(np.isfinite(a) & (a > 0))
    if bad.any():
        x = a[bad].flat[0] if a.ndim else a
        raise InvalidInput(f"{name} must be a positive number of {unit}, not {float(x):g}")
    return a


def _check_radii(rb: Array, ri: Array) -> None:
    below = rb < ri
    if below.any():
        i = int(np.flatnonzero(below.ravel())[0])
        raise InvalidInput(f"burnout radius ({rb.ravel()[i] / 1e3:,.1f} km) must not lie below the impact radius "
                           f"({ri.ravel()[i] / 1e3:,.1f} km)")


def _radius(radius_m: float | None, ri: Array) -> float:
    """The sphere radius (m) on which ground ranges are measured: ``radius_m``, else the (single) impact radius."""
    if radius_m is not None:
        return _positive("radius_m", radius_m, "m")
    if ri.size and np.ptp(ri) != 0:
        raise InvalidInput("give radius_m when the impact radii r_impact_m differ")
    return float(ri.flat[0]) if ri.size else R_EARTH_M


# --------------------------------------------------------------------------------------------------------------
# Free flight from a burnout state
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FreeFlight:
    """The conic from burnout to the first descending crossing of the impact radius (arrays, broadcast shape of
    the inputs; NaN where ``status`` is not :data:`IMPACT`).

    ``central_angle_rad`` angle at the Earth's centre from burnout to impact (rad); ``range_km`` ground range on
    the sphere of radius ``radius_m`` (km); ``apogee_km`` highest point of the arc above that sphere (km; the
    burnout altitude when burnout is past apogee); ``flight_time_s`` burnout to impact (s); ``impact_speed_m_s``
    (m/s) and ``impact_gamma_deg`` flight-path angle at impact (deg, negative: descending); ``eccentricity`` (–,
    defined for every status); ``status`` codes :data:`IMPACT` … :data:`ESCAPE`.
    """

    central_angle_rad: Array
    range_km: Array
    apogee_km: Array
    flight_time_s: Array
    impact_speed_m_s: Array
    impact_gamma_deg: Array
    eccentricity: Array
    status: NDArray[np.int8]
    radius_m: float = R_EARTH_M

    @property
    def ok(self) -> NDArray[np.bool_]:
        """Where the flight comes down at the impact radius (status :data:`IMPACT`)."""
        out: NDArray[np.bool_] = self.status == IMPACT
        return out


def free_flight(v_m_s: ArrayLike, gamma_deg: ArrayLike, r_burnout_m: ArrayLike, r_impact_m: ArrayLike = R_EARTH_M,
                mu: float = MU_EARTH, *, radius_m: float | None = None) -> FreeFlight:
    """Closed-form free flight from burnout at radius ``r_burnout_m`` (m from the Earth's centre) with speed
    ``v_m_s`` (m/s, inertial) and flight-path angle ``gamma_deg`` (deg above the local horizontal, in (−90°, 90°))
    to the first descending crossing of radius ``r_impact_m`` (m), under point-mass gravity ``mu`` (m³/s²).

    Vectorised: the inputs broadcast. The central angle (rad) follows from the true anomalies at burnout and at
    impact (orbit equation r = p / (1 + e cos ν)); the ground range (km) is that angle on a sphere of radius
    ``radius_m`` (m; default ``r_impact_m``); the flight time (s) from Kepler's equation M = E − e sin E with the
    eccentric anomalies taken from the state (e cos E = 1 − r/a, e sin E = r·v / √(μa)), exact for every bound
    arc. A burnout on the impact radius that is descending (or at apogee) is its own impact: range and time 0.
    Burnout at or above escape speed (:data:`ESCAPE`) and a bound orbit whose perigee lies above the impact
    radius (:data:`ORBITAL`) are flagged in ``status`` with NaN results, not raised. Raises
    :class:`InvalidInput` for a non-positive speed, radius or ``mu``, a burnout radius below the impact radius, or
    an angle outside (−90°, 90°) (a vertical flight has no ground range).
    """
    v = _positive_array("burnout speed v_m_s", v_m_s, "m/s")
    g = np.asarray(gamma_deg, dtype=float)
    if not np.all(np.isfinite(g) & (np.abs(g) < 90.0)):
        bad = g[~(np.isfinite(g) & (np.abs(g) < 90.0))].flat[0] if g.ndim else g
        raise InvalidInput(f"flight-path angle gamma_deg must lie strictly between -90 and 90 deg, not {float(bad):g}")
    rb = _positive_array("burnout radius r_burnout_m", r_burnout_m, "m")
    ri = _positive_array("impact radius r_impact_m", r_impact_m, "m")
    mu = _positive("mu", mu, "m^3/s^2")
    v, g, rb, ri = np.broadcast_arrays(v, g, rb, ri)
    _check_radii(rb, ri)
    radius = _radius(radius_m, ri)

    gam = np.radians(g)
    cg, sg = np.cos(gam), np.sin(gam)
    q = v * v * rb / mu
    p = rb * q * cg * cg  # semi-latus rectum h²/μ (m)
    inv_a = (2.0 - q) / rb  # 1/a (1/m); ≤ 0 at or above escape speed
    e2 = 1.0 - q * (2.0 - q) * cg * cg
    e2 = np.maximum(e2, 0.0)
    ecc = np.sqrt(e2)
    xi = p / ri - 1.0  # e cos ν at the impact radius
    bound = q < 2.0
    status = np.full(v.shape, IMPACT, dtype=np.int8)
    status = np.where(~bound, ESCAPE, status)
    status = np.where(bound & (xi > ecc), ORBITAL, status).astype(np.int8)
    ok = status == IMPACT
    # Burnout on the impact radius, descending or at apogee: the burnout point is the first descending crossing.
    at_impact = (rb == ri) & ((sg < 0.0) | ((sg == 0.0) & (q <= 1.0)))

    with np.errstate(invalid="ignore", divide="ignore"):
        nu_b = np.arctan2(q * cg * sg, q * cg * cg - 1.0)
        nu_i = np.arctan2(-np.sqrt(np.maximum(e2 - xi * xi, 0.0)), xi)
        phi = np.mod(nu_i - nu_b, 2.0 * np.pi)
        # Eccentric anomalies (e cos E, e sin E) straight from the state: no division by e.
        sq = np.sqrt(np.where(bound, inv_a / mu, np.nan))
        ecb, esb = q - 1.0, rb * v * sg * sq
        eci = 1.0 - ri * inv_a
        esi = -np.sqrt(np.maximum(e2 - eci * eci, 0.0))
        d_e = np.mod(np.arctan2(esi, eci) - np.arctan2(esb, ecb), 2.0 * np.pi)
        phi = np.where(at_impact, 0.0, phi)
        d_e = np.where(at_impact, 0.0, d_e)
        tof = np.where(at_impact, 0.0, (d_e - (esi - esb)) / np.sqrt(mu * inv_a ** 3))
        a = 1.0 / inv_a
        r_top = np.where(sg >= 0.0, a * (1.0 + ecc), rb)
        vi = np.sqrt(mu * (2.0 / ri - inv_a))
        cgi = np.clip(rb * v * cg / (ri * vi), -1.0, 1.0)
        gi = -np.degrees(np.arccos(cgi))

    def nan_off(x: Array) -> Array:
        out: Array = np.where(ok, x, np.nan)
        return out

    return FreeFlight(central_angle_rad=nan_off(phi), range_km=nan_off(phi * radius / 1e3),
                      apogee_km=nan_off((r_top - radius) / 1e3), flight_time_s=nan_off(tof),
                      impact_speed_m_s=nan_off(vi), impact_gamma_deg=nan_off(gi), eccentricity=ecc,
                      status=status, radius_m=radius)


# --------------------------------------------------------------------------------------------------------------
# Minimum-energy (maximum-range) trajectory for a burnout speed
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MinEnergy:
    """The longest free flight for a burnout speed (arrays, broadcast shape of the inputs).

    ``central_angle_rad`` (rad) and ``range_km`` (km on the sphere of radius ``radius_m``) of the
    minimum-energy trajectory, ``gamma_deg`` the burnout flight-path angle that gives it (deg), ``flight_time_s``
    (s) and ``apogee_km`` (km) of that trajectory; NaN where ``global_reach``. ``q`` = v² r_b / μ (–).
    ``orbital``: q ≥ 1, the speed of a circular orbit at burnout or more. ``global_reach``: the optimum central
    angle reaches π — the range is half the circumference or more and every point of the sphere is reachable, so
    no maximum range is reported (this happens slightly below q = 1 when burnout is above the impact radius).
    """

    central_angle_rad: Array
    range_km: Array
    gamma_deg: Array
    flight_time_s: Array
    apogee_km: Array
    q: Array
    orbital: NDArray[np.bool_]
    global_reach: NDArray[np.bool_]
    radius_m: float = R_EARTH_M


def min_energy(v_m_s: ArrayLike, r_burnout_m: ArrayLike, r_impact_m: ArrayLike = R_EARTH_M, mu: float = MU_EARTH,
               *, radius_m: float | None = None) -> MinEnergy:
    """Maximum free-flight range (km) for burnout speed ``v_m_s`` (m/s) at radius ``r_burnout_m`` (m) down to
    radius ``r_impact_m`` (m), gravity ``mu`` (m³/s²), over the flight-path angle; vectorised.

    Closed form: for a fixed speed the semi-major axis is fixed, a = r_b / (2 − q); the longest reachable
    central angle Φ is the one for which this ellipse is the minimum-energy ellipse of Lambert's problem, whose
    semi-major axis is half the semi-perimeter s = (r_b + r_i + c) / 2 of the triangle (centre, burnout, impact)
    with chord c. Hence s = 2 r_b / (2 − q), c = 2s − r_b − r_i and c² = (r_b − r_i)² + 4 r_b r_i sin²(Φ/2). For
    equal radii this is Φ = 2 arcsin(q / (2 − q)) with the optimum angle γ* = (π − Φ) / 4. The optimum angle in
    general follows from the Lagrange coefficients of that ellipse: tan γ* = (r_i cos Φ − r_b + c) / (r_i sin Φ).
    ``orbital`` (q ≥ 1) and ``global_reach`` (Φ ≥ π) are flagged, not raised; ranges are NaN where
    ``global_reach``. The ground range is Φ on the sphere of radius ``radius_m`` (m; default ``r_impact_m``).
    """
    v = _positive_array("burnout speed v_m_s", v_m_s, "m/s")
    rb = _positive_array("burnout radius r_burnout_m", r_burnout_m, "m")
    ri = _positive_array("impact radius r_impact_m", r_impact_m, "m")
    mu = _positive("mu", mu, "m^3/s^2")
    v, rb, ri = np.broadcast_arrays(v, rb, ri)
    _check_radii(rb, ri)
    radius = _radius(radius_m, ri)
    q = v * v * rb / mu
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(q < 2.0, 2.0 * rb / (2.0 - q), np.inf)
        c = 2.0 * s - rb - ri
        glob = c >= rb + ri
        sin2 = (c * c - (rb - ri) ** 2) / (4.0 * rb * ri)
        phi = 2.0 * np.arcsin(np.sqrt(np.clip(sin2, 0.0, 1.0)))
        gam = np.arctan2(ri * np.cos(phi) - rb + c, ri * np.sin(phi))
    good = ~glob
    phi = np.where(good, phi, np.nan)
    gam_deg = np.where(good, np.degrees(gam), np.nan)
    tof = np.full(v.shape, np.nan)
    apo = np.full(v.shape, np.nan)
    if good.any():
        ff = free_flight(v[good], gam_deg[good], rb[good], ri[good], mu, radius_m=radius)
        tof[good] = ff.flight_time_s
        apo[good] = ff.apogee_km
    return MinEnergy(central_angle_rad=phi, range_km=phi * radius / 1e3, gamma_deg=gam_deg, flight_time_s=tof,
                     apogee_km=apo, q=q, orbital=np.asarray(q >= 1.0), global_reach=np.asarray(glob),
                     radius_m=radius)


def min_energy_equal_radii(v_m_s: float, r_m: float, mu: float = MU_EARTH) -> tuple[float, float]:
    """Textbook closed form for burnout and impact at the same radius ``r_m`` (m): the minimum-energy central angle
    Φ = 2 arcsin(q / (2 − q)) (rad) and its burnout angle γ* = (π − Φ) / 4 (deg), q = v² r / μ for speed
    ``v_m_s`` (m/s), gravity ``mu`` (m³/s²). Raises :class:`InvalidInput` when q ≥ 1 (global reach)."""
    v = _positive("burnout speed v_m_s", v_m_s, "m/s")
    r = _positive("radius r_m", r_m, "m")
    q = v * v * r / _positive("mu", mu, "m^3/s^2")
    if q >= 1.0:
        raise InvalidInput(f"burnout speed {v:,.0f} m/s is orbital at radius {r / 1e3:,.0f} km (q = {q:.3f} >= 1): "
                           "every point is within reach, there is no minimum-energy range")
    phi = 2.0 * math.asin(q / (2.0 - q))
    return phi, math.degrees(0.25 * (math.pi - phi))


# --------------------------------------------------------------------------------------------------------------
# The burnout-speed method for lofted tests
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoftBurnout:
    """Burnout state (non-rotating sphere) whose conic reproduces an observed lofted flight.

    ``burnout_alt_km`` (km, stated), ``speed_m_s`` burnout speed (m/s), ``gamma_deg`` burnout flight-path angle
    (deg), ``eccentricity`` (–), ``burnout_to_apogee_deg`` central angle from burnout to apogee (deg),
    ``free_flight_range_km`` (km) and ``free_flight_time_s`` (s) burnout to impact, ``powered_range_km`` (km) and
    ``powered_time_s`` (s) the stated powered-flight ground range and duration, ``flight_time_s`` modelled total
    (s) = powered + free flight; ``flight_time_residual_s`` (s) and ``flight_time_residual_pct`` (%) = modelled −
    observed, None when no flight time was observed; ``implied_powered_time_s`` (s) = observed flight time − modelled
    free-flight time, the burn time that would close the residual (None without an observed time; negative or
    implausibly short values mark observations that this conic cannot reconcile).
    """

    burnout_alt_km: float
    speed_m_s: float
    gamma_deg: float
    eccentricity: float
    burnout_to_apogee_deg: float
    free_flight_range_km: float
    free_flight_time_s: float
    powered_range_km: float
    powered_time_s: float
    flight_time_s: float
    flight_time_residual_s: float | None
    flight_time_residual_pct: float | None
    implied_powered_time_s: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, s, deg, m/s, %)."""
        return dict(self.__dict__)


def burnout_from_loft(apogee_km: float, ground_range_km: float, burnout_alt_km: float, *,
                      powered_range_km: float = 0.0, powered_time_s: float = 0.0,
                      flight_time_s: float | None = None, radius_m: float = R_EARTH_M,
                      mu: float = MU_EARTH) -> LoftBurnout:
    """Burnout speed (m/s) and flight-path angle (deg) at ``burnout_alt_km`` (km above the sphere) whose conic
    passes through the observed apogee ``apogee_km`` (km) and comes down at the observed ``ground_range_km`` (km)
    less the stated powered-flight ground range ``powered_range_km`` (km; launch to burnout).

    Non-rotating sphere of radius ``radius_m`` (m), gravity ``mu`` (m³/s²); burnout is taken on the ascending
    branch (before apogee). With ψ_b and ψ_i the central angles from burnout to apogee and from apogee to impact
    and k = r_apogee / r, the orbit equation gives 1 − cos ψ = (k − 1)(1 − e) / e for each end; ψ_b + ψ_i equals
    the free-flight central angle, one equation in the eccentricity e, monotonic, solved by Brent's method. The
    modelled flight time is ``powered_time_s`` (s, stated: the burn time to burnout) plus the Keplerian free-flight
    time; its residual against ``flight_time_s`` (s, observed) is reported, not fitted — the rule for an
    observation that the conic cannot meet is to report the residual and keep the apogee and range fit.
    Raises :class:`InvalidInput` when the inputs are unphysical or no ellipse fits (apogee not above the burnout
    altitude, a powered range at or beyond the ground range, a free-flight arc of half the circumference or more).
    """
    apo = _positive("apogee_km", apogee_km, "km")
    rng = _positive("ground_range_km", ground_range_km, "km")
    h_b = _non_negative("burnout_alt_km", burnout_alt_km, "km")
    pr = _non_negative("powered_range_km", powered_range_km, "km")
    pt = _non_negative("powered_time_s", powered_time_s, "s")
    if flight_time_s is not None:
        _positive("flight_time_s", flight_time_s, "s")
    radius = _positive("radius_m", radius_m, "m")
    mu = _positive("mu", mu, "m^3/s^2")
    if apo <= h_b:
        raise InvalidInput(f"apogee ({apo:,.0f} km) must lie above the burnout altitude ({h_b:,.0f} km): no ballistic "
                           "arc from that burnout reaches it")
    if pr >= rng:
        raise InvalidInput(f"powered-flight range ({pr:,.0f} km) must be less than the ground range "
                           f"({rng:,.0f} km)")
    phi = (rng - pr) * 1e3 / radius
    rb = radius + h_b * 1e3
    ri = radius
    ra = radius + apo * 1e3
    kb, ki = ra / rb, ra / ri

    def psi(k: float, one_minus_e: float) -> float:
        e = 1.0 - one_minus_e
        x = (k - 1.0) * one_minus_e / (2.0 * e)  # sin²(ψ/2)
        return 2.0 * math.asin(math.sqrt(min(max(x, 0.0), 1.0)))

    # 1 − e ranges from 0 (radial ellipse: zero range) to the value at which the apogee-to-impact angle is π.
    ome_max = 2.0 / (ki + 1.0)

    def f(ome: float) -> float:
        return psi(kb, ome) + psi(ki, ome) - phi

    if phi >= math.pi or f(ome_max) <= 0.0:
        raise InvalidInput(f"no ellipse from a burnout at {h_b:,.0f} km through an apogee of {apo:,.0f} km comes down "
                           f"{rng - pr:,.0f} km from burnout: the free-flight arc would exceed half the circumference")
    from scipy.optimize import brentq  # local: scipy.optimize takes ~0.5 s to import

    ome = float(brentq(f, 0.0, ome_max, xtol=1e-16, rtol=4.0 * np.finfo(float).eps, maxiter=200))
    e = 1.0 - ome
    a = ra / (1.0 + e)
    v = math.sqrt(mu * (2.0 / rb - 1.0 / a))
    psi_b = psi(kb, ome)
    # Flight-path angle from the orbit equation: tan γ = e sin ν / (1 + e cos ν), ν = π − ψ_b.
    gamma = math.degrees(math.atan2(e * math.sin(psi_b), 1.0 - e * math.cos(psi_b)))
    ff = free_flight(v, gamma, rb, ri, mu, radius_m=radius)
    t_ff = float(ff.flight_time_s)
    total = pt + t_ff
    res_s = res_pct = implied = None
    if flight_time_s is not None:
        res_s = total - float(flight_time_s)
        res_pct = 100.0 * res_s / float(flight_time_s)
        implied = float(flight_time_s) - t_ff
    return LoftBurnout(burnout_alt_km=h_b, speed_m_s=v, gamma_deg=gamma, eccentricity=e,
                       burnout_to_apogee_deg=math.degrees(psi_b), free_flight_range_km=float(ff.range_km),
                       free_flight_time_s=t_ff, powered_range_km=pr, powered_time_s=pt, flight_time_s=total,
                       flight_time_residual_s=res_s, flight_time_residual_pct=res_pct,
                       implied_powered_time_s=implied)


# --------------------------------------------------------------------------------------------------------------
# Rotating Earth
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RotatingFlight:
    """A free flight over the rotating sphere.

    ``range_km`` great-circle distance (km) on the sphere from the burnout sub-point to the impact point (both
    Earth-fixed), ``downrange_km`` the same, negative when the impact lies behind the launch azimuth;
    ``impact_lat_deg``/``impact_lon_deg`` (deg, geocentric, Earth-fixed; burnout at ``lon_deg``);
    ``flight_time_s`` (s); ``inertial_speed_m_s`` (m/s) and ``inertial_gamma_deg`` (deg) of the burnout velocity
    after adding ω × r; ``status`` one of :data:`IMPACT` … :data:`ESCAPE` (NaN results when not an impact).
    """

    range_km: float
    downrange_km: float
    impact_lat_deg: float
    impact_lon_deg: float
    flight_time_s: float
    inertial_speed_m_s: float
    inertial_gamma_deg: float
    status: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, deg, s, m/s); NaN as None."""
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in self.__dict__.items()}


def _enu(lat: float, lon: float) -> tuple[Array, Array, Array]:
    cl, sl, co, so = math.cos(lat), math.sin(lat), math.cos(lon), math.sin(lon)
    up = np.array([cl * co, cl * so, sl])
    east = np.array([-so, co, 0.0])
    north = np.array([-sl * co, -sl * so, cl])
    return east, north, up


def rotating_range(v_rel_m_s: float, gamma_rel_deg: float, azimuth_deg: float, lat_deg: float,
                   burnout_alt_m: float, *, lon_deg: float = 0.0, radius_m: float = R_EARTH_M,
                   mu: float = MU_EARTH, omega: float = OMEGA_EARTH) -> RotatingFlight:
    """Free-flight range (km) over a rotating spherical Earth for a burnout velocity given relative to the ground.

    Burnout at geocentric latitude ``lat_deg`` (deg), longitude ``lon_deg`` (deg) and ``burnout_alt_m`` (m above
    the sphere of radius ``radius_m``, m); speed ``v_rel_m_s`` (m/s), flight-path angle ``gamma_rel_deg`` (deg
    above the local horizontal) and azimuth ``azimuth_deg`` (deg clockwise from north), all relative to the
    rotating Earth. The inertial velocity is v_rel + ω × r (ω = ``omega`` rad/s about the polar axis); the
    inertial conic (gravity ``mu`` m³/s²) is propagated in closed form (:func:`free_flight`) to the sphere; the
    impact point is then turned back by ω·t (t the flight time, s) into the Earth-fixed frame and the range is
    the great-circle distance from the burnout sub-point. Sphere, point-mass gravity, no atmosphere.
    """
    v_rel = _positive("v_rel_m_s", v_rel_m_s, "m/s")
    gam = float(gamma_rel_deg)
    if not (math.isfinite(gam) and abs(gam) < 90.0):
        raise InvalidInput(f"flight-path angle gamma_rel_deg must lie strictly between -90 and 90 deg, not {gam:g}")
    for name, val, lim in (("lat_deg", lat_deg, 90.0), ("lon_deg", lon_deg, 360.0),
                           ("azimuth_deg", azimuth_deg, 360.0)):
        if not (math.isfinite(float(val)) and abs(float(val)) <= lim):
            raise InvalidInput(f"{name} must be a finite number of degrees within ±{lim:g}, not {val}")
    h = _non_negative("burnout_alt_m", burnout_alt_m, "m")
    radius = _positive("radius_m", radius_m, "m")
    omega = float(omega)
    if not math.isfinite(omega):
        raise InvalidInput(f"omega must be a finite number of rad/s, not {omega}")
    lat, lon, az, g = (math.radians(float(x)) for x in (lat_deg, lon_deg, azimuth_deg, gam))
    east, north, up = _enu(lat, lon)
    rb = radius + h
    r_vec = rb * up
    horiz = math.sin(az) * east + math.cos(az) * north
    v_vec = v_rel * (math.cos(g) * horiz + math.sin(g) * up) + np.cross([0.0, 0.0, omega], r_vec)
    v_in = float(np.linalg.norm(v_vec))
    g_in = math.degrees(math.asin(max(-1.0, min(1.0, float(np.dot(v_vec, up)) / v_in))))
    ff = free_flight(v_in, g_in, rb, radius, mu, radius_m=radius)
    status = int(ff.status)
    if status != IMPACT:
        nan = math.nan
        return RotatingFlight(range_km=nan, downrange_km=nan, impact_lat_deg=nan, impact_lon_deg=nan,
                              flight_time_s=nan, inertial_speed_m_s=v_in, inertial_gamma_deg=g_in, status=status)
    phi = float(ff.central_angle_rad)
    t = float(ff.flight_time_s)
    hv = np.cross(r_vec, v_vec)
    along = np.cross(hv, up)
    along /= np.linalg.norm(along)
    imp = math.cos(phi) * up + math.sin(phi) * along  # inertial unit vector of the impact point
    th = omega * t  # the Earth has turned by ω t: Earth-fixed = rotation by −ω t about z
    c, s = math.cos(th), math.sin(th)
    fixed = np.array([c * imp[0] + s * imp[1], -s * imp[0] + c * imp[1], imp[2]])
    ang = math.atan2(float(np.linalg.norm(np.cross(up, fixed))), float(np.dot(up, fixed)))
    fwd = float(np.dot(fixed, horiz))
    ilat = math.degrees(math.asin(max(-1.0, min(1.0, float(fixed[2])))))
    ilon = math.degrees(math.atan2(float(fixed[1]), float(fixed[0])))
    rng = ang * radius / 1e3
    return RotatingFlight(range_km=rng, downrange_km=rng if fwd >= 0.0 else -rng, impact_lat_deg=ilat,
                          impact_lon_deg=ilon, flight_time_s=t, inertial_speed_m_s=v_in, inertial_gamma_deg=g_in,
                          status=IMPACT)


@dataclass(frozen=True)
class RotatingMax:
    """Longest range over the burnout flight-path angle on the rotating sphere: ``range_km`` (km; NaN when
    ``global_reach``), ``gamma_rel_deg`` (deg, relative to the ground) and the best ``flight``
    (:class:`RotatingFlight`); ``global_reach`` when some angle gives an orbit, an escape or a range of half the
    circumference or more (every point reachable: no maximum is reported)."""

    range_km: float
    gamma_rel_deg: float
    flight: RotatingFlight | None
    global_reach: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, deg, s, m/s); NaN as None."""
        return {"range_km": None if not math.isfinite(self.range_km) else self.range_km,
                "gamma_rel_deg": None if not math.isfinite(self.gamma_rel_deg) else self.gamma_rel_deg,
                "global_reach": self.global_reach,
                "flight": self.flight.to_dict() if self.flight is not None else None}


def max_range_rotating(v_rel_m_s: float, lat_deg: float, azimuth_deg: float, burnout_alt_m: float, *,
                       radius_m: float = R_EARTH_M, mu: float = MU_EARTH, omega: float = OMEGA_EARTH,
                       global_fraction: float = 0.999) -> RotatingMax:
    """Maximum downrange (km) over the flight-path angle for burnout speed ``v_rel_m_s`` (m/s, relative to the
    ground) at ``burnout_alt_m`` (m), latitude ``lat_deg`` (deg) and azimuth ``azimuth_deg`` (deg from north),
    over the rotating sphere of :func:`rotating_range`. A 2°-step scan of γ in (0°, 90°) brackets the best angle,
    then Brent's bounded search refines it (to 1e-6 deg). ``global_reach`` (no maximum reported) when an angle of
    the scan or the optimum gives no impact (orbital or escaping) or a range of at least ``global_fraction`` (–)
    of half the circumference.
    """
    half = math.pi * _positive("radius_m", radius_m, "m") / 1e3

    def rr(gam: float) -> RotatingFlight:
        return rotating_range(v_rel_m_s, gam, azimuth_deg, lat_deg, burnout_alt_m, radius_m=radius_m, mu=mu,
                              omega=omega)

    grid = np.linspace(1.0, 89.0, 45)
    flights = [rr(float(gm)) for gm in grid]
    rng = np.array([fl.downrange_km if fl.status == IMPACT else np.inf for fl in flights])
    if not np.all(np.isfinite(rng)) or rng.max() >= global_fraction * half:
        return RotatingMax(range_km=math.nan, gamma_rel_deg=math.nan, flight=None, global_reach=True)
    j = int(np.argmax(rng))
    lo, hi = float(grid[max(j - 1, 0)]), float(grid[min(j + 1, len(grid) - 1)])
    lo, hi = max(lo, 1e-3), min(hi, 90.0 - 1e-3)
    from scipy.optimize import minimize_scalar  # local: scipy.optimize takes ~0.5 s to import

    res = minimize_scalar(lambda x: -rr(float(x)).downrange_km, bounds=(lo, hi), method="bounded",
                          options={"xatol": 1e-6})
    best_g = float(res.x) if -float(res.fun) >= rng[j] else float(grid[j])
    best = rr(best_g)
    if best.status != IMPACT or best.downrange_km >= global_fraction * half:
        return RotatingMax(range_km=math.nan, gamma_rel_deg=math.nan, flight=None, global_reach=True)
    return RotatingMax(range_km=best.downrange_km, gamma_rel_deg=best_g, flight=best, global_reach=False)


# --------------------------------------------------------------------------------------------------------------
# Lofted test → standard range over a band of burnout altitudes
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoftStandardRow:
    """One burnout altitude of :func:`loft_to_standard`.

    ``loft`` the burnout state fitted to the observation (:class:`LoftBurnout`); ``min_energy_gamma_deg`` (deg)
    and ``free_flight_range_km`` (km, non-rotating) of the minimum-energy trajectory for that speed from that
    altitude; ``standard_range_km`` (km) = free flight + the stated standard powered-flight range;
    ``rotating`` (:class:`RotatingMax`, when a latitude and azimuth were given) the same speed over the rotating
    Earth; ``orbital`` (q ≥ 1) and ``global_reach`` (range ≥ half the circumference) flags — ranges None then.
    """

    loft: LoftBurnout
    min_energy_gamma_deg: float | None
    min_energy_flight_time_s: float | None
    free_flight_range_km: float | None
    standard_range_km: float | None
    orbital: bool
    global_reach: bool
    rotating: RotatingMax | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, s, deg, m/s, %)."""
        out: dict[str, Any] = {"burnout_alt_km": self.loft.burnout_alt_km, "burnout_speed_m_s": self.loft.speed_m_s,
                               "burnout_gamma_deg": self.loft.gamma_deg, "loft": self.loft.to_dict(),
                               "min_energy_gamma_deg": self.min_energy_gamma_deg,
                               "min_energy_flight_time_s": self.min_energy_flight_time_s,
                               "free_flight_range_km": self.free_flight_range_km,
                               "standard_range_km": self.standard_range_km,
                               "orbital": self.orbital, "global_reach": self.global_reach,
                               "flight_time_residual_pct": self.loft.flight_time_residual_pct}
        if self.rotating is not None:
            out["rotating"] = self.rotating.to_dict()
        return out


@dataclass(frozen=True)
class LoftStandard:
    """The burnout-speed conversion of a lofted test over a band of burnout altitudes.

    ``observed`` (apogee_km, ground_range_km, flight_time_s), ``rows`` one :class:`LoftStandardRow` per burnout
    altitude (ascending km), ``nominal`` the row at the nominal altitude, ``standard_range_band_km`` (low, high; km,
    None when any row has global reach), ``assumptions`` the stated parameters and model (one line each).
    """

    observed: dict[str, float | None]
    rows: tuple[LoftStandardRow, ...]
    nominal: LoftStandardRow
    standard_range_band_km: tuple[float, float] | None
    global_reach: bool
    assumptions: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (km, s, deg, m/s, %)."""
        band = list(self.standard_range_band_km) if self.standard_range_band_km is not None else None
        return {"method": "burnout speed (impulsive burnout, Keplerian free flight, minimum-energy standard "
                          "trajectory)",
                "observed": self.observed, "nominal": self.nominal.to_dict(),
                "rows": [r.to_dict() for r in self.rows], "standard_range_band_km": band,
                "global_reach": self.global_reach, "assumptions": self.assumptions}


def loft_to_standard(apogee_km: float, ground_range_km: float, flight_time_s: float | None = None, *,
                     burnout_alt_band_km: tuple[float, float] = (150.0, 350.0),
                     nominal_burnout_alt_km: float = 250.0, powered_range_km: float = 0.0,
                     powered_time_s: float = 0.0, standard_powered_range_km: float = 0.0,
                     launch_lat_deg: float | None = None, azimuth_deg: float | None = None,
                     radius_m: float = R_EARTH_M, mu: float = MU_EARTH,
                     omega: float = OMEGA_EARTH) -> LoftStandard:
    """Convert a lofted test (apogee ``apogee_km`` km, ground range ``ground_range_km`` km, flight time
    ``flight_time_s`` s) to a standard range (km) by the burnout-speed method, for the burnout altitudes
    ``burnout_alt_band_km`` (low, high; km) and ``nominal_burnout_alt_km`` (km).

    For each altitude: the burnout speed (m/s) and angle (deg) of the lofted arc (:func:`burnout_from_loft`, with
    the lofted flight's stated powered-flight ground range ``powered_range_km`` km and duration
    ``powered_time_s`` s), then the minimum-energy free-flight range (km) of that speed from that altitude on a
    non-rotating sphere (:func:`min_energy`), plus the stated powered-flight ground range of the standard
    trajectory ``standard_powered_range_km`` (km; the caller may take it from a template flight). With
    ``launch_lat_deg`` and ``azimuth_deg`` (deg) the same speed is also flown over the rotating Earth
    (:func:`max_range_rotating`; burnout point at the launch latitude, speed taken relative to the ground).
    Results with global reach (orbital speed or half the circumference) carry the flag and no range. The method
    assumes an impulsive burnout: the gravity losses of a standard flight differ from those of the lofted one,
    which biases the standard range low.
    """
    lo, hi = (float(x) for x in burnout_alt_band_km)
    nom = float(nominal_burnout_alt_km)
    for name, val in (("burnout_alt_band_km low", lo), ("burnout_alt_band_km high", hi),
                      ("nominal_burnout_alt_km", nom)):
        _non_negative(name, val, "km")
    if not lo <= nom <= hi:
        raise InvalidInput(f"nominal burnout altitude {nom:g} km must lie within the band [{lo:g}, {hi:g}] km")
    spr = _non_negative("standard_powered_range_km", standard_powered_range_km, "km")
    if (launch_lat_deg is None) != (azimuth_deg is None):
        raise InvalidInput("give both launch_lat_deg and azimuth_deg for the rotating-Earth range, or neither")
    alts = sorted({lo, nom, hi})
    rows: list[LoftStandardRow] = []
    for h in alts:
        fit = burnout_from_loft(apogee_km, ground_range_km, h, powered_range_km=powered_range_km,
                                powered_time_s=powered_time_s, flight_time_s=flight_time_s, radius_m=radius_m,
                                mu=mu)
        me = min_energy(fit.speed_m_s, radius_m + h * 1e3, radius_m, mu, radius_m=radius_m)
        glob = bool(me.global_reach)
        rng = None if glob else float(me.range_km)
        rot = None
        if launch_lat_deg is not None and azimuth_deg is not None:
            rot = max_range_rotating(fit.speed_m_s, launch_lat_deg, azimuth_deg, h * 1e3, radius_m=radius_m,
                                     mu=mu, omega=omega)
        rows.append(LoftStandardRow(
            loft=fit, min_energy_gamma_deg=None if glob else float(me.gamma_deg),
            min_energy_flight_time_s=None if glob else float(me.flight_time_s), free_flight_range_km=rng,
            standard_range_km=None if rng is None else rng + spr, orbital=bool(me.orbital), global_reach=glob,
            rotating=rot))
    nominal = rows[alts.index(nom)]
    any_glob = any(r.global_reach for r in rows)
    ranges = [r.standard_range_km for r in rows if r.standard_range_km is not None]
    band = None if any_glob or not ranges else (min(ranges), max(ranges))
    observed: dict[str, float | None] = {"apogee_km": float(apogee_km), "ground_range_km": float(ground_range_km),
                                         "flight_time_s": None if flight_time_s is None else float(flight_time_s)}
    assumptions: dict[str, Any] = {
        "model": _model_text(radius_m, mu),
        "rotation": ("non-rotating" if launch_lat_deg is None else
                     f"non-rotating, and rotating (omega = {omega:.7g} rad/s) from latitude {launch_lat_deg:g} deg "
                     f"toward azimuth {azimuth_deg:g} deg"),
        "burnout_alt_band_km": [lo, hi], "nominal_burnout_alt_km": nom,
        "loft_powered_range_km": float(powered_range_km), "loft_powered_time_s": float(powered_time_s),
        "standard_powered_range_km": spr,
        "flight_time_rule": ("modelled flight time = stated powered time + Keplerian free-flight time; the residual "
                             "is reported, not fitted (apogee and ground range are matched exactly)"),
        "bias": "impulsive burnout: gravity losses of a standard flight are not modelled (biased low)",
    }
    return LoftStandard(observed=observed, rows=tuple(rows), nominal=nominal, standard_range_band_km=band,
                        global_reach=any_glob, assumptions=assumptions)
