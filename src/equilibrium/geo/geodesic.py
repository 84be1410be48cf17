"""Geodesics on the WGS-84 ellipsoid (Karney 2013 via :class:`pyproj.Geod` / GeographicLib).

Angles are in degrees, lengths in metres. Every function broadcasts its array arguments (numpy rules) and
returns numpy arrays of the broadcast shape (0-d arrays for scalar input). Sources: ``karney-2013`` (algorithm),
``nga-wgs84`` (ellipsoid: a = 6,378,137 m, 1/f = 298.257223563).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
import pyproj
from numpy.typing import ArrayLike, NDArray

from equilibrium.geo.caches import register

A_M: float = 6_378_137.0
"""WGS-84 semi-major axis (m)."""
F: float = 1.0 / 298.257223563
"""WGS-84 flattening (dimensionless)."""
B_M: float = A_M * (1.0 - F)
"""WGS-84 semi-minor axis (m)."""
E2: float = F * (2.0 - F)
"""WGS-84 first eccentricity squared (dimensionless)."""

GEOD = pyproj.Geod(ellps="WGS84")
"""The WGS-84 :class:`pyproj.Geod` (GeographicLib algorithms; exact to ~15 nm)."""

_PARALLEL_MIN = 200_000
"""Arrays at least this long are split across threads (pyproj releases the GIL)."""

FloatArray = NDArray[np.float64]


@cache
def _pool() -> ThreadPoolExecutor:
    import os

    return ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)))


register("geodesic._pool", _pool, "() — the geodesic thread pool", "fixed; unbounded")


def _flat(*args: ArrayLike) -> tuple[tuple[int, ...], list[FloatArray]]:
    arrs = np.broadcast_arrays(*[np.asarray(a, dtype=np.float64) for a in args])
    shape = arrs[0].shape
    return shape, [np.ascontiguousarray(a.reshape(-1)) for a in arrs]


def inverse(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
            ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Inverse geodesic problem.

    :param lat1, lon1: first point (deg).  :param lat2, lon2: second point (deg).
    :returns: ``(distance_m, azi1_deg, azi2_deg)``: geodesic length (m), forward azimuth at point 1 (deg,
        clockwise from north) and forward azimuth at point 2 (deg, the direction of travel there).
    """
    shape, (la1, lo1, la2, lo2) = _flat(lat1, lon1, lat2, lon2)
    n = la1.size
    if n >= _PARALLEL_MIN:
        pool = _pool()
        k = pool._max_workers
        cuts = np.linspace(0, n, k + 1).astype(int)
        parts = list(pool.map(lambda s: GEOD.inv(lo1[s], la1[s], lo2[s], la2[s], return_back_azimuth=False),
                              [slice(cuts[i], cuts[i + 1]) for i in range(k)]))
        az1 = np.concatenate([p[0] for p in parts])
        az2 = np.concatenate([p[1] for p in parts])
        dist = np.concatenate([p[2] for p in parts])
    else:
        az1, az2, dist = GEOD.inv(lo1, la1, lo2, la2, return_back_azimuth=False)
    return (np.asarray(dist, dtype=np.float64).reshape(shape), np.asarray(az1, dtype=np.float64).reshape(shape),
            np.asarray(az2, dtype=np.float64).reshape(shape))


def distance_m(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> FloatArray:
    """Geodesic distance (m) between points given in degrees; broadcasting."""
    return inverse(lat1, lon1, lat2, lon2)[0]


def direct(lat: ArrayLike, lon: ArrayLike, azi_deg: ArrayLike, dist_m: ArrayLike
           ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Direct geodesic problem.

    :param lat, lon: start point (deg). :param azi_deg: azimuth at the start (deg, clockwise from north).
    :param dist_m: distance along the geodesic (m; negative goes backwards).
    :returns: ``(lat2_deg, lon2_deg, azi2_deg)``, azi2 being the forward azimuth at the end point (deg).
    """
    shape, (la, lo, az, s) = _flat(lat, lon, azi_deg, dist_m)
    lo2, la2, az2 = GEOD.fwd(lo, la, az, s, return_back_azimuth=False)
    return (np.asarray(la2, dtype=np.float64).reshape(shape), np.asarray(lo2, dtype=np.float64).reshape(shape),
            np.asarray(az2, dtype=np.float64).reshape(shape))


def to_ecef(lat: ArrayLike, lon: ArrayLike) -> FloatArray:
    """Earth-centred, Earth-fixed coordinates (m) of points on the WGS-84 ellipsoid (height 0).

    :param lat, lon: geodetic latitude and longitude (deg). :returns: array ``(..., 3)`` of x, y, z (m).
    """
    la = np.radians(np.asarray(lat, dtype=np.float64))
    lo = np.radians(np.asarray(lon, dtype=np.float64))
    la, lo = np.broadcast_arrays(la, lo)
    sl, cl = np.sin(la), np.cos(la)
    n = A_M / np.sqrt(1.0 - E2 * sl * sl)
    return np.stack([n * cl * np.cos(lo), n * cl * np.sin(lo), n * (1.0 - E2) * sl], axis=-1)


def chord_upper_m(geodesic_m: ArrayLike) -> FloatArray:
    """An upper bound (m) of the straight-line chord between two ellipsoid points ``geodesic_m`` (m) apart.

    The ellipsoid lies between spheres of radii b and a; central projection onto the inner sphere is
    1-Lipschitz, so the central angle θ is at most ``s/b``; with both radii in [b, a] the chord is at most
    ``max(2a²(1 − cos θ), a² + b² − 2ab cos θ)^½`` (θ ≤ π). Used to size k-d-tree ball queries conservatively.
    """
    s = np.asarray(geodesic_m, dtype=np.float64)
    c = np.cos(np.minimum(s / B_M, np.pi))
    return np.sqrt(np.maximum(2 * A_M * A_M * (1 - c), A_M * A_M + B_M * B_M - 2 * A_M * B_M * c))


def chord_to_geodesic_lower_m(chord_m: ArrayLike) -> FloatArray:
    """A lower bound (m) of the geodesic length between two ellipsoid points ``chord_m`` (m) apart (= chord)."""
    return np.asarray(chord_m, dtype=np.float64)


def interpolate(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike, frac: ArrayLike
                ) -> tuple[FloatArray, FloatArray]:
    """Point at fraction ``frac`` (0–1, dimensionless) along the geodesic from point 1 to point 2 (deg in/out)."""
    s, az1, _ = inverse(lat1, lon1, lat2, lon2)
    la, lo, _ = direct(lat1, lon1, az1, s * np.asarray(frac, dtype=np.float64))
    return la, lo


def segment_extreme(plat: ArrayLike, plon: ArrayLike, alat: ArrayLike, alon: ArrayLike, blat: ArrayLike,
                    blon: ArrayLike, maximize: bool = False, iters: int = 12
                    ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Extreme geodesic distance from points P to geodesic segments AB (vectorised, exact to < 1 mm).

    Along the geodesic X(s) from A to B the derivative of ``d(P, X(s))`` is ``−cos α(s)``, α being the angle
    at X between the segment's direction and the direction to P (both azimuths come from GeographicLib).
    An interior minimum (maximum) is a root of ``cos α`` bracketed by a sign change over [A, B]; it is
    found by the Illinois variant of regula falsi (``iters`` steps, superlinear), and compared with both
    end points, which are the answer when there is no sign change.

    :param plat, plon: points P (deg). :param alat, alon, blat, blon: segment ends A and B (deg).
    :param maximize: find the largest instead of the smallest distance.
    :returns: ``(distance_m, lat_deg, lon_deg)`` of the extreme point X on each segment.
    """
    shape, (pla, plo, ala, alo, bla, blo) = _flat(plat, plon, alat, alon, blat, blon)
    seg_s, seg_az, _ = inverse(ala, alo, bla, blo)

    def at(t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        la, lo, az_seg = direct(ala, alo, seg_az, seg_s * t)
        d, az_p, _ = inverse(la, lo, pla, plo)
        return d, np.cos(np.radians(az_p - az_seg)), la, lo  # derivative of d along s is -cos

    d0, g0, la0, lo0 = at(np.zeros_like(pla))
    d1, g1, la1, lo1 = at(np.ones_like(pla))
    # minimum: d' goes - → +, i.e. g (= -d') goes + → -; maximum: g goes - → +
    bracket = (g0 > 0) & (g1 < 0) if not maximize else (g0 < 0) & (g1 > 0)
    bracket &= seg_s > 0
    best_d = np.where((d1 < d0) != maximize, d1, d0)
    best_la = np.where((d1 < d0) != maximize, la1, la0)
    best_lo = np.where((d1 < d0) != maximize, lo1, lo0)
    idx = np.nonzero(bracket)[0]
    if idx.size:
        ala, alo, seg_az, seg_s, pla, plo = ala[idx], alo[idx], seg_az[idx], seg_s[idx], pla[idx], plo[idx]
        ta, tb = np.zeros(idx.size), np.ones(idx.size)
        ga, gb = g0[idx], g1[idx]
        t = ta
        d, la, lo = d0[idx], la0[idx], lo0[idx]
        side = np.zeros(idx.size)
        for _ in range(iters):
            t = np.clip((ta * gb - tb * ga) / np.where(gb - ga == 0, 1.0, gb - ga), 0.0, 1.0)
            d, g, la, lo = at(t)
            left = np.sign(g) == np.sign(ga)
            # Illinois: halve the retained end's value when the same end is kept twice
            ga_new = np.where(left, g, np.where(side == -1, ga / 2, ga))
            gb_new = np.where(left, np.where(side == 1, gb / 2, gb), g)
            ta, tb = np.where(left, t, ta), np.where(left, tb, t)
            ga, gb = ga_new, gb_new
            side = np.where(left, 1, -1)
            if np.all(np.abs(tb - ta) * seg_s < 1e-4):
                break
        better = (d < best_d[idx]) != maximize
        sel = idx[better]
        best_d[sel], best_la[sel], best_lo[sel] = d[better], la[better], lo[better]
    return best_d.reshape(shape), best_la.reshape(shape), best_lo.reshape(shape)
