"""The trajectory API (/api/trajectory): one success per endpoint on the real engine, caching of slow results, and
RFC 9457 problem+json (4xx, never 500) on bad input."""

from __future__ import annotations

import time

import numpy as np
import pytest
from shapely.geometry import shape

PROBLEM = "application/problem+json"
T = "/api/trajectory"

# A single-stage vehicle spec that flies in about 2 s (kg, s, m).
SPEC = {"name": "test SRBM", "payload_kg": 500.0,
        "stages": [{"wet_mass_kg": 6000.0, "propellant_mass_kg": 5000.0, "isp_s": 250.0, "burn_time_s": 60.0,
                    "diameter_m": 0.8}]}


def assert_problem(r, status: int | None = None) -> dict:
    """``r`` is an RFC 9457 problem with a 4xx status (``status`` when given)."""
    assert r.headers["content-type"].startswith(PROBLEM), (r.status_code, r.text)
    body = r.json()
    assert 400 <= r.status_code < 500, (r.status_code, body)
    if status is not None:
        assert r.status_code == status, body
    assert body["status"] == r.status_code and body["title"] and body["type"] == "about:blank"
    assert isinstance(body["detail"], str) and body["detail"]
    assert "Traceback" not in r.text
    return body


# ---------------------------------------------------------------------------------------------------- success

def test_openapi_lists_trajectory_endpoints(client) -> None:
    spec = client.get("/openapi.json").json()
    for path, method in (("/templates", "get"), ("/system", "get"), ("/max-range", "post"),
                         ("/payload-range", "post"), ("/loft", "post"), ("/size", "post"), ("/reach", "get")):
        assert method in spec["paths"][T + path], path
        assert "trajectory" in spec["paths"][T + path][method]["tags"]


def test_templates(client) -> None:
    body = client.get(f"{T}/templates").json()
    ids = {t["id"] for t in body["templates"]}
    assert {"liquid-1stage", "liquid-2stage", "solid-2stage", "solid-3stage"} <= ids
    t = body["templates"][0]
    assert {"id", "name", "propellant", "launch_mass_kg", "payload_kg", "stages", "sources"} <= set(t)
    assert t["sources"]


def test_system_vehicle(client) -> None:
    r = client.get(f"{T}/system", params={"name": "Scud-B"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["system"] == "scud-b" and body["class"] == "SRBM"
    assert body["template"] == "liquid-1stage" and "calibrat" in body["calibration"]
    assert body["sources"] and body["vehicle"]["stages"]
    assert body["launch_mass_kg"] == pytest.approx(
        sum(s["wet_mass_kg"] for s in body["vehicle"]["stages"]) + body["vehicle"]["payload_kg"])


def test_max_range_scud_b_with_history_is_cached(client) -> None:
    req = {"system": "Scud-B", "history": True, "launch": {"lat_deg": 33.7, "lon_deg": 73.1, "azimuth_deg": 90}}
    r = client.post(f"{T}/max-range", json=req)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "impact" and body["converged"] is True
    # Range-calibrated to the catalogue's nominal 300 km (with the launch at the equator, due east).
    assert 200 < body["range_km"] < 400
    assert 0 < body["apogee_km"] < body["range_km"] and body["flight_time_s"] > 0
    assert {"time_s", "altitude_km", "speed_m_s", "angle_deg"} <= set(body["burnout"])
    assert body["launch"] == {"lat_deg": 33.7, "lon_deg": 73.1, "azimuth_deg": 90.0}
    h = body["history"]
    n = len(h["t_s"])
    assert n > 20 and len(h["altitude_km"]) == len(h["downrange_km"]) == n
    assert max(h["altitude_km"]) == pytest.approx(body["apogee_km"], rel=0.02)
    assert h["downrange_km"][-1] == pytest.approx(body["range_km"], rel=0.01)
    assert body["system"]["system"] == "scud-b" and body["system"]["sources"]

    t0 = time.perf_counter()
    again = client.post(f"{T}/max-range", json=req)
    assert time.perf_counter() - t0 < 1.0, "repeat call not cached"
    assert again.json() == body
    # Without history: the same flight, no time series.
    short = client.post(f"{T}/max-range", json={**req, "history": False}).json()
    # (a recorded flight steps at most 10 s apart through the numpy loop: the same flight within metres)
    assert short["history"] is None and short["range_km"] == pytest.approx(body["range_km"], rel=1e-5)


def test_max_range_of_a_vehicle_spec_rotating_and_not(client) -> None:
    east = client.post(f"{T}/max-range", json={"vehicle": SPEC})
    assert east.status_code == 200, east.text
    still = client.post(f"{T}/max-range", json={"vehicle": SPEC, "non_rotating": True})
    assert still.status_code == 200, still.text
    assert "not rotating" in still.json()["earth"]
    # Due east on the equator, the Earth's rotation adds about 465 m/s: a longer range.
    assert east.json()["range_km"] > still.json()["range_km"] > 500
    assert east.json()["vehicle"]["name"] == "test SRBM"


def test_payload_range_of_a_vehicle_spec(client) -> None:
    r = client.post(f"{T}/payload-range", json={"vehicle": SPEC, "payloads_kg": [250, 500, 1000]})
    assert r.status_code == 200, r.text
    points = r.json()["points"]
    assert [p["payload_kg"] for p in points] == [250, 500, 1000]
    ranges = [p["range_km"] for p in points]
    assert ranges[0] > ranges[1] > ranges[2] > 0
    assert all({"kick_deg", "converged"} <= set(p) for p in points)


def test_loft_to_standard_range(client) -> None:
    # The 4 July 2017 Hwasong-14 test: apogee 2,802 km, 933 km, 2,280 s (non-rotating Earth by default).
    r = client.post(f"{T}/loft", json={"apogee_km": 2802, "range_km": 933, "time_s": 2280,
                                       "template": "liquid-2stage"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert 6000 < body["standard_range_km"] < 8000
    assert body["headline"]["method"] == "burnout-speed"
    assert body["standard_range_km"] == body["headline"]["standard_range_km"]
    tf = body["template_fit"]
    assert abs(tf["nominal_residuals_pct"]["apogee"]) < 0.5 and abs(tf["nominal_residuals_pct"]["range"]) < 0.5
    assert "flight_time" in tf["nominal_residuals_pct"]
    assert tf["low_km"] <= tf["high_km"]
    assert "not rotating" in body["earth"]


@pytest.mark.slow
def test_size_between_regions(client) -> None:
    r = client.post(f"{T}/size", json={"payload_kg": 1000, "template": "solid-2stage",
                                       "from": "PAK", "to": "IND:andaman-nicobar"})
    assert r.status_code == 200, r.text
    body = r.json()
    dist = client.get("/api/reach/distance", params={"from": "PAK", "to": "IND:andaman-nicobar"}).json()
    assert body["range_km"] == pytest.approx(dist["nearest_km"])
    assert body["target"]["used"] == "nearest_km"
    assert body["achieved_range_km"] == pytest.approx(body["range_km"], rel=0.02)
    assert body["launch_mass_kg"] > body["propellant_mass_kg"] > 0 and body["stages"]


def test_physics_reach_polygon(client) -> None:
    r = client.get(f"{T}/reach", params={"from": "PAK", "to": "IND:andaman-nicobar", "system": "Shaheen-II"})
    assert r.status_code == 200, r.text
    body = r.json()
    prof = body["azimuth_profile"]
    assert len(prof["azimuth_deg"]) == len(prof["range_km"]) >= 12
    assert isinstance(body["reaches_nearest"], bool)
    assert body["reaches_nearest"] == (body["nearest_km"] <= body["range_toward_nearest_km"])
    assert 0 <= body["area_fraction"] <= 1 and body["system"]["system"] == "shaheen-2"

    poly = body["polygon"]
    assert poly["type"] == "Feature" and poly["geometry"]["type"] == "Polygon"
    ring = poly["geometry"]["coordinates"][0]
    assert len(ring) == 73 and ring[0] == ring[-1]
    # d3-geo winding: clockwise (north, east, south, west) round the launch point.
    lat0, lon0 = body["launch_point"]
    assert not shape(poly["geometry"]).exterior.is_ccw
    assert shape(poly["geometry"]).contains(shape({"type": "Point", "coordinates": [lon0, lat0]}))
    # Every vertex lies at the profile's range in its direction from the launch point.
    from pyproj import Geod

    lons = np.array([p[0] for p in ring[:-1]])
    lats = np.array([p[1] for p in ring[:-1]])
    az, _, dist_m = Geod(ellps="WGS84").inv(np.full(72, lon0), np.full(72, lat0), lons, lats)
    az = np.mod(az, 360)
    xs = np.array(prof["azimuth_deg"])
    ys = np.array(prof["range_km"])
    expect = np.interp(az, np.concatenate([xs - 360, xs, xs + 360]), np.concatenate([ys, ys, ys]))
    assert dist_m / 1e3 == pytest.approx(expect, rel=2e-3)
    # The repeat is cached.
    t0 = time.perf_counter()
    same = client.get(f"{T}/reach", params={"from": "PAK", "to": "IND:andaman-nicobar", "system": "Shaheen-II"})
    assert time.perf_counter() - t0 < 1.0 and same.json() == body


def test_reach_polygon_unit() -> None:
    """The polygon builder alone: wraps the profile periodically and clips past the antipode."""
    from equilibrium.trajectory.reach import reach_polygon

    f = reach_polygon((0.0, 179.0), [0, 90, 180, 270], [1000, 2000, 1000, 25000])
    ring = f["geometry"]["coordinates"][0]
    assert len(ring) == 73 and f["properties"]["clipped"] is True
    assert f["properties"]["max_range_km"] == 19_900
    assert reach_polygon((0.0, 0.0), [0, 180], [float("nan"), float("nan")])["geometry"] is None


# ---------------------------------------------------------------------------------------------------- bad input

def test_unknown_system_is_a_404_problem_with_suggestions(client) -> None:
    for r in (client.get(f"{T}/system", params={"name": "Shaheen-XIV"}),
              client.post(f"{T}/max-range", json={"system": "Shaheen-XIV"}),
              client.post(f"{T}/payload-range", json={"system": "Shaheen-XIV"}),
              client.get(f"{T}/reach", params={"from": "PAK", "to": "IND", "system": "Shaheen-XIV"})):
        body = assert_problem(r, 404)
        assert "Shaheen-II" in body["suggestions"]


def test_non_ballistic_system_is_a_422_problem(client) -> None:
    for r in (client.get(f"{T}/system", params={"name": "Babur"}),
              client.post(f"{T}/max-range", json={"system": "Babur"}),
              client.get(f"{T}/reach", params={"from": "PAK", "to": "IND", "system": "Babur"})):
        body = assert_problem(r, 422)
        assert "ballistic" in body["detail"]


def test_unknown_region_in_reach_is_a_404_problem(client) -> None:
    body = assert_problem(client.get(f"{T}/reach", params={"from": "PAKK", "to": "IND", "system": "Shaheen-II"}),
                          404)
    assert "PAK" in body["suggestions"]


@pytest.mark.parametrize("path,body", [
    ("/payload-range", {"vehicle": SPEC, "payloads_kg": [-5]}),
    ("/payload-range", {"vehicle": SPEC, "payloads_kg": []}),
    ("/size", {"payload_kg": -1, "template": "solid-2stage", "range_km": 1000}),
    ("/size", {"payload_kg": 0, "template": "solid-2stage", "range_km": 1000}),
    ("/max-range", {"vehicle": {**SPEC, "payload_kg": -1}}),
])
def test_negative_payload_is_a_422_problem(client, path, body) -> None:
    assert_problem(client.post(T + path, json=body), 422)


@pytest.mark.parametrize("path,body", [
    ("/loft", {"apogee_km": 2802, "range_km": 933, "template": "liquid-2stagee"}),
    ("/size", {"payload_kg": 1000, "template": "no-such-template", "range_km": 1000}),
])
def test_unknown_template_is_a_422_problem_with_suggestions(client, path, body) -> None:
    problem = assert_problem(client.post(T + path, json=body), 422)
    assert problem["suggestions"]
    if path == "/loft":
        assert problem["suggestions"][0] == "liquid-2stage"


def test_malformed_vehicle_is_a_422_problem(client) -> None:
    heavy = {**SPEC, "stages": [{**SPEC["stages"][0], "propellant_mass_kg": 7000.0}]}
    body = assert_problem(client.post(f"{T}/max-range", json={"vehicle": heavy}), 422)
    assert "propellant heavier than the stage" in body["detail"]
    for bad in ({**SPEC, "stages": []},
                {**SPEC, "stages": [{**SPEC["stages"][0], "burn_time_s": None}]},
                {**SPEC, "stages": [{**SPEC["stages"][0], "isp_s": -250}]},
                {**SPEC, "stages": [SPEC["stages"][0]] * 7},
                {**SPEC, "colour": "red"},
                {**SPEC, "payload_kg": "heavy"}):
        assert_problem(client.post(f"{T}/max-range", json={"vehicle": bad}), 422)
    # A vehicle too heavy to lift off: the engine refuses it (422).
    body = assert_problem(client.post(f"{T}/max-range", json={"vehicle": {**SPEC, "payload_kg": 50_000}}), 422)
    assert "thrust-to-weight" in body["detail"]


@pytest.mark.parametrize("body", [
    {},
    {"system": "Scud-B", "vehicle": SPEC},
    {"system": ""},
    {"system": "Scud-B", "launch": {"lat_deg": 91}},
    {"system": "Scud-B", "launch": {"lon_deg": -181}},
    {"system": "Scud-B", "launch": {"azimuth_deg": 400}},
    {"system": "Scud-B", "launch": {"azimuth_deg": -1}},
    {"system": "Scud-B", "launch": {"lat": 10}},
    {"system": "Scud-B", "history": "maybe"},
])
def test_bad_max_range_requests_are_422_problems(client, body) -> None:
    assert_problem(client.post(f"{T}/max-range", json=body), 422)


def test_non_finite_json_numbers_are_422_problems(client) -> None:
    headers = {"content-type": "application/json"}
    for raw in ('{"system": "Scud-B", "launch": {"lat_deg": NaN}}',
                '{"vehicle": {"payload_kg": Infinity, "stages": []}}',
                '{"apogee_km": NaN, "range_km": 933, "template": "liquid-2stage"}'):
        path = "/loft" if "apogee" in raw else "/max-range"
        assert_problem(client.post(T + path, content=raw, headers=headers), 422)
    assert_problem(client.post(f"{T}/max-range", content="{not json", headers=headers), 422)


@pytest.mark.parametrize("body", [
    {"apogee_km": -1, "range_km": 933, "template": "liquid-2stage"},
    {"apogee_km": 2802, "range_km": 0, "template": "liquid-2stage"},
    {"apogee_km": 2802, "range_km": 933, "time_s": -5, "template": "liquid-2stage"},
    {"apogee_km": 2802, "range_km": 933, "template": "liquid-2stage", "fit": "magic"},
    {"apogee_km": 2802, "range_km": 933},
])
def test_bad_loft_requests_are_422_problems(client, body) -> None:
    assert_problem(client.post(f"{T}/loft", json=body), 422)


@pytest.mark.parametrize("body", [
    {"payload_kg": 1000, "template": "solid-2stage"},
    {"payload_kg": 1000, "template": "solid-2stage", "from": "PAK"},
    {"payload_kg": 1000, "template": "solid-2stage", "range_km": 1000, "from": "PAK", "to": "IND"},
    {"payload_kg": 1000, "template": "solid-2stage", "range_km": 25_000},
])
def test_bad_size_requests_are_422_problems(client, body) -> None:
    assert_problem(client.post(f"{T}/size", json=body), 422)


def test_size_with_unknown_region_is_a_404_problem(client) -> None:
    body = assert_problem(client.post(f"{T}/size", json={"payload_kg": 1000, "template": "solid-2stage",
                                                         "from": "PAKK", "to": "IND"}), 404)
    assert "PAK" in body["suggestions"]


def test_bad_reach_and_system_queries_are_problems(client) -> None:
    assert_problem(client.get(f"{T}/reach", params={"to": "IND", "system": "Shaheen-II"}), 422)
    assert_problem(client.get(f"{T}/reach", params={"from": "PAK", "to": "IND"}), 422)
    assert_problem(client.get(f"{T}/system"), 422)
    assert_problem(client.get(f"{T}/system", params={"name": "   "}))
    assert_problem(client.get(f"{T}/system", params={"name": "x" * 300}), 422)
    assert_problem(client.get(f"{T}/max-range"))  # a POST endpoint
