"""The Earth model of the trajectory engine: WGS-84 ellipsoid, J2 gravity, rotation.

All quantities SI: metres, seconds, radians. Positions are Earth-centred: ECEF (rotating with the Earth) or
ECI (inertial; coincides with ECEF at t = 0, the launch time). The z axis is the rotation axis in both.

Constants are the WGS-84 defining parameters (NGA.STND.0036, 2014): semi-major axis ``a``, flattening ``f``,
gravitational parameter ``GM`` and angular velocity ``omega``; ``J2`` is the dynamical form factor derived from
the EGM2008 zonal coefficient C̄20 = −4.84165143790815e−4 (J2 = −√5·C̄20).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

G0 = 9.80665
"""Standard gravity (m/s²): converts specific impulse (s) into effective exhaust speed (m/s)."""

MAX_RANGE_KM = 40_075.0
"""Largest ground range accepted as an input (km): one equatorial circumference of the WGS-84 Earth (2πa =
40,075 km). The CLI's ``--range-km`` options and the HTTP API's ``range_km`` (``web/routes/deps.py``) share it."""

Array = NDArray[np.float64]


@dataclass(frozen=True)
class EarthModel:
    """An ellipsoidal, rotating Earth with J2 gravity.

    ``a`` semi-major axis (m), ``f`` flattening (–), ``gm`` gravitational parameter (m³/s²), ``j2`` second zonal
    harmonic (–), ``omega`` rotation rate (rad/s). :data:`WGS84` is the default; :meth:`sphere` builds the
    non-rotating spherical Earth used for closed-form checks.
    """

    a: float = 6378137.0
    f: float = 1.0 / 298.257223563
    gm: float = 3.986004418e14
    j2: float = 1.0826298213e-3
    omega: float = 7.292115e-5
    name: str = "WGS-84, J2 gravity, rotating"

    @classmethod
    def sphere(cls, radius_m: float = 6371000.0, rotating: bool = False) -> EarthModel:
        """A spherical Earth of ``radius_m`` (m), point-mass gravity, rotating or not."""
        spin = "rotating" if rotating else "not rotating"
        return cls(a=radius_m, f=0.0, j2=0.0, omega=cls.omega if rotating else 0.0,
                   name=f"sphere R={radius_m / 1000:g} km, point-mass gravity, {spin}")

    @cached_property
    def b(self) -> float:
        """Semi-minor axis (m)."""
        return self.a * (1.0 - self.f)

    @cached_property
    def e2(self) -> float:
        """First eccentricity squared (–)."""
        return self.f * (2.0 - self.f)

    def geodetic_to_ecef(self, lat_deg: Array | float, lon_deg: Array | float,
                         h_m: Array | float = 0.0) -> Array:
        """ECEF position (m), shape ``(3, …)``, of geodetic latitude/longitude (deg) and height ``h_m`` (m)."""
        lat, lon = np.radians(lat_deg), np.radians(lon_deg)
        n = self.a / np.sqrt(1.0 - self.e2 * np.sin(lat) ** 2)
        return np.array([(n + h_m) * np.cos(lat) * np.cos(lon),
                         (n + h_m) * np.cos(lat) * np.sin(lon),
                         (n * (1.0 - self.e2) + h_m) * np.sin(lat)])

    def ecef_to_geodetic(self, x: Array, y: Array, z: Array) -> tuple[Array, Array, Array]:
        """Geodetic latitude (deg), longitude (deg) and height (m) of ECEF points (m), through pyproj (PROJ)."""
        if self.f == 0.0:
            r = np.sqrt(x * x + y * y + z * z)
            return np.degrees(np.arcsin(z / r)), np.degrees(np.arctan2(y, x)), r - self.a

        t = _ecef_transformer(self.a, self.f)
        lon, lat, h = t.transform(np.asarray(x, float), np.asarray(y, float), np.asarray(z, float))
        return np.asarray(lat), np.asarray(lon), np.asarray(h)

    def altitude(self, x: Array, y: Array, z: Array) -> Array:
        """Height above the ellipsoid (m) of ECI/ECEF points (m), fast form for the integrator.

        ``r − R(φc)`` with ``R(φc)`` the ellipsoid radius at the point's geocentric latitude: exact on the
        ellipsoid (h = 0, where impacts are found) and within ~1 m of the geodetic height up to a few hundred km
        (the difference is second order in the deflection between geocentric and geodetic normals).
        """
        r2 = x * x + y * y + z * z
        r = np.sqrt(r2)
        if self.f == 0.0:
            return r - self.a
        s2 = z * z / r2
        c2 = 1.0 - s2
        b = self.b
        return r - self.a * b / np.sqrt(b * b * c2 + self.a * self.a * s2)

    def gravity(self, x: Array, y: Array, z: Array) -> tuple[Array, Array, Array]:
        """Gravitational acceleration (m/s²) at ECI points (m): point mass plus the J2 term.

        a = −GM r/r³ [1 + 3/2 J2 (a/r)² (1 − 5 z²/r²)] for x, y and −GM z/r³ [1 + 3/2 J2 (a/r)² (3 − 5 z²/r²)]
        for z (the J2 field is symmetric about the rotation axis, hence the same in ECI and ECEF).
        """
        r2 = x * x + y * y + z * z
        r = np.sqrt(r2)
        mu_r3 = self.gm / (r2 * r)
        if self.j2 == 0.0:
            return -mu_r3 * x, -mu_r3 * y, -mu_r3 * z
        k = 1.5 * self.j2 * self.a * self.a / r2
        q = 5.0 * z * z / r2
        cxy = mu_r3 * (1.0 + k * (1.0 - q))
        return -cxy * x, -cxy * y, -mu_r3 * (1.0 + k * (3.0 - q)) * z

    def eci_to_ecef(self, pos: Array, t_s: Array | float) -> Array:
        """Rotate ECI positions ``(3, …)`` (m) at times ``t_s`` (s) into ECEF (m)."""
        th = self.omega * np.asarray(t_s, float)
        c, s = np.cos(th), np.sin(th)
        return np.array([c * pos[0] + s * pos[1], -s * pos[0] + c * pos[1], pos[2]])

    def geod(self) -> Any:
        """pyproj ``Geod`` on this ellipsoid (GeographicLib geodesics)."""

        return _geod(self.a, self.f)

    def ground_range_m(self, lat1: Array, lon1: Array, lat2: Array, lon2: Array) -> Array:
        """Geodesic distance (m) on this ellipsoid between geodetic points (deg), vectorised."""
        return self.inverse(lat1, lon1, lat2, lon2)[0]

    def inverse(self, lat1: Array, lon1: Array, lat2: Array, lon2: Array) -> tuple[Array, Array]:
        """Geodesic distance (m) and initial azimuth (deg from north) between geodetic points (deg)."""
        az, _, d = self.geod().inv(np.asarray(lon1, float), np.asarray(lat1, float),
                                    np.asarray(lon2, float), np.asarray(lat2, float))
        return np.asarray(d, float), np.asarray(az, float)


WGS84 = EarthModel()
"""The default Earth: WGS-84 ellipsoid, J2 gravity, rotating."""

NON_ROTATING = EarthModel(omega=0.0, name="WGS-84, J2 gravity, not rotating")
"""The WGS-84 Earth without its rotation: geometry-free comparisons, and lofted tests whose launch point and
azimuth are not known (the one definition; the CLI, the questions and the brief use it)."""


def earth_model(rotating: bool = True) -> EarthModel:
    """:data:`WGS84` (rotating) or :data:`NON_ROTATING`."""
    return WGS84 if rotating else NON_ROTATING


_TRANSFORMERS: dict[tuple[float, float], object] = {}
_GEODS: dict[tuple[float, float], object] = {}


def _ecef_transformer(a: float, f: float) -> Any:
    from pyproj import CRS, Transformer

    key = (a, f)
    if key not in _TRANSFORMERS:
        if (a, f) == (WGS84.a, WGS84.f):
            _TRANSFORMERS[key] = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)
        else:
            ell = f"+a={a} +rf={1.0 / f}" if f else f"+a={a} +b={a}"
            _TRANSFORMERS[key] = Transformer.from_crs(CRS.from_proj4(f"+proj=geocent {ell}"),
                                                      CRS.from_proj4(f"+proj=longlat {ell}"), always_xy=True)
    return _TRANSFORMERS[key]


def _geod(a: float, f: float) -> Any:
    from pyproj import Geod

    key = (a, f)
    if key not in _GEODS:
        _GEODS[key] = Geod(a=a, f=f)
    return _GEODS[key]
