"""The HTTP API: every endpoint on the real library, RFC 9457 problem+json errors, and no 500 on bad input."""

from __future__ import annotations

import base64
import math
from urllib.parse import urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

PROBLEM = "application/problem+json"


def assert_problem(r, status: int | None = None) -> dict:
    """``r`` is an RFC 9457 problem with a 4xx status (``status`` when given)."""
    assert r.headers["content-type"].startswith(PROBLEM), (r.status_code, r.headers, r.text)
    body = r.json()
    assert 400 <= r.status_code < 500, (r.status_code, body)
    if status is not None:
        assert r.status_code == status, body
    assert body["status"] == r.status_code
    assert body["title"] and body["type"] == "about:blank"
    assert isinstance(body["detail"], str) and body["detail"]
    assert "Traceback" not in r.text
    return body


# ------------------------------------------------------------------------------------------------------ meta

def test_health(client) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["version"]


def test_regions_lists_countries_and_subregions(client) -> None:
    regions = client.get("/api/regions").json()["regions"]
    specs = {r["spec"] for r in regions}
    assert {"PAK", "IND", "CHN", "USA", "USA:conus", "IND:andaman-nicobar", "site:islamabad"} <= specs
    assert all({"spec", "name", "kind"} <= set(r) for r in regions)
    found = client.get("/api/regions", params={"query": "Karachi"}).json()["regions"]
    assert found[0]["spec"] == "city:Karachi, PK"


def test_sources(client) -> None:
    sources = client.get("/api/sources").json()["sources"]
    ids = {s["id"] for s in sources}
    assert "natural-earth-admin0" in ids
    one = client.get("/api/sources/natural-earth-admin0").json()
    assert one["id"] == "natural-earth-admin0" and one["title"] and one["url"].startswith("https://")


def test_unknown_source_is_a_404_problem_with_suggestions(client) -> None:
    body = assert_problem(client.get("/api/sources/natural-earth"), 404)
    assert "natural-earth-admin0" in body["suggestions"]


def test_openapi_and_docs(client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/health", "/api/regions", "/api/sources/{source_id}", "/api/catalog/systems",
                 "/api/catalog/systems/{name}", "/api/reach/distance", "/api/reach/coverage",
                 "/api/reach/systems", "/api/reach/ring", "/api/reach/field"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/reach/coverage"]["get"]["parameters"]}
    assert {"from", "to", "range_km"} <= params
    assert client.get("/docs").status_code == 200


def test_unknown_path_is_a_problem(client) -> None:
    assert_problem(client.get("/api/nope"), 404)


def test_front_end_or_setup_page_at_root(client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")


def test_root_without_build_says_make_setup(tmp_path, geo_ready) -> None:
    from fastapi.testclient import TestClient

    from equilibrium.web.app import create_app

    r = TestClient(create_app(static_dir=tmp_path)).get("/")
    assert r.status_code == 200 and "make setup" in r.text


def test_unexpected_errors_are_500_problems_without_traceback(tmp_path, geo_ready) -> None:
    from fastapi.testclient import TestClient

    from equilibrium.web.app import create_app

    app = create_app(static_dir=tmp_path)

    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.add_api_route("/api/boom", boom)
    r = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    assert r.status_code == 500
    assert r.headers["content-type"].startswith(PROBLEM)
    assert "secret" not in r.text and "Traceback" not in r.text
    assert r.json()["status"] == 500


# --------------------------------------------------------------------------------------------------- catalog

def test_catalog_systems(client) -> None:
    systems = client.get("/api/catalog/systems").json()["systems"]
    assert systems and {"PAK", "IND", "CHN"} <= {s["country"] for s in systems}
    pak = client.get("/api/catalog/systems", params={"country": "PAK"}).json()["systems"]
    assert pak and all(s["country"] == "PAK" for s in pak)
    s = pak[0]
    assert {"id", "name", "class", "range_km"} <= set(s)
    assert s["range_km"]["low"] <= s["range_km"]["high"]
    mrbm = client.get("/api/catalog/systems", params={"country": "PAK", "class": "MRBM"}).json()["systems"]
    assert all(x["class"] == "MRBM" for x in mrbm)


def test_catalog_system_by_alias(client) -> None:
    r = client.get("/api/catalog/systems/Shaheen 3")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == "shaheen-3"


def test_catalog_unknown_names_are_404_problems(client) -> None:
    body = assert_problem(client.get("/api/catalog/systems/Shaheen-XIV"), 404)
    assert body["suggestions"]
    assert_problem(client.get("/api/catalog/systems", params={"country": "PAQ"}), 404)
    assert_problem(client.get("/api/catalog/systems", params={"class": "XXBM"}), 404)


# ----------------------------------------------------------------------------------------------------- reach

def test_distance_matches_library(client) -> None:
    from equilibrium.geo import distance as geo_distance
    body = client.get("/api/reach/distance", params={"from": "PAK", "to": "USA:conus"}).json()
    lib = geo_distance.distance("PAK", "USA:conus").to_dict()
    for key in ("nearest_km", "full_coverage_km", "single_site_km"):
        assert body[key] == pytest.approx(lib[key]), key
    assert 9000 < body["nearest_km"] < 13000
    assert body["nearest_km"] <= body["full_coverage_km"] <= body["single_site_km"]
    assert "pov" in body["boundary"] and "disputed" in body["boundary"]["pov"]


def test_coverage_matches_library(client) -> None:
    from equilibrium.geo import coverage as geo_coverage
    body = client.get("/api/reach/coverage", params={"from": "PAK", "to": "IND", "range_km": 1500}).json()
    lib = geo_coverage.coverage("PAK", "IND", 1500).to_dict()
    for key in ("area_fraction", "population_fraction", "cities_in_range", "cities_total"):
        assert body[key] == pytest.approx(lib[key]), key
    assert 0 < body["area_fraction"] < 1 and 0 < body["population_fraction"] < 1
    assert body["largest_in"] and {"name", "population", "distance_km"} <= set(body["largest_in"][0])


def test_systems_verdicts(client) -> None:
    body = client.get("/api/reach/systems", params={"from": "PAK", "to": "IND"}).json()
    assert body["systems"]
    for s in body["systems"]:
        assert s["country"] == "PAK"
        assert s["reaches_nearest"] in ("yes", "no", "depends-on-source")
        assert s["covers_all"] in ("yes", "no", "depends-on-source")
        assert {"low", "high", "unverified", "sources"} <= set(s["range_km"])


def test_ring_is_a_geojson_feature(client) -> None:
    body = client.get("/api/reach/ring", params={"from": "PAK", "range_km": 2750}).json()
    assert body["type"] == "Feature"
    assert body["geometry"]["type"] == "MultiPolygon" and body["geometry"]["coordinates"]
    assert body["properties"]["range_km"] == 2750


def _decode(grid: dict) -> np.ndarray:
    raw = base64.b64decode(grid["data"])
    assert len(raw) == 2 * grid["nx"] * grid["ny"]
    return np.frombuffer(raw, dtype="<u2").reshape(grid["ny"], grid["nx"])


def test_field_payload(client) -> None:
    r = client.get("/api/reach/field", params={"from": "PAK", "to": "IND", "resolution_deg": 1})
    assert r.status_code == 200, r.text
    body = r.json()
    grid = body["grid"]
    km = _decode(grid)
    assert grid["dlat"] < 0 < grid["dlon"]
    # Islamabad (33.7N 73.1E) is inside Pakistan: distance 0; the antipode of Pakistan is ~20,000 km away.
    i = round((33.7 - grid["lat0"]) / grid["dlat"])
    j = round((73.1 - grid["lon0"]) / grid["dlon"])
    assert km[i, j] <= 60
    assert 17000 < km.max() < 20100
    cells = body["cells"]
    assert len(cells["lat"]) == len(cells["lon"]) == len(cells["weight"]) == len(cells["distance_km"]) > 100
    assert sum(cells["weight"]) == pytest.approx(1.0, abs=1e-4)
    assert body["cities"] and body["cities"][0]["population"] >= body["cities"][-1]["population"]
    # Outlines use d3-geo's winding: clockwise exterior rings.
    to = shape(body["to_geometry"])
    polys = list(getattr(to, "geoms", [to]))
    assert all(not p.exterior.is_ccw for p in polys)


def test_field_preview_is_close_to_exact_coverage(client) -> None:
    body = client.get("/api/reach/field", params={"from": "PAK", "to": "IND"}).json()
    for range_km in (800, 1500, 2200):
        exact = client.get("/api/reach/coverage", params={"from": "PAK", "to": "IND", "range_km": range_km}).json()
        c = body["cells"]
        area = sum(w for w, d in zip(c["weight"], c["distance_km"], strict=True) if d <= range_km)
        assert area == pytest.approx(exact["area_fraction"], abs=0.03), range_km
        pop_in = sum(x["population"] for x in body["cities"] if x["distance_km"] <= range_km)
        pop = sum(x["population"] for x in body["cities"])
        assert pop_in / pop == pytest.approx(exact["population_fraction"], abs=0.03), range_km


# ------------------------------------------------------------------------------------------ problem+json

@pytest.mark.parametrize("path", ["/api/reach/distance", "/api/reach/coverage", "/api/reach/systems",
                                  "/api/reach/field"])
def test_unknown_region_is_a_404_problem_with_suggestions(client, path) -> None:
    body = assert_problem(client.get(path, params={"from": "PAKK", "to": "IND", "range_km": 100}), 404)
    assert "PAK" in " ".join(body["suggestions"])
    body = assert_problem(client.get(path, params={"from": "PAK", "to": "USA:conuss", "range_km": 100}), 404)
    assert body["suggestions"]


@pytest.mark.parametrize("value", ["-1", "-0.001", "inf", "-inf", "nan", "NaN", "1e400", "abc", "", "5e4"])
def test_bad_range_is_a_422_problem(client, value) -> None:
    for path, params in (("/api/reach/coverage", {"from": "PAK", "to": "IND"}), ("/api/reach/ring", {"from": "PAK"})):
        body = assert_problem(client.get(path, params={**params, "range_km": value}), 422)
        assert body["errors"][0]["loc"][-1] == "range_km"


@pytest.mark.parametrize("spec", ["91,0", "0,181", "33.7,", "12,34,56", "lat,lon", "nan,nan", "1e999,0"])
def test_malformed_coordinates_are_problems(client, spec) -> None:
    assert_problem(client.get("/api/reach/distance", params={"from": spec, "to": "IND"}))


def test_missing_parameters_are_422_problems(client) -> None:
    body = assert_problem(client.get("/api/reach/coverage", params={"from": "PAK"}), 422)
    locs = {tuple(e["loc"]) for e in body["errors"]}
    assert ("query", "to") in locs
    body = assert_problem(client.get("/api/reach/coverage", params={"from": "PAK", "to": "IND"}), 422)
    assert "range_km" in body["detail"]  # range_km, or a system whose physics gives the range


def test_bad_field_resolution_is_a_422_problem(client) -> None:
    assert_problem(client.get("/api/reach/field", params={"from": "PAK", "to": "IND", "resolution_deg": 0.3}), 422)
    assert_problem(client.get("/api/reach/field", params={"from": "PAK", "to": "IND", "resolution_deg": 0}), 422)


# ------------------------------------------------------------------------------------------------ fuzzing

SPECS = st.one_of(
    st.sampled_from(["PAK", "IND", "CHN", "USA:conus", "IND:andaman-nicobar", "pak", "PAK:", ":", "site:",
                     "city:", "city:,", "site:nowhere", "USA:", "33.7,73.1", "-90,180", "0,0,0", ",", "1,",
                     "\x00", "%", "city:Washington, US", "   "]),
    st.text(max_size=30),
    st.from_regex(r"-?\d{1,4}(\.\d{0,3})?,-?\d{1,4}(\.\d{0,3})?", fullmatch=True),
)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**30, 10**30).map(str),
    st.text(max_size=12),
    st.sampled_from(["", "0", "1e308", "-0", "+5", "0x10", "1_000", "١٢٣", "Infinity"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/api/reach/distance", "/api/reach/coverage", "/api/reach/systems",
                             "/api/reach/ring", "/api/reach/field"]),
       frm=st.one_of(st.none(), SPECS), to=st.one_of(st.none(), SPECS),
       range_km=st.one_of(st.none(), NUMBERS), resolution=st.one_of(st.none(), NUMBERS))
def test_fuzzed_reach_queries_never_500(client, path, frm, to, range_km, resolution) -> None:
    params = {k: v for k, v in (("from", frm), ("to", to), ("range_km", range_km),
                                ("resolution_deg", resolution)) if v is not None}
    r = client.get(f"{path}?{urlencode(params)}")
    assert r.status_code < 500, (path, params, r.status_code, r.text[:500])
    if r.status_code >= 400:
        assert_problem(r)
    else:
        assert r.headers["content-type"].startswith("application/json")
        assert math.isfinite(len(r.content))
