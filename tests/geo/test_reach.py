"""Reach distances, coverage, distance field and reach polygons."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.geo import coverage as geo_coverage
from equilibrium.geo import distance as geo_distance
from equilibrium.geo import field as geo_field
from equilibrium.geo import rings as geo_rings
from equilibrium.geo import samples as geo_samples
from equilibrium.geo.geodesic import inverse
from equilibrium.geo.regions import Region, resolve_region

pytestmark = pytest.mark.usefixtures("atlas")

TOL_KM = 25.0
REFERENCES = [  # reach-references.md §6 (vertex pairs, 10m); edge-exact values are equal or slightly smaller
    ("PAK", "USA:conus", 9896.0),
    ("PAK", "IND:andaman-nicobar", 2589.0),
    ("PAK", "USA:alaska", 7242.0),
]


@pytest.mark.parametrize(("frm", "to", "ref_km"), REFERENCES)
def test_reference_nearest(frm: str, to: str, ref_km: float) -> None:
    d = geo_distance.distance(frm, to)
    assert abs(d.nearest_km - ref_km) <= TOL_KM
    assert d.nearest_km <= ref_km + 0.5  # edges can only shorten the vertex-pair figure (which was rounded)
    assert d.nearest_km <= d.full_coverage_km + 1e-6 <= d.single_site_km + 2e-6
    out = d.to_dict()
    json.dumps(out)
    (la1, lo1), (la2, lo2) = out["nearest_points"]["from"], out["nearest_points"]["to"]
    assert float(inverse(la1, lo1, la2, lo2)[0]) / 1000 == pytest.approx(d.nearest_km, abs=0.01)
    assert {"dataset", "resolution", "source_ids", "pov"} <= set(out["boundary"])


def test_touching_regions_are_zero_apart() -> None:
    d = geo_distance.distance("PAK", "IND")
    assert d.nearest_km == 0.0
    assert d.full_coverage_km > 2500  # Andaman & Nicobar
    assert d.single_site_km >= d.full_coverage_km


def test_point_regions() -> None:
    d = geo_distance.distance("site:islamabad", "city:New Delhi, IN")
    ref = float(inverse(33.72148, 73.04329, 28.63576, 77.22445)[0]) / 1000
    assert d.nearest_km == pytest.approx(d.full_coverage_km) == pytest.approx(d.single_site_km)
    assert abs(d.nearest_km - ref) < 15  # New Delhi vs Delhi GeoNames points differ by a few km
    assert geo_distance.distance("site:islamabad", "PAK").nearest_km == 0.0


def test_nearest_not_above_brute_force_vertex_pairs() -> None:
    """All original vertex pairs through pyproj (PAK × A&N ≈ 1.7 M geodesics) bound the edge-exact value."""
    a = np.asarray(shapely.get_coordinates(resolve_region("PAK").geometry))
    b = np.asarray(shapely.get_coordinates(resolve_region("IND:andaman-nicobar").geometry))
    best = np.inf
    for s in range(0, len(a), 400):
        d = inverse(a[s:s + 400, 1][:, None], a[s:s + 400, 0][:, None], b[None, :, 1], b[None, :, 0])[0]
        best = min(best, float(d.min()))
    ours = geo_distance.distance("PAK", "IND:andaman-nicobar").nearest_km
    assert ours <= best / 1000 + 1e-6
    assert best / 1000 - ours < 3.0


def _simplified(spec: str, tol_deg: float) -> Region:
    r = resolve_region(spec)
    return Region(spec=f"{spec}~{tol_deg}", name=r.name, kind=r.kind, iso3=r.iso3,
                  geometry=shapely.simplify(r.geometry, tol_deg), boundary=r.boundary)


@pytest.mark.parametrize(("frm", "to"), [("PAK", "IND:andaman-nicobar"), ("PAK", "USA:alaska")])
def test_simplified_boundary_agrees(frm: str, to: str) -> None:
    full = geo_distance.distance(frm, to)
    simple = geo_distance.distance(_simplified(frm, 0.02), _simplified(to, 0.02))
    coarse = geo_distance.distance(frm, to, resolution="50m") if not to.startswith("USA:") else simple
    for other in (simple, coarse):
        assert abs(other.nearest_km - full.nearest_km) < TOL_KM
        assert abs(other.full_coverage_km - full.full_coverage_km) < TOL_KM
        assert abs(other.single_site_km - full.single_site_km) < TOL_KM


def test_full_coverage_is_directed_hausdorff_on_samples() -> None:
    """No vertex or interior sample of TO is farther from FROM than full_coverage_km; and no FROM sample
    reaches all of TO's vertices with less than single_site_km."""
    d = geo_distance.distance("PAK", "IND:andaman-nicobar")
    a, b = geo_samples.index_of(resolve_region("PAK")), geo_samples.index_of(resolve_region("IND:andaman-nicobar"))
    dist_b, _, _ = a.distance(b.lat, b.lon)
    assert dist_b.max() / 1000 <= d.full_coverage_km + 1e-3
    q = np.arange(0, a.size, 7)
    far = inverse(a.lat[q][:, None], a.lon[q][:, None], b.lat[None, :], b.lon[None, :])[0].max(axis=1)
    assert far.min() / 1000 >= d.single_site_km - 1e-3


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 4000), st.floats(0, 4000))
def test_coverage_monotone_in_range(r1: float, r2: float) -> None:
    lo, hi = sorted((r1, r2))
    c1, c2 = geo_coverage.coverage("PAK", "IND", lo), geo_coverage.coverage("PAK", "IND", hi)
    assert 0.0 <= c1.area_fraction <= c2.area_fraction <= 1.0
    assert 0.0 <= c1.population_fraction <= c2.population_fraction <= 1.0
    assert c1.cities_in_range <= c2.cities_in_range == c2.cities_in_range


def test_coverage_limits_and_output() -> None:
    full = geo_distance.distance("PAK", "IND").full_coverage_km
    c = geo_coverage.coverage("PAK", "IND", full + 1)
    assert c.area_fraction == pytest.approx(1.0)
    assert c.population_fraction == pytest.approx(1.0)
    assert c.cities_in_range == c.cities_total > 1000
    c0 = geo_coverage.coverage("PAK", "IND:andaman-nicobar", 2000)
    assert c0.area_fraction == 0.0 and c0.cities_in_range == 0
    out = geo_coverage.coverage("PAK", "IND", 1500).to_dict()
    json.dumps(out)
    assert 0 < out["area_fraction"] < 1 and 0 < out["population_fraction"] < 1
    assert len(out["largest_in"]) == 10 and len(out["largest_out"]) == 10
    assert out["largest_in"][0]["population"] >= out["largest_in"][-1]["population"]
    assert all(x["distance_km"] <= 1500 for x in out["largest_in"])
    assert all(x["distance_km"] > 1500 for x in out["largest_out"])
    assert out["area_km2"] == pytest.approx(3.15e6, rel=0.05)


def test_bad_input() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        geo_coverage.coverage("PAK", "IND", -1)
    with pytest.raises(InvalidInput):
        geo_rings.ring("PAK", float("nan"))
    with pytest.raises(NotFound) as exc:
        geo_distance.distance("PAK", "INDD")
    assert "IND" in exc.value.suggestions
    with pytest.raises(InvalidInput):
        geo_distance.distance("PAK", "100,0")
    with pytest.raises(InvalidInput):
        geo_field.distance_field("PAK", 0.7)


def test_distance_field_matches_brute_force() -> None:
    f = geo_field.distance_field("PAK", 2.0)
    assert f.km.shape == (90, 180) and f.km.dtype == np.float32
    ia = geo_samples.index_of(resolve_region("PAK"))
    rng = np.random.default_rng(0)
    r, c = rng.integers(0, 90, 400), rng.integers(0, 180, 400)
    ref = inverse(f.lats[r][:, None], f.lons[c][:, None], ia.lat[None, :], ia.lon[None, :])[0].min(axis=1)
    ref = np.where(ia.contains(f.lats[r], f.lons[c]), 0.0, ref) / 1000
    assert np.max(np.abs(f.km[r, c] - ref)) < 2.0
    assert f.km.min() == 0.0
    json.dumps(geo_field.distance_field("PAK", 10.0).to_dict())


def _check_feature(feature: dict) -> shapely.MultiPolygon:
    json.dumps(feature)
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "MultiPolygon"
    geom = shape(feature["geometry"])
    for p in geom.geoms:
        assert p.is_valid
        assert shapely.Polygon(p.exterior).exterior.is_ccw
        xy = np.asarray(p.exterior.coords)
        assert np.all(np.abs(xy[:, 0]) <= 180) and np.all(np.abs(xy[:, 1]) <= 90)
    return geom


def test_ring_crosses_antimeridian_and_pole() -> None:
    feature = geo_rings.ring("PAK", 12_000)
    geom = _check_feature(feature)
    assert feature["properties"]["range_km"] == 12_000
    assert geom.covers(shapely.Point(0, 90))  # north pole
    assert geom.intersects(shapely.Point(179.9, 60)) and geom.intersects(shapely.Point(-179.9, 60))
    assert not geom.intersects(shapely.Point(-110, -30))  # Pakistan's antipode


def test_ring_boundary_lies_at_the_range() -> None:
    feature = geo_rings.ring("PAK", 2750)
    geom = _check_feature(feature)
    xy = np.asarray(geom.geoms[0].exterior.coords)[::25]
    ia = geo_samples.index_of(resolve_region("PAK"))
    d, _, _ = ia.distance(xy[:, 1], xy[:, 0])
    assert np.max(np.abs(d / 1000 - 2750)) < 5.0
    small = _check_feature(geo_rings.ring("site:islamabad", 1000))
    area = small.geoms[0]
    assert area.contains(shapely.Point(73.04, 33.72))
    assert geo_rings.ring("PAK", 0)["geometry"]["coordinates"]
