"""Geo caches keyed by user-supplied specs stay bounded; results and cache hits are unchanged."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import numpy as np
import pytest

import equilibrium.geo as geo
from equilibrium.geo import coverage, samples
from equilibrium.geo import distance as geo_distance
from equilibrium.geo.caches import BoundedCache, cache_info
from equilibrium.geo.countries import SUBREGIONS, _country, _subregion, country_features
from equilibrium.geo.regions import resolve_region


def _points(n: int, offset: int = 0) -> list[str]:
    """``n`` distinct ``"lat,lon"`` specs in Pakistan / the Arabian Sea."""
    return [f"{24 + (i % 97) * 0.1:.4f},{62 + (i // 97) * 0.1 + offset * 1e-4:.4f}" for i in range(n)]


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    a, b = dict(a), dict(b)
    a.pop("elapsed_ms", None)
    b.pop("elapsed_ms", None)
    assert a == b


# ------------------------------------------------------------------------------------------ BoundedCache


def test_bounded_cache_lru_order_and_count() -> None:
    c: BoundedCache[int] = BoundedCache(3)
    for k in "abc":
        c.get_or_compute(k, partial(ord, k))
    assert c.get_or_compute("a", lambda: -1) == ord("a")  # hit, now most recent
    c.get_or_compute("d", lambda: 4)
    assert c.keys() == ["c", "a", "d"]  # "b" (least recently used) evicted
    assert c.info()["size"] == 3 and c.info()["hits"] == 1 and c.info()["misses"] == 4


def test_bounded_cache_byte_budget_keeps_newest() -> None:
    c: BoundedCache[np.ndarray] = BoundedCache(100, max_bytes=1000, sizer=lambda v: int(v.nbytes))
    for i in range(10):
        c.put(i, np.zeros(50))  # 400 B each: at most two fit
    assert len(c) == 2 and c.info()["bytes"] <= 1000
    c.put("big", np.zeros(500))  # alone above the budget: kept, everything else evicted
    assert c.keys() == ["big"]


def test_bounded_cache_threads() -> None:
    c: BoundedCache[int] = BoundedCache(8)

    def work(t: int) -> None:
        for i in range(2000):
            k = (t + i) % 50
            assert c.get_or_compute(k, partial(int, k)) == k

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(c) <= 8


# --------------------------------------------------------------------------------- reach, real bounds


needs_atlas = pytest.mark.usefixtures("atlas")


@needs_atlas
def test_point_specs_keep_index_and_seed_caches_bounded() -> None:
    """3 × bound distinct ``lat,lon`` specs through the real caches: each ends at ≤ its bound."""
    for cache in (samples._INDEX, samples._SEEDS):
        for spec in _points(3 * cache.maxsize, offset=1 if cache is samples._INDEX else 2):
            samples.seeds_of(resolve_region(spec))
        info = cache.info()
        assert info["size"] <= cache.maxsize
        assert info["bytes"] <= info["max_bytes"]
    for name, row in cache_info().items():
        if row["maxsize"] is not None:
            assert row["size"] <= row["maxsize"], name


@needs_atlas
def test_repeated_calls_hit_the_caches() -> None:
    geo_distance.distance("PAK", "IND")  # the opening map
    before = {k: (v.hits, v.misses) for k, v in (("i", samples._INDEX), ("s", samples._SEEDS))}
    r1 = geo_distance.distance("PAK", "IND")
    after = {k: (v.hits, v.misses) for k, v in (("i", samples._INDEX), ("s", samples._SEEDS))}
    for k in before:
        assert after[k][1] == before[k][1]  # no miss
        assert after[k][0] > before[k][0]
    assert resolve_region("PAK") is resolve_region("pakistan")  # catalogue lookups: the cached Region
    assert resolve_region("USA:conus") is resolve_region("usa:conus")
    _same(r1.to_dict(), geo_distance.distance("PAK", "IND").to_dict())


@needs_atlas
def test_region_caches_cover_the_fixed_key_set() -> None:
    """_country / _subregion are keyed by canonical specs: their bound holds every key, so nothing evicts."""
    specs = {res: list(country_features(res)) for res in ("10m", "50m")}
    bound, sub_bound = _country.cache_info().maxsize, _subregion.cache_info().maxsize
    assert bound is not None and sub_bound is not None
    assert sum(map(len, specs.values())) <= bound
    assert 2 * len(SUBREGIONS) <= sub_bound
    first = resolve_region("PAK")
    for res, names in specs.items():
        for spec in names:
            resolve_region(spec, res)
    for spec in SUBREGIONS:
        resolve_region(spec)
    assert _country.cache_info().currsize <= bound
    assert resolve_region("PAK") is first


# --------------------------------------------------------------------------------- reach, small bounds


@pytest.fixture
def small_caches(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, BoundedCache[Any]]]:
    """Fresh, small reach caches (cold), restored (warm originals) afterwards."""
    caches: dict[str, BoundedCache[Any]] = {
        "_INDEX": BoundedCache(4, max_bytes=4 * 2**20, sizer=samples._index_bytes),
        "_SEEDS": BoundedCache(4),
        "_CELLS": BoundedCache(2),
        "_COVERAGE": BoundedCache(3),
    }
    for name, cache in caches.items():
        monkeypatch.setattr(coverage if name == "_COVERAGE" else samples, name, cache)
    yield caches


@needs_atlas
def test_distance_and_coverage_bounded_and_unchanged(small_caches: dict[str, BoundedCache[Any]]) -> None:
    specs = _points(3 * 4, offset=3)
    cold = {s: (geo_distance.distance(s, "PAK").to_dict(), coverage.coverage(s, "PAK", 300).to_dict()) for s in specs}
    for cache in small_caches.values():
        assert len(cache) <= cache.maxsize
    assert small_caches["_INDEX"].info()["bytes"] <= 4 * 2**20
    last = specs[-1]
    misses = small_caches["_COVERAGE"].misses
    _same(cold[last][1], coverage.coverage(last, "PAK", 300).to_dict())  # still cached: a hit
    assert small_caches["_COVERAGE"].misses == misses
    for s in specs[:3]:  # evicted long ago: recomputed identically
        d, c = cold[s]
        _same(d, geo_distance.distance(s, "PAK").to_dict())
        _same(c, coverage.coverage(s, "PAK", 300).to_dict())
    assert small_caches["_COVERAGE"].misses == misses + 3


@needs_atlas
def test_cells_bounded_and_unchanged(small_caches: dict[str, BoundedCache[Any]]) -> None:
    areas = ["LUX", "AND", "MLT", "SGP", "BHR", "LIE"]  # 3 × the bound of 2
    cold = {}
    for a in areas:
        s = coverage.coverage_samples("30.1,70.2", a)
        cold[a] = (s.lat, s.lon, s.weights, s.dist_m)
        assert len(small_caches["_CELLS"]) <= 2
    for a in areas[:2]:
        s = coverage.coverage_samples("30.1,70.2", a)
        for x, y in zip(cold[a], (s.lat, s.lon, s.weights, s.dist_m), strict=True):
            np.testing.assert_array_equal(x, y)


@needs_atlas
def test_cache_info_exported() -> None:
    assert geo.cache_info is cache_info
    assert "cache_info" in geo.__all__
    info = geo.cache_info()
    for name in ("samples._INDEX", "samples._SEEDS", "samples._CELLS", "coverage._COVERAGE", "countries._country",
                 "countries._subregion"):
        assert isinstance(info[name]["maxsize"], int), name
        assert {"size", "maxsize", "key", "note"} <= set(info[name])
    assert info["atlas._load"]["maxsize"] is None  # fixed key set: unbounded
