"""The development validation cases (../shared/validation/trajectory_dev.yaml) through the CLI.

Motor cases compare the quantity the format defines (maximum range due east from the equator on the rotating
Earth, unless the case gives a launch). Three cases cannot pass with sourced inputs once the thrust varies with
altitude; they are expected failures with the numbers measured (the closing note of issue 12 explains them).
Loft cases: the burnout-speed method (the headline) must land in the published interval, and the template fit's
band over plausible burn times must overlap it.
"""

from __future__ import annotations

import json

import pytest

from equilibrium.cli.main import app
from equilibrium.trajectory import load_case

SCUD_WHY = ("with the thrust rising with altitude (F = F_vac − p·A_e) the sourced Scud-B parameter sets fly "
            "{km} km with the default Isp ratio 0.883, {span} km over the sourced ratios 0.818–0.930, above the "
            "published interval; only the old constant sea-level thrust (ratio 1, unphysical) passed ({old} km)")
MOTOR = ["v2",
         pytest.param("scud-b-forden", marks=pytest.mark.xfail(
             strict=True, reason=SCUD_WHY.format(km=378, span="345–433", old=306))),
         pytest.param("scud-b-wright", marks=pytest.mark.xfail(
             strict=True, reason=SCUD_WHY.format(km=422, span="387–481", old=344))),
         pytest.param("minuteman-iii", marks=pytest.mark.xfail(
             strict=True, reason="the case's quantity is due east from the equator on the rotating Earth: 19,147 km "
                                 "with the default Isp ratio (15,606 km with the sourced stage-1 exit area), of which "
                                 "~4,800–7,700 km is the Earth's rotation; non-rotating 11,475 km lies in the "
                                 "published interval (own case minuteman-iii-nonrotating: 10,954 km)"))]
LOFT = ["hwasong-14-2017-07-04", "hwasong-15-2017-11-29"]


@pytest.mark.parametrize("case", MOTOR)
def test_motor_case_max_range(cli, dev_spec, case: str) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "max-range", "--spec", str(dev_spec), "--case", case, "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["converged"]
    lo, hi = load_case(dev_spec, case).expect.interval()  # the case's expectation (km)
    assert lo <= d["range_km"] <= hi, (d["range_km"], lo, hi)


@pytest.mark.parametrize("case", LOFT)
def test_loft_case_standard_range(cli, dev_spec, case: str) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "loft", "--spec", str(dev_spec), "--case", case, "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    lo, hi = load_case(dev_spec, case).expect.interval()
    head = d["headline"]
    assert head["method"] == "burnout-speed"
    assert lo <= head["standard_range_km"] <= hi, (head["standard_range_km"], lo, hi)
    tf = d["template_fit"]
    # every fitted member reproduces the observation (apogee and range) and the band overlaps the published one
    assert abs(tf["nominal_residuals_pct"]["apogee"]) < 0.2 and abs(tf["nominal_residuals_pct"]["range"]) < 0.2
    top = float("inf") if tf["global_reach"] else tf["high_km"]
    assert tf["low_km"] <= hi and top >= lo, (tf["low_km"], top, lo, hi)
    # the burnout-speed method is biased low: its nominal lies at or below the template band's low end
    assert head["standard_range_km"] <= tf["low_km"] * 1.02
