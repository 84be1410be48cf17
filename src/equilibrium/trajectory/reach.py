"""Reach from the physics: the maximum range of a vehicle depends on the launch azimuth on a rotating Earth
(eastward launches go further), so the reachable set is not a circle.

:func:`azimuth_ranges` flies the range-maximising trajectory in every direction from a launch latitude (the
longitude does not matter on the WGS-84 ellipsoid); :func:`physics_reach` applies the profile to a FROM → TO
question: the nearest distance and every area/city sample of TO are compared with the range in their direction
from FROM's launch point nearest to TO. Units: km, deg.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from equilibrium.geo import coverage as geo_coverage
from equilibrium.geo import distance as geo_distance
from equilibrium.trajectory.analyses import max_range_many, max_range_shaped
from equilibrium.trajectory.earth import WGS84, EarthModel
from equilibrium.trajectory.engine import Launch, VehicleArrays
from equilibrium.trajectory.vehicle import Vehicle


@dataclass
class AzimuthProfile:
    """Maximum range (km) by launch azimuth (deg) from latitude ``lat_deg``."""

    lat_deg: float
    azimuth_deg: np.ndarray
    range_km: np.ndarray

    def at(self, az_deg: np.ndarray | float) -> np.ndarray:
        """Range (km) towards azimuths ``az_deg`` (periodic linear interpolation)."""
        az = np.mod(np.asarray(az_deg, float), 360.0)
        xs = np.concatenate([self.azimuth_deg, [self.azimuth_deg[0] + 360.0]])
        ys = np.concatenate([self.range_km, [self.range_km[0]]])
        out: np.ndarray = np.interp(az, xs, ys)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (deg, km)."""
        return {"lat_deg": self.lat_deg, "azimuth_deg": self.azimuth_deg.tolist(), "range_km": self.range_km.tolist(),
                "min_km": float(self.range_km.min()), "max_km": float(self.range_km.max())}


def azimuth_ranges(vehicle: Vehicle, lat_deg: float, n: int = 24, earth: EarthModel = WGS84) -> AzimuthProfile:
    """Maximum range (km) in ``n`` launch directions from latitude ``lat_deg`` (deg): the pitch-over optimised per
    direction, the thrust tilt once (due east)."""
    vehicle.check_liftoff()
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    # The thrust tilt of the shaped pitch programme, optimised once (due east), then the pitch-over per azimuth.
    tilt = max_range_shaped(VehicleArrays.from_vehicle(vehicle), Launch(lat_deg, 0.0, 90.0), earth=earth).bias_deg
    va = VehicleArrays.from_vehicle(vehicle, n)
    mm = max_range_many(va, Launch(np.full(n, lat_deg), np.zeros(n), az), earth=earth, points=9, rounds=2,
                        bias_deg=float(np.nan_to_num(tilt[0])))
    return AzimuthProfile(lat_deg=lat_deg, azimuth_deg=az, range_km=mm.range_m / 1e3)


def physics_reach(frm: str, to: str, vehicle: Vehicle, *, n_azimuths: int = 24,
                  earth: EarthModel = WGS84) -> dict[str, Any]:
    """Does ``vehicle`` launched from FROM reach TO's nearest point, and how much of TO does it cover, with the
    range in each direction from the physics? Returns the azimuth profile, ``reaches_nearest``, ``area_fraction``,
    ``population_fraction`` and the cities in and out of reach (10 largest)."""
    d = geo_distance.distance(frm, to).to_dict()
    lat0, lon0 = d["nearest_points"]["from"]
    prof = azimuth_ranges(vehicle, lat0, n_azimuths, earth)
    geod = earth.geod()
    lat1, lon1 = d["nearest_points"]["to"]
    az_near, _, _ = geod.inv(lon0, lat0, lon1, lat1)
    r_near = float(prof.at(az_near))
    s = geo_coverage.coverage_samples(frm, to)
    az, _, _ = geod.inv(np.full(s.lat.size, lon0), np.full(s.lat.size, lat0), s.lon, s.lat)
    inside = s.dist_m / 1e3 <= prof.at(az)
    wsum = float(s.weights.sum())
    caz, _, _ = geod.inv(np.full(s.city_lat.size, lon0), np.full(s.city_lat.size, lat0), s.city_lon, s.city_lat)
    cin = s.city_dist_m / 1e3 <= prof.at(caz) if s.city_lat.size else np.zeros(0, bool)
    ptot = float(s.city_population.sum())
    order = np.argsort(-s.city_population)

    def rows(sel: np.ndarray) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for i in order:
            if sel[i] and len(out) < 10:
                out.append({"name": s.city_names[i], "population": int(s.city_population[i]),
                            "distance_km": round(float(s.city_dist_m[i]) / 1e3, 1),
                            "range_toward_km": round(float(prof.at(caz[i])), 1)})
        return out

    return {
        "from": d["from"], "to": d["to"], "launch_point": [lat0, lon0],
        "nearest_km": d["nearest_km"], "azimuth_to_nearest_deg": float(az_near),
        "range_toward_nearest_km": r_near, "reaches_nearest": bool(d["nearest_km"] <= r_near),
        "area_fraction": float(s.weights[inside].sum() / wsum) if wsum > 0 else float(bool(inside.all())),
        "population_fraction": float(s.city_population[cin].sum() / ptot) if ptot > 0 else 0.0,
        "cities_in_range": int(cin.sum()), "cities_total": int(cin.size),
        "largest_in": rows(cin), "largest_out": rows(~cin),
        "azimuth_profile": prof.to_dict(), "boundary": d["boundary"], "earth": earth.name,
        "method": ("maximum range flown in each launch direction from FROM's point nearest to TO (rotating "
                   "WGS-84 Earth); each sample of TO is in reach when its geodesic distance to FROM is within the "
                   "range towards it (direction measured from that launch point)"),
    }


REACH_POLYGON_AZIMUTHS = 72
"""Directions (every 5°) of the physics reach polygon drawn from the launch point."""

MAX_POLYGON_RANGE_KM = 19_900.0
"""Ranges are clipped here for the polygon: beyond it the geodesic passes the antipode and the ring folds."""


def reach_polygon(launch_point: tuple[float, float], azimuth_deg: list[float], range_km: list[float],
                  n: int = REACH_POLYGON_AZIMUTHS) -> dict[str, Any]:
    """GeoJSON Feature (Polygon) of the azimuth-dependent reach from ``launch_point`` (lat, lon in degrees): the
    WGS-84 geodesic of the range (km, interpolated periodically in the profile) in each of ``n`` directions.

    The ring runs in order of increasing azimuth (north, east, south, west): clockwise, with the launch point on
    its right, which is d3-geo's spherical convention for "the region inside" at any size, across the antimeridian
    or round a pole (*not* RFC 7946). Directions where no flight impacted are interpolated from their neighbours.
    """
    lat0, lon0 = float(launch_point[0]), float(launch_point[1])
    xs = np.asarray(azimuth_deg, dtype=float) % 360.0
    ys = np.asarray(range_km, dtype=float)
    ok = np.isfinite(xs) & np.isfinite(ys)
    props: dict[str, Any] = {"launch_point": [lat0, lon0], "azimuths": n,
                             "winding": "d3-geo (clockwise, increasing azimuth), not RFC 7946"}
    if not ok.any():
        return {"type": "Feature", "geometry": None, "properties": {**props, "note": "no direction impacted"}}
    xs, ys = xs[ok], ys[ok]
    order = np.argsort(xs)
    xs, ys = xs[order], ys[order]
    az = np.arange(n) * (360.0 / n)
    r = np.interp(az, np.concatenate([xs - 360.0, xs, xs + 360.0]), np.concatenate([ys, ys, ys]))
    r = np.clip(r, 0.0, MAX_POLYGON_RANGE_KM)
    lon, lat, _ = WGS84.geod().fwd(np.full(n, lon0), np.full(n, lat0), az, r * 1e3)
    ring = [[round(float(x), 4), round(float(y), 4)] for x, y in zip(lon, lat, strict=True)]
    ring.append(ring[0])
    props.update({"min_range_km": float(r.min()), "max_range_km": float(r.max()),
                  "clipped": bool((r >= MAX_POLYGON_RANGE_KM).any())})
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": props}
