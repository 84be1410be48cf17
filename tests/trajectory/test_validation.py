"""The development validation cases (../shared/validation/trajectory_dev.yaml) through the CLI, within tolerance."""

from __future__ import annotations

import json

import pytest

from equilibrium.cli.main import app
from equilibrium.trajectory import load_case

MOTOR = ["scud-b-forden", "scud-b-wright", "minuteman-iii", "v2"]
LOFT = ["hwasong-14-2017-07-04",
        pytest.param("hwasong-15-2017-11-29", marks=pytest.mark.xfail(
            strict=True, reason="the Titan II-class liquid-2stage template (lift-off thrust-to-weight 1.26, 336 s of "
                                "burn) loses much more to gravity on the lofted flight than on a standard one, so "
                                "its fitted standard range (18,000-20,000 km) exceeds the published 10,000-13,000 km; "
                                "a short-burn template (solid-3stage) gives ~14,000 km (see test below)"))]


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
    assert abs(d["residuals_pct"]["apogee"]) < 0.2 and abs(d["residuals_pct"]["range"]) < 0.2
    assert abs(d["residuals_pct"]["flight_time"]) < 5.0  # the independent check
    lo, hi = load_case(dev_spec, case).expect.interval()
    assert lo <= d["standard_range_km"] <= hi, (d["standard_range_km"], lo, hi)


def test_hwasong15_with_short_burn_template(cli, dev_spec) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["trajectory", "loft", "--spec", str(dev_spec), "--case", "hwasong-15-2017-11-29",
                         "--template", "solid-3stage", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert 10_000 <= d["standard_range_km"] <= 14_000
