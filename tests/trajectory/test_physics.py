"""Physics checks of the trajectory engine: reference values with tolerances, closed forms, conservation laws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equilibrium.trajectory import EarthModel, Guidance, Launch, Options, fly, max_range, payload_range
from equilibrium.trajectory.atmosphere import Atmosphere
from equilibrium.trajectory.earth import WGS84
from equilibrium.trajectory.engine import VehicleArrays, fly_batch
from equilibrium.trajectory.reference import fly_reference


def test_atmosphere_us1976_reference_values() -> None:
    # US Standard Atmosphere 1976 tables (geometric altitude): sea level 1.2250 kg/m³, 101,325 Pa, 340.29 m/s;
    # 11,000 m: 0.36480 kg/m³, 22,700 Pa, 295.15 m/s; 50 km: 1.0269e-3 kg/m³.
    rho, p, a = Atmosphere()(np.array([0.0, 11_000.0, 50_000.0]))
    assert rho[0] == pytest.approx(1.2250, rel=1e-3)
    assert p[0] == pytest.approx(101_325, rel=1e-4)
    assert a[0] == pytest.approx(340.29, rel=1e-3)
    assert rho[1] == pytest.approx(0.36480, rel=1e-3)
    assert p[1] == pytest.approx(22_700, rel=1e-3)
    assert a[1] == pytest.approx(295.15, rel=1e-3)
    assert rho[2] == pytest.approx(1.0269e-3, rel=1e-2)
    rho_top, p_top, _ = Atmosphere()(np.array([2.0e6]))
    assert rho_top[0] == 0.0 and p_top[0] == 0.0


def test_gravity_wgs84_j2() -> None:
    # Gravitation (no centrifugal term) on the equator: GM/a² (1 + 3/2 J2) = 9.8143 m/s²; at the pole
    # GM/b² (1 − 3 J2 a²/b²) = 9.8321 m/s² (J2 only).
    e = WGS84
    gx, _, _ = e.gravity(np.array([e.a]), np.array([0.0]), np.array([0.0]))
    assert -gx[0] == pytest.approx(9.8143, abs=2e-4)
    _, _, gz = e.gravity(np.array([0.0]), np.array([0.0]), np.array([e.b]))
    assert -gz[0] == pytest.approx(e.gm / e.b**2 * (1 - 3 * e.j2 * e.a**2 / e.b**2), rel=1e-12)
    assert -gz[0] == pytest.approx(9.8321, abs=2e-4)


def test_geodetic_round_trip_and_altitude() -> None:
    lat, lon, h = np.array([33.7, -45.0, 89.0]), np.array([73.1, 170.0, -20.0]), np.array([0.0, 1000.0, 5e5])
    xyz = WGS84.geodetic_to_ecef(lat, lon, h)
    la, lo, hh = WGS84.ecef_to_geodetic(*xyz)
    assert np.allclose(la, lat, atol=1e-9) and np.allclose(lo, lon, atol=1e-9) and np.allclose(hh, h, atol=1e-4)
    fast = WGS84.altitude(*xyz)
    assert abs(fast[0]) < 1e-6  # exact on the ellipsoid (impact height)
    assert fast[2] == pytest.approx(5e5, abs=50.0)  # within tens of metres at 500 km


def _kepler_range_m(r_bo: np.ndarray, v_bo: np.ndarray, radius: float, gm: float) -> float:
    """Ground distance (m) on a sphere of ``radius`` from the sub-point of a burnout state (ECI, m and m/s) to
    where the Keplerian ellipse through it meets the sphere, descending: closed form from the orbit equation."""
    r = float(np.linalg.norm(r_bo))
    hvec = np.cross(r_bo, v_bo)
    h = float(np.linalg.norm(hvec))
    evec = np.cross(v_bo, hvec) / gm - r_bo / r
    e = float(np.linalg.norm(evec))
    p = h * h / gm
    nu_b = math.atan2(float(np.dot(np.cross(evec, r_bo), hvec)) / h, float(np.dot(evec, r_bo)))
    nu_i = 2 * math.pi - math.acos((p / radius - 1.0) / e)  # descending branch: π < ν < 2π
    return radius * ((nu_i - nu_b) % (2 * math.pi))


def test_non_rotating_sphere_matches_keplerian_range(mm3) -> None:  # type: ignore[no-untyped-def]
    sphere = EarthModel.sphere(6_371_000.0)
    vac = Atmosphere(enabled=False)
    va = VehicleArrays.from_vehicle(mm3)
    res = fly_batch(va, Launch(0.0, 0.0, 90.0), kick_deg=40.0, earth=sphere, atmosphere=vac,
                    options=Options(rtol=1e-10, atol_m=1e-4, atol_m_s=1e-7, record=True))
    t, states = res.history[0]  # type: ignore[index]
    i = int(np.argmin(np.abs(t - res.bo_t[0])))
    assert t[i] == pytest.approx(res.bo_t[0])
    r_bo, v_bo = states[:3, i], states[3:, i]
    r0 = states[:3, 0]
    powered = sphere.a * math.acos(float(np.dot(r0, r_bo) / (np.linalg.norm(r0) * np.linalg.norm(r_bo))))
    expected = powered + _kepler_range_m(r_bo, v_bo, sphere.a, sphere.gm)
    assert res.range_m[0] == pytest.approx(expected, rel=1e-3)  # issue target: ≤ 0.1 %
    assert res.range_m[0] == pytest.approx(expected, rel=1e-6)  # in fact far better


def test_energy_conserved_in_vacuum_coast(mm3) -> None:  # type: ignore[no-untyped-def]
    sphere = EarthModel.sphere()
    res = fly_batch(VehicleArrays.from_vehicle(mm3), Launch(), kick_deg=40.0, earth=sphere,
                    atmosphere=Atmosphere(enabled=False), options=Options(record=True))
    t, s = res.history[0]  # type: ignore[index]
    coast = t > res.bo_t[0] + 1.0
    r = np.linalg.norm(s[:3, coast], axis=0)
    v2 = (s[3:, coast] ** 2).sum(axis=0)
    energy = v2 / 2 - sphere.gm / r
    assert np.ptp(energy) / abs(energy.mean()) < 1e-7
    hvec = np.cross(s[:3, coast].T, s[3:, coast].T)
    hn = np.linalg.norm(hvec, axis=1)
    assert np.ptp(hn) / hn.mean() < 1e-7  # angular momentum, too


def test_batched_matches_solve_ivp(scud, mm3) -> None:  # type: ignore[no-untyped-def]
    for v, kick in ((scud, 25.0), (mm3, 55.0)):
        va = VehicleArrays.from_vehicle(v)
        ref = fly_reference(va, Launch(), kick_deg=kick)
        b = fly_batch(va, Launch(), kick_deg=kick)
        assert b.range_m[0] == pytest.approx(ref.range_m[0], rel=1e-4)
        assert b.t_impact[0] == pytest.approx(ref.t_impact[0], rel=1e-4)


def test_convergence_with_tolerance(mm3) -> None:  # type: ignore[no-untyped-def]
    va = VehicleArrays.from_vehicle(mm3)
    ranges = [fly_batch(va, Launch(), kick_deg=55.0, options=Options(rtol=rt, atol_m=rt * 1e5, atol_m_s=rt * 1e2)
                        ).range_m[0] for rt in (1e-5, 1e-7, 1e-9)]
    assert abs(ranges[1] - ranges[2]) < abs(ranges[0] - ranges[2]) + 1.0  # errors shrink with the tolerance
    assert abs(ranges[1] / ranges[2] - 1) < 5e-5  # default tolerance: 0.005 % of the tight result


def test_batch_composition_does_not_change_results(scud) -> None:  # type: ignore[no-untyped-def]
    kicks = np.array([15.0, 25.0, 40.0])
    together = fly_batch(VehicleArrays.from_vehicle(scud, 3), Launch(), kick_deg=kicks)
    for i, k in enumerate(kicks):
        alone = fly_batch(VehicleArrays.from_vehicle(scud), Launch(), kick_deg=k)
        assert alone.range_m[0] == together.range_m[i]


def test_eastward_beats_westward_from_equator(mm3) -> None:  # type: ignore[no-untyped-def]
    east = max_range(mm3, Launch(0.0, 0.0, 90.0)).flight.range_km
    west = max_range(mm3, Launch(0.0, 0.0, 270.0)).flight.range_km
    assert east > west * 1.2  # the Earth's 465 m/s at the equator


def test_rotation_off_makes_east_and_west_equal(scud) -> None:  # type: ignore[no-untyped-def]
    nonrot = EarthModel(omega=0.0)
    e = fly(scud, Launch(0.0, 0.0, 90.0), Guidance(25.0), earth=nonrot).range_km
    w = fly(scud, Launch(0.0, 0.0, 270.0), Guidance(25.0), earth=nonrot).range_km
    assert e == pytest.approx(w, rel=1e-6)


def test_payload_range_strictly_decreasing(scud) -> None:  # type: ignore[no-untyped-def]
    pts = payload_range(scud, [250, 500, 750, 1000, 1500, 2000])
    r = [p["range_km"] for p in pts]
    assert all(a > b for a, b in zip(r, r[1:], strict=False))
    assert all(p["converged"] for p in pts)


@settings(max_examples=4, deadline=None)
@given(st.floats(min_value=300, max_value=1800), st.floats(min_value=50, max_value=400))
def test_property_heavier_payload_flies_less_far(p: float, extra: float) -> None:
    from equilibrium.trajectory import Vehicle

    from .conftest import SCUD

    v = Vehicle.model_validate(SCUD)
    a, b = payload_range(v, [p, p + extra])
    assert a["range_km"] > b["range_km"]


def test_burnout_state_reported(scud) -> None:  # type: ignore[no-untyped-def]
    f = fly(scud, Launch(), Guidance(25.0))
    assert f.burnout["time_s"] == pytest.approx(75.0)
    assert 1_400 < f.burnout["speed_rel_m_s"] < 1_800
    assert 0 < f.burnout["angle_deg"] < 60
    assert f.apogee_km > f.burnout["altitude_km"]


def test_compiled_kernel_matches_numpy_form(mm3) -> None:  # type: ignore[no-untyped-def]
    from equilibrium.trajectory import _kernel
    from equilibrium.trajectory.engine import Dynamics, build_params

    if not _kernel.available():
        pytest.skip("numba is not installed")
    n = 64
    va = VehicleArrays.from_vehicle(mm3, n)
    va.beta_rv[::2] = 5000.0  # half the batch: re-entry vehicle separates
    p = build_params(va, Launch(30.0, 70.0, 45.0), WGS84, kick_deg=np.linspace(1, 80, n),
                     bias_deg=np.linspace(-5, 5, n))
    dyn = Dynamics(WGS84, Atmosphere(), va.cd_mach, va.cd_value, compiled=True)
    rng = np.random.default_rng(1)
    y = np.vstack([p.r0, p.v0]) + rng.normal(0, 1, (6, n)) * np.array([[3e4], [3e4], [3e4], [300], [300], [300]])
    for tt in (0.0, 4.0, 7.5, 60.0, 100.0, 150.0, 200.0, 1000.0):
        t = np.full(n, tt)
        assert np.allclose(dyn(t, y, p), dyn.numpy_rhs(t, y, p), rtol=1e-12, atol=1e-12)


def test_compiled_kernel_matches_numpy_form_single_stage_tilt(scud) -> None:  # type: ignore[no-untyped-def]
    # One stage: the tilt starts at the end of the pitch-over (Params.t_bias), in both forms.
    from equilibrium.trajectory import _kernel
    from equilibrium.trajectory.engine import Dynamics, build_params

    if not _kernel.available():
        pytest.skip("numba is not installed")
    n = 16
    va = VehicleArrays.from_vehicle(scud, n)
    p = build_params(va, Launch(), WGS84, kick_deg=np.linspace(5, 60, n), bias_deg=np.linspace(-8, 8, n))
    dyn = Dynamics(WGS84, Atmosphere(), va.cd_mach, va.cd_value, compiled=True)
    rng = np.random.default_rng(2)
    y = np.vstack([p.r0, p.v0]) + rng.normal(0, 1, (6, n)) * np.array([[2e3], [2e3], [2e3], [200], [200], [200]])
    for tt in (float(p.t_kick[0]) - 0.5, float(p.t_kick[0]) + 0.5, 40.0, 74.9):
        t = np.full(n, tt)
        assert np.allclose(dyn(t, y, p), dyn.numpy_rhs(t, y, p), rtol=1e-12, atol=1e-12)
    tilted = dyn(np.full(n, 40.0), y, p)
    untilted = dyn(np.full(n, 40.0), y, build_params(va, Launch(), WGS84, kick_deg=np.linspace(5, 60, n)))
    assert not np.allclose(tilted[3:], untilted[3:])  # the tilt is applied
