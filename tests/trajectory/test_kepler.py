"""Closed-form free flight and the burnout-speed method (equilibrium.trajectory.kepler): closed forms, numerical
integration of the two-body problem, round trips, the engine on a vacuum sphere, and the dev lofted cases."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.optimize import minimize_scalar

from equilibrium.errors import InvalidInput
from equilibrium.trajectory import EarthModel, Launch, Vehicle
from equilibrium.trajectory.analyses import fly_constrained
from equilibrium.trajectory.atmosphere import Atmosphere
from equilibrium.trajectory.kepler import (
    ESCAPE,
    IMPACT,
    MU_EARTH,
    ORBITAL,
    R_EARTH_M,
    burnout_from_loft,
    free_flight,
    loft_to_standard,
    max_range_rotating,
    min_energy,
    min_energy_equal_radii,
    rotating_range,
)

from .conftest import MM3

R = R_EARTH_M
MU = MU_EARTH


def _two_body(r_b: float, v: float, gamma_deg: float, r_i: float) -> tuple[float, float, float]:
    """Flight time (s), central angle (rad) and apogee radius (m) by numerical integration (DOP853, rtol 1e-13)
    of the planar two-body problem from burnout to the first descending crossing of ``r_i``."""
    g = math.radians(gamma_deg)
    y0 = [r_b, 0.0, v * math.sin(g), v * math.cos(g)]

    def rhs(_t: float, y: np.ndarray) -> list[float]:
        r3 = (y[0] ** 2 + y[1] ** 2) ** 1.5
        return [y[2], y[3], -MU * y[0] / r3, -MU * y[1] / r3]

    def hit(_t: float, y: np.ndarray) -> float:
        return float(math.hypot(y[0], y[1]) - r_i)

    hit.terminal = True  # type: ignore[attr-defined]
    hit.direction = -1  # type: ignore[attr-defined]
    sol = solve_ivp(rhs, (0.0, 1e5), y0, method="DOP853", rtol=1e-13, atol=1e-6, events=hit, dense_output=True)
    t = float(sol.t_events[0][0])
    yi = sol.y_events[0][0]
    ts = np.linspace(0.0, t, 4001)
    r_max = float(np.hypot(*sol.sol(ts)[:2]).max())
    return t, math.atan2(yi[1], yi[0]) % (2 * math.pi), r_max


# ---------------------------------------------------------------------------------------------------------------
# Closed forms
# ---------------------------------------------------------------------------------------------------------------

def test_min_energy_equal_radii_closed_form() -> None:
    # Φ = 2 arcsin(q/(2−q)), γ* = (π − Φ)/4, q = v² r/μ; both functions agree to 1e-12.
    for v in (1500.0, 3000.0, 5000.0, 7000.0, 7500.0):
        r = R + 100e3
        q = v * v * r / MU
        phi = 2 * math.asin(q / (2 - q))
        me = min_energy(v, r, r, radius_m=r)
        assert float(me.central_angle_rad) == pytest.approx(phi, rel=1e-12)
        assert float(me.gamma_deg) == pytest.approx(math.degrees((math.pi - phi) / 4), rel=1e-10)
        assert min_energy_equal_radii(v, r) == pytest.approx((phi, math.degrees((math.pi - phi) / 4)), rel=1e-12)


def test_min_energy_audit_table() -> None:
    # Audit 2026-12 "Physics": burnout at 100 km, sphere, impact at R: 521/1,108/2,022/3,408/5,576/9,412 km (±1 %).
    me = min_energy(np.array([2.0, 3.0, 4.0, 5.0, 6.0, 7.0]) * 1e3, R + 100e3, R)
    assert me.range_km == pytest.approx([521, 1108, 2022, 3408, 5576, 9412], rel=1e-2)
    assert not me.global_reach.any() and not me.orbital.any()


def test_min_energy_flags_orbital_and_global_reach() -> None:
    r_b = R + 250e3
    v_circ = math.sqrt(MU / r_b)
    me = min_energy(np.array([0.95, 0.99, 1.0, 1.2]) * v_circ, r_b, R)
    # Burnout above the impact radius: global reach from q = 2 R/(r_b + R) < 1 on, orbital from q = 1 on.
    q_glob = 2 * R / (r_b + R)
    assert list(me.orbital) == [False, False, True, True]
    assert list(me.global_reach) == [0.95**2 >= q_glob, 0.99**2 >= q_glob, True, True]
    assert np.isnan(me.range_km[me.global_reach]).all()
    assert min_energy(1.5 * v_circ, r_b, R).global_reach  # escape speed: no maximum range either


def test_free_flight_symmetric_case_mirrors() -> None:
    # Burnout and impact on the same radius: impact speed = burnout speed, angle mirrored, and the range equals the
    # equal-radius closed form tan(Φ/2) = q sin γ cos γ / (1 − q cos² γ).
    r = R + 200e3
    v = np.array([2500.0, 4000.0, 6000.0, 7000.0])
    g = np.array([15.0, 45.0, 30.0, 70.0])
    ff = free_flight(v, g, r, r, radius_m=R)
    assert (ff.status == IMPACT).all()
    assert ff.impact_speed_m_s == pytest.approx(v, rel=1e-12)
    assert ff.impact_gamma_deg == pytest.approx(-g, abs=1e-9)
    q = v * v * r / MU
    gr = np.radians(g)
    phi = 2 * np.arctan2(q * np.sin(gr) * np.cos(gr), 1 - q * np.cos(gr) ** 2)
    assert ff.central_angle_rad == pytest.approx(np.mod(phi, 2 * np.pi), rel=1e-12)
    assert ff.range_km == pytest.approx(ff.central_angle_rad * R / 1e3, rel=1e-15)


@pytest.mark.parametrize(("alt_km", "v", "gamma"), [(0.0, 3000.0, 45.0), (100.0, 5000.0, 30.0),
                                                    (250.0, 6860.0, 84.66), (250.0, 7000.0, 10.0),
                                                    (500.0, 6000.0, -5.0), (80.0, 7600.0, 22.0)])
def test_free_flight_matches_two_body_integration(alt_km: float, v: float, gamma: float) -> None:
    # Kepler's equation vs DOP853 at rtol 1e-13: flight time and central angle within 1e-6 relative, apogee 1e-6.
    r_b = R + alt_km * 1e3
    ff = free_flight(v, gamma, r_b, R)
    assert int(ff.status) == IMPACT
    t, phi, r_max = _two_body(r_b, v, gamma, R)
    assert float(ff.flight_time_s) == pytest.approx(t, rel=1e-6)
    assert float(ff.central_angle_rad) == pytest.approx(phi, rel=1e-6)
    assert float(ff.apogee_km) * 1e3 + R == pytest.approx(r_max, rel=1e-6)


def test_free_flight_flags() -> None:
    r_b = R + 300e3
    v_circ = math.sqrt(MU / r_b)
    ff = free_flight([v_circ, 1.01 * v_circ, 1.5 * v_circ, 5000.0], [0.0, 0.0, 10.0, 40.0], r_b, R)
    assert list(ff.status) == [ORBITAL, ORBITAL, ESCAPE, IMPACT]
    assert np.isnan(ff.range_km[:3]).all() and np.isfinite(ff.range_km[3])
    # Burnout on the impact radius going down (or at apogee) is its own impact point.
    own = free_flight([5000.0, 5000.0], [-10.0, 0.0], R, R)
    assert own.range_km == pytest.approx([0.0, 0.0]) and own.flight_time_s == pytest.approx([0.0, 0.0])


@settings(max_examples=60, deadline=None)
@given(alt=st.floats(0.0, 1000.0), q1=st.floats(0.02, 0.9), dq=st.floats(0.001, 0.09), gamma=st.floats(1.0, 89.0))
def test_range_grows_with_speed(alt: float, q1: float, dq: float, gamma: float) -> None:
    # Below orbital speed, both the minimum-energy range and the range at a fixed angle grow with the speed.
    r_b = R + alt * 1e3
    v1, v2 = math.sqrt(q1 * MU / r_b), math.sqrt((q1 + dq) * MU / r_b)
    m1, m2 = min_energy(v1, r_b, R), min_energy(v2, r_b, R)
    if not m2.global_reach:
        assert float(m2.range_km) > float(m1.range_km)
    f1, f2 = free_flight(v1, gamma, r_b, R), free_flight(v2, gamma, r_b, R)
    if f1.status == IMPACT and f2.status == IMPACT:
        assert float(f2.range_km) > float(f1.range_km)


@settings(max_examples=80, deadline=None)
@given(alt=st.floats(0.0, 2000.0), q=st.floats(0.02, 0.99), gamma=st.floats(-80.0, 89.5))
def test_min_energy_bounds_every_angle(alt: float, q: float, gamma: float) -> None:
    # The minimum-energy range is at least the free-flight range at any angle, and its own angle flies it.
    r_b = R + alt * 1e3
    v = math.sqrt(q * MU / r_b)
    me = min_energy(v, r_b, R)
    ff = free_flight(v, gamma, r_b, R)
    if me.global_reach:
        return
    if ff.status == IMPACT:
        assert float(ff.range_km) <= float(me.range_km) * (1 + 1e-12) + 1e-9
    best = free_flight(v, float(me.gamma_deg), r_b, R)
    assert int(best.status) == IMPACT
    assert float(best.central_angle_rad) == pytest.approx(float(me.central_angle_rad), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(("alt_km", "v"), [(0.0, 4000.0), (250.0, 6860.0), (1000.0, 5000.0), (150.0, 7500.0)])
def test_min_energy_matches_numerical_maximum(alt_km: float, v: float) -> None:
    # Closed form vs a bounded Brent maximisation of free_flight over γ (xatol 1e-9 deg): within 1e-9 relative.
    r_b = R + alt_km * 1e3
    me = min_energy(v, r_b, R)
    res = minimize_scalar(lambda g: -float(free_flight(v, g, r_b, R).range_km), bounds=(0.01, 89.9),
                          method="bounded", options={"xatol": 1e-9})
    assert -res.fun == pytest.approx(float(me.range_km), rel=1e-9)
    assert res.x == pytest.approx(float(me.gamma_deg), abs=1e-3)


# ---------------------------------------------------------------------------------------------------------------
# The burnout-speed method
# ---------------------------------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(alt=st.floats(0.0, 600.0), q=st.floats(0.1, 0.98), gamma=st.floats(20.0, 88.0),
       powered=st.floats(0.0, 100.0), burn=st.floats(0.0, 400.0))
def test_burnout_from_loft_recovers_a_known_conic(alt: float, q: float, gamma: float, powered: float,
                                                  burn: float) -> None:
    # Build a conic, observe its apogee, ground range and flight time, and recover v and γ within 1e-6.
    r_b = R + alt * 1e3
    v = math.sqrt(q * MU / r_b)
    ff = free_flight(v, gamma, r_b, R)
    if ff.status != IMPACT or float(ff.central_angle_rad) >= 0.98 * math.pi:
        return
    obs_range = float(ff.range_km) + powered
    obs_time = float(ff.flight_time_s) + burn
    fit = burnout_from_loft(float(ff.apogee_km), obs_range, alt, powered_range_km=powered, powered_time_s=burn,
                            flight_time_s=obs_time)
    assert fit.speed_m_s == pytest.approx(v, rel=1e-6)
    assert fit.gamma_deg == pytest.approx(gamma, rel=1e-6)
    assert fit.flight_time_residual_s == pytest.approx(0.0, abs=1e-6 * obs_time)
    assert fit.implied_powered_time_s == pytest.approx(burn, abs=1e-6 * obs_time)
    me_fit, me_true = min_energy(fit.speed_m_s, r_b, R), min_energy(v, r_b, R)
    if not me_true.global_reach:
        assert float(me_fit.range_km) == pytest.approx(float(me_true.range_km), rel=1e-6)


def test_burnout_method_reproduces_equal_radius_closed_form() -> None:
    # Burnout on the ground (equal radii): a lofted arc at 6 km/s, 75°; the recovered speed's minimum-energy
    # range equals R·2 arcsin(q/(2−q)) within 1e-6.
    v, gamma = 6000.0, 75.0
    ff = free_flight(v, gamma, R, R)
    fit = burnout_from_loft(float(ff.apogee_km), float(ff.range_km), 0.0, flight_time_s=float(ff.flight_time_s))
    assert fit.speed_m_s == pytest.approx(v, rel=1e-6) and fit.gamma_deg == pytest.approx(gamma, rel=1e-6)
    phi, _ = min_energy_equal_radii(fit.speed_m_s, R)
    q = v * v * R / MU
    assert phi * R / 1e3 == pytest.approx(2 * math.asin(q / (2 - q)) * R / 1e3, rel=1e-6)
    assert float(min_energy(fit.speed_m_s, R, R).range_km) == pytest.approx(phi * R / 1e3, rel=1e-12)


@pytest.mark.slow
def test_burnout_from_loft_on_the_engine() -> None:
    # Minuteman III lofted to 3,000 km on a non-rotating vacuum sphere: the engine's burnout altitude, apogee,
    # ground range and powered-flight range give back the engine's burnout speed and angle (≤ 0.5 %; in fact the
    # integrator's tolerance, ~1e-5) and its coast time (≤ 0.5 s).
    sphere = EarthModel.sphere()
    fl = fly_constrained(Vehicle.model_validate(MM3), Launch(0.0, 0.0, 90.0), apogee_km=3000.0, earth=sphere,
                         atmosphere=Atmosphere(enabled=False), record=True)
    assert fl.history is not None
    bo = fl.burnout
    powered = float(np.interp(bo["time_s"], fl.history["t_s"], fl.history["downrange_km"]))
    fit = burnout_from_loft(fl.apogee_km, fl.range_km, bo["altitude_km"], powered_range_km=powered,
                            powered_time_s=bo["time_s"], flight_time_s=fl.flight_time_s, radius_m=sphere.a,
                            mu=sphere.gm)
    assert fit.speed_m_s == pytest.approx(bo["speed_m_s"], rel=5e-3)
    assert fit.speed_m_s == pytest.approx(bo["speed_m_s"], rel=1e-4)
    assert fit.gamma_deg == pytest.approx(bo["angle_deg"], rel=1e-3)
    assert fit.flight_time_residual_s == pytest.approx(0.0, abs=0.5)


# ---------------------------------------------------------------------------------------------------------------
# Dev lofted cases (shared validation file): Hwasong-15, 29 Nov 2017; Hwasong-14, 4 Jul 2017
# ---------------------------------------------------------------------------------------------------------------

def test_hwasong_15_burnout_speed_method() -> None:
    # Apogee 4,475 km, ground range 950 km, 3,180 s (Japan MoD / KCNA). Audit 2026-12: burnout speed at 250 km
    # ≈ 6.86 km/s, minimum-energy free flight ≈ 9,400 km, non-rotating (±3 %). This code: 6,860 m/s, 9,406 km,
    # free-flight time 2,982 s (the observed time implies ~199 s of powered flight).
    out = loft_to_standard(4475.0, 950.0, 3180.0)
    nom = out.nominal
    assert nom.loft.burnout_alt_km == 250.0
    assert nom.loft.speed_m_s == pytest.approx(6860.0, rel=3e-2)
    assert nom.free_flight_range_km == pytest.approx(9400.0, rel=3e-2)
    assert nom.loft.implied_powered_time_s == pytest.approx(199.0, abs=5.0)
    assert not out.global_reach and not nom.orbital
    # Over burnout at 150–350 km, each altitude's speed flown from its own altitude: 9,186–9,632 km (±1 %). The
    # audit's 8,700–10,200 km is reproduced (±1 %) by flying each altitude's speed from the nominal 250 km.
    assert out.standard_range_band_km == pytest.approx((9186.0, 9632.0), rel=1e-2)
    mixed = [float(min_energy(r.loft.speed_m_s, R + 250e3, R).range_km) for r in out.rows]
    assert [min(mixed), max(mixed)] == pytest.approx([8700.0, 10200.0], rel=1e-2)
    assert json.dumps(out.to_dict(), allow_nan=False)


def test_hwasong_14_burnout_speed_method() -> None:
    # Apogee 2,802 km, ground range 933 km, 2,280 s. This code: 5,812 m/s at 250 km, 82.7°, 5,471 km free flight
    # (5,316–5,627 km over 150–350 km), free-flight time 2,024 s (~256 s of powered flight implied).
    out = loft_to_standard(2802.0, 933.0, 2280.0)
    assert out.nominal.loft.speed_m_s == pytest.approx(5812.0, rel=1e-3)
    assert out.nominal.free_flight_range_km == pytest.approx(5471.0, rel=1e-3)
    assert out.standard_range_band_km == pytest.approx((5316.0, 5627.0), rel=1e-3)


def test_loft_to_standard_rotation_and_powered_range() -> None:
    # A stated standard powered-flight range is added to every row; with a launch latitude and azimuth the same
    # speed flown due east from 40° N goes further than non-rotating, due west less far.
    base = loft_to_standard(4475.0, 950.0, 3180.0, standard_powered_range_km=500.0)
    assert base.nominal.standard_range_km == pytest.approx(base.nominal.free_flight_range_km + 500.0)  # type: ignore[operator]
    east = loft_to_standard(4475.0, 950.0, launch_lat_deg=40.0, azimuth_deg=90.0).nominal.rotating
    west = loft_to_standard(4475.0, 950.0, launch_lat_deg=40.0, azimuth_deg=270.0).nominal.rotating
    assert east is not None and west is not None
    free = base.nominal.free_flight_range_km
    assert free is not None
    assert east.range_km > free > west.range_km


def test_loft_orbital_speed_is_flagged_not_ranged() -> None:
    # A very high loft: the recovered speed gives global reach; the range is None, the flag is set.
    out = loft_to_standard(30000.0, 500.0)
    assert out.global_reach and out.standard_range_band_km is None
    assert all(r.global_reach and r.standard_range_km is None for r in out.rows)


# ---------------------------------------------------------------------------------------------------------------
# Rotating Earth
# ---------------------------------------------------------------------------------------------------------------

def test_rotating_range_without_rotation_is_the_free_flight() -> None:
    rr = rotating_range(6000.0, 35.0, 45.0, 30.0, 200e3, omega=0.0)
    ff = free_flight(6000.0, 35.0, R + 200e3, R)
    assert rr.range_km == pytest.approx(float(ff.range_km), rel=1e-12)
    assert rr.flight_time_s == pytest.approx(float(ff.flight_time_s), rel=1e-12)


@pytest.mark.parametrize(("lat", "az", "gamma"), [(0.0, 90.0, 25.0), (40.0, 45.0, 30.0), (-20.0, 250.0, 60.0)])
def test_rotating_range_matches_inertial_integration(lat: float, az: float, gamma: float) -> None:
    # Independent check: integrate the inertial two-body problem in 3-D from ω × r-corrected burnout velocity,
    # turn the impact point back by ω t: impact point within 1 m, flight time within 1e-6.
    omega, h, v = 7.292115e-5, 200e3, 6500.0
    rr = rotating_range(v, gamma, az, lat, h)
    la, g, a = math.radians(lat), math.radians(gamma), math.radians(az)
    up = np.array([math.cos(la), 0.0, math.sin(la)])
    east, north = np.array([0.0, 1.0, 0.0]), np.array([-math.sin(la), 0.0, math.cos(la)])
    r0 = (R + h) * up
    v0 = v * (math.cos(g) * (math.sin(a) * east + math.cos(a) * north) + math.sin(g) * up) + np.cross([0, 0, omega], r0)

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        return np.concatenate([y[3:], -MU * y[:3] / np.linalg.norm(y[:3]) ** 3])

    def hit(_t: float, y: np.ndarray) -> float:
        return float(np.linalg.norm(y[:3]) - R)

    hit.terminal = True  # type: ignore[attr-defined]
    hit.direction = -1  # type: ignore[attr-defined]
    sol = solve_ivp(rhs, (0, 1e5), np.concatenate([r0, v0]), method="DOP853", rtol=1e-13, atol=1e-6, events=hit)
    t = float(sol.t_events[0][0])
    p = sol.y_events[0][0][:3]
    c, s = math.cos(omega * t), math.sin(omega * t)
    fixed = np.array([c * p[0] + s * p[1], -s * p[0] + c * p[1], p[2]])
    expect = R * np.array([math.cos(math.radians(rr.impact_lat_deg)) * math.cos(math.radians(rr.impact_lon_deg)),
                           math.cos(math.radians(rr.impact_lat_deg)) * math.sin(math.radians(rr.impact_lon_deg)),
                           math.sin(math.radians(rr.impact_lat_deg))])
    assert np.linalg.norm(fixed - expect) < 1.0
    assert rr.flight_time_s == pytest.approx(t, rel=1e-6)


def test_max_range_rotating() -> None:
    # Without rotation the maximum over γ is the closed-form minimum-energy range; with rotation due east at the
    # equator it is longer and due west shorter; near-orbital speeds are flagged global reach.
    v, h = 6000.0, 250e3
    me = min_energy(v, R + h, R)
    still = max_range_rotating(v, 0.0, 90.0, h, omega=0.0)
    assert still.range_km == pytest.approx(float(me.range_km), rel=1e-9)
    assert still.gamma_rel_deg == pytest.approx(float(me.gamma_deg), abs=1e-3)
    east, west = max_range_rotating(v, 0.0, 90.0, h), max_range_rotating(v, 0.0, 270.0, h)
    assert east.range_km > float(me.range_km) > west.range_km
    assert max_range_rotating(7600.0, 0.0, 90.0, h).global_reach


# ---------------------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------------------

def test_bad_inputs_raise_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="apogee .* must lie above the burnout altitude"):
        burnout_from_loft(200.0, 900.0, 250.0)
    with pytest.raises(InvalidInput, match="ground_range_km must be a positive number"):
        burnout_from_loft(4475.0, -950.0, 250.0)
    with pytest.raises(InvalidInput, match="powered-flight range"):
        burnout_from_loft(4475.0, 950.0, 250.0, powered_range_km=1000.0)
    with pytest.raises(InvalidInput, match="half the circumference"):
        burnout_from_loft(500.0, 21_000.0, 100.0)
    with pytest.raises(InvalidInput, match="must not lie below the impact radius"):
        free_flight(5000.0, 40.0, R - 1e3, R)
    with pytest.raises(InvalidInput, match="strictly between -90 and 90"):
        free_flight(5000.0, 90.0, R + 1e5)
    with pytest.raises(InvalidInput, match="burnout speed v_m_s must be a positive number"):
        free_flight([5000.0, -1.0], 40.0, R + 1e5)
    with pytest.raises(InvalidInput, match="nominal burnout altitude"):
        loft_to_standard(4475.0, 950.0, nominal_burnout_alt_km=400.0)
    with pytest.raises(InvalidInput, match="flight_time_s must be a positive number"):
        loft_to_standard(4475.0, 950.0, 0.0)
