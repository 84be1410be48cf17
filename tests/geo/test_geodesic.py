"""WGS-84 geodesics: GeodTest (Karney), vectorisation, segment extremes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equilibrium.geo.geodesic import chord_upper_m, direct, inverse, segment_extreme, to_ecef

GEODTEST = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "geodesy" / "GeodTest-100.dat"


def _angle_diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


@pytest.mark.realdata
def test_geodtest_inverse_and_direct() -> None:
    """Karney's GeodTest sample (lat1 lon1 azi1 lat2 lon2 azi2 s12 a12 m12 S12): inverse distance within 1 mm;
    inverse azimuth error times the reduced length m12 (its effect on the end point) within 1 mm, since
    azimuths of nearly antipodal pairs are ill-conditioned; direct end point within 1 mm."""
    if not GEODTEST.is_file():
        pytest.skip(f"GeodTest data {GEODTEST} is absent (../shared/data)")
    rows = np.array([[float(x) for x in line.split()] for line in GEODTEST.read_text().splitlines() if line.strip()])
    lat1, lon1, azi1, lat2, lon2, azi2, s12, _a12, m12 = rows[:, :9].T
    s, a1, a2 = inverse(lat1, lon1, lat2, lon2)
    assert np.max(np.abs(s - s12)) <= 1e-3
    assert np.max(np.radians(_angle_diff(a1, azi1)) * np.abs(m12)) < 1e-3
    assert np.max(np.radians(_angle_diff(a2, azi2)) * np.abs(m12)) < 1e-3
    assert np.median(_angle_diff(a1, azi1)) < 1e-9
    la, lo, az = direct(lat1, lon1, azi1, s12)
    assert np.max(inverse(la, lo, lat2, lon2)[0]) < 1e-3  # end point within 1 mm
    assert np.max(_angle_diff(az, azi2)) < 1e-8


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180)),
                min_size=1, max_size=8))
def test_vectorised_inverse_equals_scalar(pairs: list[tuple[float, float, float, float]]) -> None:
    arr = np.array(pairs)
    s, a1, a2 = inverse(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])
    for i, (la1, lo1, la2, lo2) in enumerate(pairs):
        si, a1i, a2i = inverse(la1, lo1, la2, lo2)
        assert si.shape == ()
        assert float(si) == pytest.approx(float(s[i]), abs=1e-6)


def test_broadcasting_and_threads() -> None:
    lat = np.linspace(-80, 80, 300_000)
    s, _, _ = inverse(lat, 10.0, 0.0, 0.0)
    assert s.shape == lat.shape
    small = inverse(lat[::1000], 10.0, 0.0, 0.0)[0]
    np.testing.assert_allclose(s[::1000], small, atol=1e-6)


def test_chord_bound_is_an_upper_bound() -> None:
    rng = np.random.default_rng(3)
    la1, la2 = rng.uniform(-90, 90, (2, 5000))
    lo1, lo2 = rng.uniform(-180, 180, (2, 5000))
    s = inverse(la1, lo1, la2, lo2)[0]
    chord = np.linalg.norm(to_ecef(la1, lo1) - to_ecef(la2, lo2), axis=1)
    assert np.all(chord <= chord_upper_m(s) + 1e-6)
    assert np.all(chord <= s + 1e-6)


@pytest.mark.parametrize("maximize", [False, True])
def test_segment_extreme_matches_dense_sampling(maximize: bool) -> None:
    rng = np.random.default_rng(7)
    n = 400
    plat, alat = rng.uniform(-80, 80, (2, n))
    plon, alon = rng.uniform(-180, 180, (2, n))
    az = rng.uniform(0, 360, n)
    length = rng.uniform(0, 20_000, n)
    blat, blon, _ = direct(alat, alon, az, length)
    d, _, _ = segment_extreme(plat, plon, alat, alon, blat, blon, maximize=maximize)
    t = np.linspace(0, 1, 1001)
    xl, xo, _ = direct(alat[:, None], alon[:, None], az[:, None], length[:, None] * t[None, :])
    dense = inverse(plat[:, None], plon[:, None], xl, xo)[0]
    ref = dense.max(axis=1) if maximize else dense.min(axis=1)
    if maximize:
        assert np.all(d >= ref - 1e-6)
    else:
        assert np.all(d <= ref + 1e-6)
    assert np.max(np.abs(d - ref)) < 0.05  # the dense grid itself is only 20 m fine


def test_geodesic_lower_bound_from_chord() -> None:
    from equilibrium.geo.index import geodesic_lower_m

    rng = np.random.default_rng(4)
    la1, la2 = rng.uniform(-90, 90, (2, 5000))
    lo1, lo2 = rng.uniform(-180, 180, (2, 5000))
    s = inverse(la1, lo1, la2, lo2)[0]
    chord = np.linalg.norm(to_ecef(la1, lo1) - to_ecef(la2, lo2), axis=1)
    assert np.all(geodesic_lower_m(chord) <= s + 1e-6)
