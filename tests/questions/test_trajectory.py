"""The trajectory questions: defaults stated (launch site, Earth, calibration, published range), one geometry for the
sizing on every edge, launch bounds checked once, the Monte Carlo sample bound over HTTP."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equilibrium.cli.main import app as cli_app
from equilibrium.errors import InvalidInput
from equilibrium.questions.trajectory import (
    HTTP_MAX_SAMPLES,
    country_site,
    trajectory_max_range,
    trajectory_montecarlo,
    trajectory_system,
)
from equilibrium.trajectory import Launch
from equilibrium.trajectory.earth import NON_ROTATING, WGS84, earth_model


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    from equilibrium.web.app import create_app

    app = create_app(warm="off", screening_worker=False, physics_workers=1)
    app.state.physics.timeout_s = 180.0  # a cold worker loads the boundaries for the sizing on a shared machine
    with TestClient(app) as c:
        yield c


def test_launch_checks_its_bounds() -> None:
    for bad in ((91.0, 0.0, 90.0), (0.0, -181.0, 90.0), (0.0, 0.0, 361.0), (0.0, 0.0, -1.0), (float("nan"), 0, 90)):
        with pytest.raises(InvalidInput, match="launch"):
            Launch(*bad)
    assert Launch.toward(10.0, 20.0, -90.0).azimuth_deg == 270.0


def test_non_rotating_earth_is_defined_once() -> None:
    assert NON_ROTATING.omega == 0.0 and earth_model(False) is NON_ROTATING and earth_model(True) is WGS84


def test_catalogue_system_launches_from_its_country_site() -> None:
    name, lat, lon, why = country_site("PAK")
    assert "Sonmiani" in name and "test range" in why
    a = trajectory_max_range(system="Shaheen-II")
    assert (a.launch.lat_deg, a.launch.lon_deg) == (lat, lon) and (lat, lon) != (0.0, 0.0)
    launch = a.stated("launch")
    assert launch is not None and "Sonmiani" in launch.value and launch.source == "default"
    assert a.stated("earth").value == WGS84.name  # type: ignore[union-attr]
    assert a.stated("calibration") is not None and a.stated("payload") is not None
    assert a.published_range_km is not None and a.published_range_km.high == 2000
    assert any("differs from the catalogue's published range" in n for n in a.notes)


def test_a_vehicle_spec_launches_from_the_equator_stated() -> None:
    spec = {"name": "test SRBM", "payload_kg": 500.0,
            "stages": [{"wet_mass_kg": 6000.0, "propellant_mass_kg": 5000.0, "isp_s": 250.0, "burn_time_s": 60.0,
                        "diameter_m": 0.8}]}
    a = trajectory_max_range(vehicle=spec, non_rotating=True)
    assert (a.launch.lat_deg, a.launch.lon_deg, a.launch.azimuth_deg) == (0.0, 0.0, 90.0)
    assert "equator" in a.stated("launch").note and a.stated("earth").source == "given"  # type: ignore[union-attr]
    assert a.system is None and a.published_range_km is None


def test_system_states_default_launch() -> None:
    a = trajectory_system(name="Shaheen-III")
    assert a.country == "PAK" and "Sonmiani" in a.default_launch_site
    assert a.range_calibrated and a.published_range_km.low == 2750


def test_montecarlo_states_published_range_and_why() -> None:
    a = trajectory_montecarlo(system="Shaheen-II", n=8, seed=1)
    assert a.published_range_km is not None and a.published_range_km.low == 1500
    assert any("published range" in n and "template" in n for n in a.notes)
    assert a == trajectory_montecarlo(system="Shaheen-II", n=8, seed=1)  # deterministic


def test_montecarlo_sample_bound_over_http(client: TestClient) -> None:
    r = client.post("/api/trajectory/montecarlo", json={"system": "Shaheen-II", "n": HTTP_MAX_SAMPLES + 1})
    assert r.status_code == 422 and "n" in r.json()["detail"]
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.slow
def test_sizing_is_the_same_on_the_cli_and_the_api(client: TestClient) -> None:
    """Issue 11: the CLI gave 89,603 kg (launch from Pakistan's point nearest the target, on the geodesic azimuth),
    the API 53,041 kg (0°N 0°E due east). One question now: the CLI's geometry on both."""
    args = ["trajectory", "size", "--template", "solid-2stage", "--payload-kg", "1000", "--from", "PAK", "--to",
            "USA:conus", "--json"]
    res = CliRunner().invoke(cli_app, args)
    assert res.exit_code == 0, res.output
    cli = json.loads(res.stdout)
    r = client.post("/api/trajectory/size", json={"template": "solid-2stage", "payload_kg": 1000, "from": "PAK",
                                                  "to": "USA:conus"})
    assert r.status_code == 200, r.text
    assert r.json() == cli
    # 89,603 kg in issue 11; 82,945 kg with altitude-dependent thrust and the shaped pitch programme (issue 12)
    assert cli["launch_mass_kg"] == pytest.approx(82_945, rel=0.01)
    assert cli["launch"]["lat_deg"] != 0.0 and "nearest" in cli["launch_site"]
