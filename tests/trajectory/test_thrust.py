"""Altitude-dependent thrust, the stated expansion default, re-entry separation and the shaped pitch programme
(issue 12). Laws as property tests: range grows with vacuum Isp and falls with ambient-pressure exposure."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equilibrium.errors import InvalidInput
from equilibrium.trajectory import Launch, Stage, Vehicle, max_range
from equilibrium.trajectory.assumptions import assumptions
from equilibrium.trajectory.earth import G0, NON_ROTATING
from equilibrium.trajectory.engine import VehicleArrays
from equilibrium.trajectory.vehicle import P0_PA

from .conftest import MM3, SCUD

ONE = {"wet_mass_kg": 4897, "propellant_mass_kg": 3699, "isp_s": 230, "isp_reference": "sea_level",
       "burn_time_s": 75, "diameter_m": 0.84}


def _scud(**stage: float) -> Vehicle:
    return Vehicle.model_validate({**SCUD, "stages": [{**ONE, **stage}]})


def test_expansion_from_exit_area_both_isps_or_the_stated_ratio() -> None:
    s = Stage(**ONE, nozzle_exit_area_m2=0.1)
    e = s.expansion(0.9)
    assert e.basis == "exit area" and e.isp_sea_level_s == 230
    assert e.isp_vacuum_s == pytest.approx(230 + 0.1 * P0_PA / (G0 * s.mass_flow_kg_s))
    e = Stage(**ONE, isp_vacuum_s=255).expansion(0.9)
    assert e.basis == "both Isp figures" and e.exit_area_m2 == pytest.approx(25 * G0 * 3699 / 75 / P0_PA)
    e = Stage(**ONE).expansion(0.9)
    assert e.assumed and e.isp_vacuum_s == pytest.approx(230 / 0.9)
    e = Stage(**{**ONE, "isp_reference": "vacuum"}).expansion(0.9)
    assert e.assumed and e.isp_sea_level_s == pytest.approx(207)


@pytest.mark.parametrize(("extra", "words"), [
    ({"isp_vacuum_s": 220}, "below the sea-level"),
    ({"isp_vacuum_s": 250, "nozzle_exit_area_m2": 0.1}, "not both"),
    ({"isp_sea_level_s": 200}, "already the sea-level"),
])
def test_inconsistent_expansion_refused(extra: dict[str, float], words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        Stage(**ONE, **extra)


def test_the_default_ratio_is_sourced_and_stated_in_answers() -> None:
    a = assumptions()
    r = a.expansion.isp_ratio_sea_level_to_vacuum
    assert 0.8 < r.nominal < 0.95 and r.source_ids()
    assert a.reentry_beta_kg_m2 is not None and 5_000 < a.reentry_beta_kg_m2 < 30_000
    from equilibrium.questions.trajectory import physics_stated

    thrust, rv = physics_stated(Vehicle.model_validate(MM3))
    assert thrust.source == "assumed" and "0.883" in (thrust.note or "")
    assert rv.source == "assumed" and "separates" in rv.value
    thrust, rv = physics_stated(_scud(isp_vacuum_s=250))
    assert thrust.source == "data" and "stays on the body" in rv.value


def test_thrust_rises_with_altitude_in_the_engine() -> None:
    va = VehicleArrays.from_vehicle(_scud(isp_vacuum_s=250))
    assert va.isp_vac[0, 0] == pytest.approx(250)
    assert va.ae[0, 0] == pytest.approx(20 * G0 * 3699 / 75 / P0_PA)


def _range(v: Vehicle) -> float:
    return max_range(v, Launch(), earth=NON_ROTATING, optimise_bias=False).flight.range_km


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(232.0, 270.0), st.floats(1.5, 15.0))
def test_range_grows_with_vacuum_isp(isp_vac: float, extra: float) -> None:
    assert _range(_scud(isp_vacuum_s=isp_vac + extra)) > _range(_scud(isp_vacuum_s=isp_vac))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(0.02, 0.3), st.floats(1.2, 2.0))
def test_range_falls_with_ambient_pressure_exposure(area: float, factor: float) -> None:
    # The same vacuum thrust with a larger exit area loses more to the ambient pressure (vacuum Isp fixed).
    s = Stage(**{**ONE, "isp_s": 260, "isp_reference": "vacuum"})
    small = Vehicle.model_validate({**SCUD, "stages": [{**s.model_dump(exclude_none=True),
                                                       "nozzle_exit_area_m2": area}]})
    large = Vehicle.model_validate({**SCUD, "stages": [{**s.model_dump(exclude_none=True),
                                                       "nozzle_exit_area_m2": area * factor}]})
    assert _range(large) < _range(small)


def test_multi_stage_payload_separates_by_default_single_stage_does_not() -> None:
    mm3 = Vehicle.model_validate(MM3)
    assert mm3.separates and mm3.reentry_beta_kg_m2() == assumptions().reentry_beta_kg_m2
    assert math.isfinite(VehicleArrays.from_vehicle(mm3).beta_rv[0])
    scud = Vehicle.model_validate(SCUD)
    assert not scud.separates and math.isnan(VehicleArrays.from_vehicle(scud).beta_rv[0])
    kept = Vehicle.model_validate({**MM3, "drag": {"separate": False}})
    assert kept.reentry_beta_kg_m2() is None
    # a separated RV re-enters faster than the spent stage dragging along (audit: 688 m/s attached)
    sep = max_range(mm3, Launch(), earth=NON_ROTATING).flight.impact["speed_m_s"]
    att = max_range(kept, Launch(), earth=NON_ROTATING).flight.impact["speed_m_s"]
    assert sep > 2 * att


def test_the_shaped_programme_applies_and_reports_its_tilt() -> None:
    # The tilt is optimised with the pitch-over and is applied: flying the reported guidance gives the range.
    scud = Vehicle.model_validate(SCUD)
    m = max_range(scud, Launch(), earth=NON_ROTATING)
    assert m.optimised == ["kick_deg", "bias_deg"]
    kick_only = max_range(scud, Launch(), earth=NON_ROTATING, optimise_bias=False)
    assert m.flight.range_km >= kick_only.flight.range_km - 0.5
    from equilibrium.trajectory import Guidance, fly

    g = m.guidance
    again = fly(scud, Launch(), Guidance(kick_deg=g.kick_deg, bias_deg=g.bias_deg), earth=NON_ROTATING)
    assert again.range_km == pytest.approx(m.flight.range_km, rel=1e-9)
    if abs(g.bias_deg) > 0.5:  # a reported tilt changes the flight (single stage: applied after the pitch-over)
        untilted = fly(scud, Launch(), Guidance(kick_deg=g.kick_deg), earth=NON_ROTATING)
        assert abs(untilted.range_km - m.flight.range_km) > 0.1


def test_max_range_states_its_geometry() -> None:
    from equilibrium.trajectory.analyses import range_geometry

    mm3 = Vehicle.model_validate(MM3)
    launch = Launch(48.0, -101.0, 45.0)
    m = max_range(mm3, launch)
    g = range_geometry(mm3, launch, m)
    assert g.stated_km == m.flight.range_km
    assert g.worst_km < g.non_rotating_km < g.best_km
    assert 45.0 <= g.best_azimuth_deg <= 135.0 and 225.0 <= g.worst_azimuth_deg <= 315.0  # east helps, west hurts
