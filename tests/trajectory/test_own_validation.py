"""Equilibrium's own validation cases (validation/trajectory_cases.yaml): every motor case's maximum range (km)
lies in the interval of the published figures its source defines, on the Earth model the case names
(``earth: non_rotating`` for nominal published ranges, else rotating WGS-84)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from equilibrium.trajectory import WGS84, Case, Launch, load_cases, max_range
from equilibrium.trajectory.earth import NON_ROTATING, EarthModel

CASES = Path(__file__).resolve().parents[2] / "validation" / "trajectory_cases.yaml"


def _cases() -> dict[str, Case]:
    return load_cases(CASES)


def _earth(case: Case) -> EarthModel:
    """The Earth model the case's source implies: non-rotating or rotating WGS-84."""
    return NON_ROTATING if getattr(case, "earth", "rotating") == "non_rotating" else WGS84


def test_case_file_loads_and_every_case_is_sourced() -> None:
    cases = _cases()
    assert len(cases) >= 5
    for c in cases.values():
        assert c.sources, c.id
        assert c.expect is not None, c.id
        lo, hi = c.expect.interval()
        assert 0 < lo <= hi, c.id


def _motor_ids() -> list[str]:
    """Ids of the motor cases, read from the raw file so that a schema error fails the tests, not collection."""
    raw = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return [c["id"] for c in raw["cases"] if c.get("kind") == "motor"]


KNOWN = {
    "scud-b-wright-exit-area": "Wright's Scud-B set with its own exit area flies 392 km non-rotating (published "
                               "282–340 km): the altitude-compensated thrust of the sourced motor exceeds the "
                               "published range; no sourced input brings it down",
    "scud-b-levinger": "the Levinger preset flies 415 km non-rotating with the default Isp ratio (published "
                       "282–340 km), 371–492 km over the sourced ratios 0.818–0.930",
    "al-hussein-levinger": "the Levinger preset flies 745 km non-rotating (published 600–644 km), 664–884 km over "
                           "the sourced Isp ratios 0.818–0.930; like the Scud-B sets, the compensated thrust of the "
                           "published motor data overshoots the published range",
}
"""Motor cases that no sourced input passes (measured, not tuned; the closing note of issue 12 explains them)."""


def _marked(case_id: str) -> object:
    if case_id in KNOWN:
        return pytest.param(case_id, marks=pytest.mark.xfail(strict=True, reason=KNOWN[case_id]))
    return case_id


MOTOR = [_marked(c) for c in _motor_ids()]


@pytest.mark.parametrize("case_id", MOTOR)
def test_motor_case_max_range_in_published_interval(case_id: str) -> None:
    case = _cases()[case_id]
    assert case.vehicle is not None and case.expect is not None
    assert case.expect.quantity == "max_range_km"
    launch = case.launch.launch() if case.launch else Launch()
    result = max_range(case.vehicle, launch, earth=_earth(case))
    assert result.converged, case_id
    lo, hi = case.expect.interval()  # published interval (km)
    assert lo <= result.flight.range_km <= hi, (case_id, round(result.flight.range_km, 1), lo, hi)


def _loft_ids() -> list[str]:
    raw = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return [c["id"] for c in raw["cases"] if c.get("kind") == "loft"]


@pytest.mark.parametrize("case_id", _loft_ids())
def test_loft_case_methods_bracket_the_published_range(case_id: str) -> None:
    """The template fit's band over plausible burn times overlaps the published interval, and the burnout-speed
    method (biased low: it ignores the smaller gravity loss of a standard flight) lies at or below the band."""
    from equilibrium.questions.trajectory import LoftParams, trajectory_loft

    case = _cases()[case_id]
    assert case.observed is not None and case.template is not None and case.expect is not None
    o = case.observed
    a = trajectory_loft(LoftParams(apogee_km=o.apogee_km, range_km=o.ground_range_km, time_s=o.flight_time_s,
                                   template=case.template))
    lo, hi = case.expect.interval()
    tf = a.template_fit
    assert tf.low_km is not None
    top = float("inf") if tf.global_reach else float(tf.high_km or 0.0)
    assert tf.low_km <= hi and top >= lo, (case_id, tf.low_km, top, lo, hi)
    assert a.standard_range_km is not None and a.standard_range_km <= tf.low_km * 1.02
