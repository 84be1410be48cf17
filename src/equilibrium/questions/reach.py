"""Reach questions: ``reach.distance``, ``reach.coverage``, ``reach.systems``, ``reach.ring`` and ``reach.field`` (the
web page's slider payload). Distances in km along WGS-84 geodesics, coordinates in degrees, shares as fractions.

Every answer states the boundaries it rests on (the data sets of the regions actually used: Natural Earth de-facto
lines for countries and areas, US Census states for US sub-regions, none for points), the point of view of those
lines where one is involved, what "launch from FROM" means for that figure, and the data versions.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from equilibrium.catalog import catalog
from equilibrium.geo import atlas
from equilibrium.geo.cities import CITIES_SOURCE
from equilibrium.geo.countries import POV
from equilibrium.geo.coverage import coverage as geo_coverage
from equilibrium.geo.distance import METHOD
from equilibrium.geo.distance import distance as geo_distance
from equilibrium.geo.field import FIELD_RESOLUTIONS, encode_raster, field_payload, outline
from equilibrium.geo.regions import Region, resolve_region
from equilibrium.geo.rings import ring as geo_ring
from equilibrium.geo.samples import boundary_of
from equilibrium.questions.base import Answer, Example, Params, Stated, question
from equilibrium.questions.common import AzimuthProfile, CitedSummary, ReachCity, cited_summary, stated_data
from equilibrium.trajectory import system_vehicle
from equilibrium.trajectory.earth import MAX_RANGE_KM
from equilibrium.trajectory.reach import physics_reach

__all__ = ["ReachCoverage", "ReachDistance", "ReachField", "ReachRing", "ReachSystems", "reach_coverage",
           "reach_distance", "reach_field", "reach_ring", "reach_systems", "verdict"]

SPEC_HELP = ("Region spec: ISO3 code (`PAK`), sub-region (`USA:conus`), area (`area:siachen-glacier`), named site "
             "(`site:islamabad`), city (`city:Washington, US`) or `lat,lon` in degrees (`equilibrium regions` "
             "lists them).")


def _from(example: str = "PAK") -> Any:
    return Field(alias="from", min_length=1, max_length=200, description="Launch region. " + SPEC_HELP,
                 examples=[example])


def _to(example: str = "IND") -> Any:
    return Field(min_length=1, max_length=200, description="Target region. " + SPEC_HELP, examples=[example])


def _range(required: bool = True) -> Any:
    kw: dict[str, Any] = {"ge": 0, "le": MAX_RANGE_KM, "allow_inf_nan": False, "examples": [2750],
                          "description": f"Range in km (finite, 0 to {MAX_RANGE_KM:,.0f}: one Earth circumference)."}
    return Field(**kw) if required else Field(None, **kw)


# ------------------------------------------------------------------------------------------ shared parts


class RegionRef(BaseModel):
    """A resolved region: its canonical spec, name, kind (country, subregion, area, site, city, point), ISO3."""

    spec: str
    name: str
    kind: str
    iso3: str | None = None


class BoundarySet(BaseModel):
    """The boundary data a region or a result rests on: data set (``none: a point…`` for points), scale
    (``10m``/``50m``; ``None`` for points), source ids, the point of view of its lines (``None`` where no disputed
    line is involved) and, for a point, where its location comes from."""

    model_config = ConfigDict(populate_by_name=True)

    dataset: str
    resolution: str | None = None
    source_ids: list[str] = Field(default_factory=list)
    pov: str | None = None
    location: str | None = None
    frm: BoundarySet | None = Field(None, alias="from")
    to: BoundarySet | None = None


class PointPair(BaseModel):
    """Two points (each ``[lat, lon]`` in deg): the one in FROM and the one in TO that realise a distance."""

    model_config = ConfigDict(populate_by_name=True)

    frm: list[float] = Field(alias="from")
    to: list[float]


def _ref(r: Region) -> RegionRef:
    return RegionRef(spec=r.spec, name=r.name, kind=r.kind, iso3=r.iso3)


def _atlas_version() -> str:
    v = atlas.versions().get("files", {})
    parts = [f"{name}: {x.get('package')} {x.get('version')}" for name, x in sorted(v.items())]
    return "; ".join(parts) or "versions.json absent (run make setup)"


def stated_boundaries(*regions: Region) -> list[Stated]:
    """``boundaries`` (the data sets of the regions actually used), ``pov`` (only where a Natural Earth line is
    involved) and the atlas version."""
    out = []
    used = []
    for r in regions:
        b = r.boundary
        if b.get("resolution"):
            used.append(f"{r.spec}: {b['dataset']} (1:{b['resolution']})")
        else:
            used.append(f"{r.spec}: a point, no boundary ({b.get('location') or b['dataset']})")
    out.append(Stated(name="boundaries", value="; ".join(used), source="data"))
    if any(r.boundary.get("pov") for r in regions):
        out.append(Stated(name="pov", value=POV, source="data",
                          note="the lines drawn are not an endorsement of any claim"))
    if any(r.boundary.get("resolution") for r in regions):
        out.append(Stated(name="data:atlas", value=_atlas_version(), source="data"))
    if any(r.kind == "site" for r in regions):
        out.extend(stated_data("sites"))
    return out


EARTH = Stated(name="earth", value="WGS-84 ellipsoid, geodesic distances (Karney 2013 via pyproj.Geod)",
               source="default")


def _resolve(spec: str) -> Region:
    return resolve_region(spec)


# ------------------------------------------------------------------------------------- physics (--system)


class PhysicsReach(BaseModel):
    """A catalogue system's reach from the trajectory physics: its maximum range in each launch direction on a
    rotating Earth from FROM's point nearest TO, against TO's nearest point, area and cities."""

    system: str = Field(description="Catalogue id of the system flown.")
    name: str
    template: str
    calibration: str = Field(description="How the vehicle was built from the catalogue.")
    catalogue_range_km: CitedSummary
    launch_point: list[float] = Field(description="[lat, lon] (deg): FROM's point nearest TO.")
    azimuth_to_nearest_deg: float
    range_toward_nearest_km: float
    reaches_nearest: bool
    area_share: float = Field(description="Share (0–1) of TO's area within the range towards each point.")
    population_share: float = Field(description="Share (0–1) of TO's city population within reach.")
    cities_in_range: int
    cities_total: int
    largest_in: list[ReachCity]
    largest_out: list[ReachCity]
    azimuth_profile: AzimuthProfile
    earth: str
    method: str


def _physics_if_system(p: Any) -> Literal["server", "physics"]:
    """Where the web runs a reach question: in the physics worker pool (under its time budget) when ``system`` asks
    for the trajectory physics, else in the server."""
    return "physics" if getattr(p, "system", None) is not None else "server"


def _physics(frm: Region, to: Region, system: str) -> tuple[PhysicsReach, list[str]]:
    """The physics reach of ``system`` from ``frm`` to ``to``, and the note on why it differs from the catalogue."""
    s = catalog().find(system)
    sv = system_vehicle(s.id)
    with np.errstate(all="ignore"):
        ph = physics_reach(frm.spec, to.spec, sv.vehicle)
    prof = ph["azimuth_profile"]
    answer = PhysicsReach(
        system=s.id, name=s.name, template=sv.template.id, calibration=sv.calibration,
        catalogue_range_km=cited_summary(s.range, catalog().bibliography), launch_point=list(ph["launch_point"]),
        azimuth_to_nearest_deg=ph["azimuth_to_nearest_deg"], range_toward_nearest_km=ph["range_toward_nearest_km"],
        reaches_nearest=ph["reaches_nearest"], area_share=ph["area_fraction"],
        population_share=ph["population_fraction"], cities_in_range=ph["cities_in_range"],
        cities_total=ph["cities_total"], largest_in=ph["largest_in"], largest_out=ph["largest_out"],
        azimuth_profile=AzimuthProfile(**prof), earth=ph["earth"], method=ph["method"])
    lo, hi = s.range.low, s.range.high
    note = (f"physics range {_fmt(prof['min_km'], prof['max_km'])} by launch direction vs the catalogue's "
            f"{_fmt(lo, hi)} for {s.name}: --system flies the {sv.template.id} template as built from the catalogue "
            f"({sv.calibration}), not calibrated to the published range, from FROM's point nearest TO "
            f"({ph['launch_point'][0]:.2f}°, {ph['launch_point'][1]:.2f}°) on a rotating Earth, so the range "
            "depends on the launch direction (eastward launches gain from the Earth's rotation, westward ones lose); "
            "the catalogue interval spans the sources' published figures, whose payload and trajectory are often "
            "unstated")
    return answer, [note]


def _fmt(low: float, high: float) -> str:
    return f"{low:,.0f} km" if abs(high - low) < 0.5 else f"{low:,.0f}–{high:,.0f} km"


def _physics_defaults() -> list[Stated]:
    return [Stated(name="physics", value="trajectory engine, WGS-84 rotating Earth with J2 gravity; maximum range "
                   "flown in 24 launch directions", source="default"), *stated_data("catalogue")]


# ------------------------------------------------------------------------------------------ reach.distance


class DistanceParams(Params):
    """FROM and TO (region specs); optionally a catalogue system whose physics range by direction is compared."""

    frm: str = _from()
    to: str = _to("USA:conus")
    system: str | None = Field(None, min_length=1, max_length=200, examples=["Minuteman-III"],
                               description="Also fly this catalogue system in every direction from FROM (seconds).")


class ReachDistance(Answer):
    """Nearest, full-coverage and single-site distances (km) from FROM to TO and the points realising them."""

    question: Literal["reach.distance"] = "reach.distance"
    frm: RegionRef = Field(alias="from")
    to: RegionRef
    nearest_km: float = Field(description="Shortest geodesic between any point of FROM and any point of TO.")
    nearest_points: PointPair
    full_coverage_km: float = Field(description="Range at which every point of TO is within reach of some point "
                                                "of FROM (directed Hausdorff distance).")
    full_coverage_points: PointPair
    single_site_km: float = Field(description="Range needed to reach all of TO from the best single launch point "
                                              "in FROM.")
    single_site_points: PointPair
    boundary: BoundarySet
    method: str
    physics: PhysicsReach | None = None


def _pair(p: Any) -> PointPair:
    return PointPair(frm=[round(float(p[0][0]), 6), round(float(p[0][1]), 6)],
                     to=[round(float(p[1][0]), 6), round(float(p[1][1]), 6)])


LAUNCH_DISTANCE = Stated(name="launch", value="anywhere in FROM: nearest and full coverage take the best launch "
                         "point for each target point; single site takes one launch point for all of TO",
                         source="default")


@question("reach.distance", params=DistanceParams, answer=ReachDistance, cli=("reach", "distance"),
          http=("GET", "/api/reach/distance"), heavy=True, runs_in=_physics_if_system,
          summary="Nearest, full-coverage and single-site distances (km) between two regions",
          examples=[Example({"from": "PAK", "to": "IND"}, ["PAK", "IND"]),
                    Example({"from": "33.7,73.1", "to": "city:Karachi, PK"}, ["33.7,73.1", "city:Karachi, PK"]),
                    Example({"from": "PAKK", "to": "IND"}, ["PAKK", "IND"])])
def reach_distance(p: DistanceParams) -> ReachDistance:
    """``nearest_km`` (closest points), ``full_coverage_km`` (range needed from somewhere in FROM to reach every
    point of TO), ``single_site_km`` (one launch site covering all of TO), with the points and the boundary set;
    with ``system``, that system's physics range by launch direction and why it differs from the catalogue."""
    a, b = _resolve(p.frm), _resolve(p.to)
    d = geo_distance(a, b)
    raw = d.to_dict()
    defaults = [LAUNCH_DISTANCE, EARTH, *stated_boundaries(a, b)]
    physics: PhysicsReach | None = None
    notes: list[str] = []
    if p.system is not None:
        physics, notes = _physics(a, b, p.system)
        defaults.extend(_physics_defaults())
    return ReachDistance(frm=_ref(a), to=_ref(b), nearest_km=raw["nearest_km"], nearest_points=_pair(d.nearest_points),
                         full_coverage_km=raw["full_coverage_km"], full_coverage_points=_pair(d.full_coverage_points),
                         single_site_km=raw["single_site_km"], single_site_points=_pair(d.single_site_points),
                         boundary=BoundarySet(**raw["boundary"]), method=METHOD, physics=physics,
                         defaults=defaults, notes=notes)


# ------------------------------------------------------------------------------------------ reach.coverage


class CoverageParams(Params):
    """FROM, TO and a range (km); or a catalogue system whose physics range by direction replaces the range."""

    frm: str = _from()
    to: str = _to()
    range_km: float | None = _range(required=False)
    system: str | None = Field(None, min_length=1, max_length=200, examples=["Shaheen-III"],
                               description="Use this catalogue system's physics range by direction instead of "
                                           "range_km (seconds).")

    @model_validator(mode="after")
    def _one_of(self) -> CoverageParams:
        if (self.range_km is None) == (self.system is None):
            raise ValueError("give range_km, or system (not both)")
        return self


class CoverageCity(BaseModel):
    """A city of TO: ISO2 country, ``lat``/``lon`` (deg), population (persons), distance from FROM (km)."""

    name: str
    country: str
    lat: float
    lon: float
    population: int
    distance_km: float


class ReachCoverage(Answer):
    """Share of TO's geodesic area and of its city population within ``range_km`` of FROM."""

    question: Literal["reach.coverage"] = "reach.coverage"
    frm: RegionRef = Field(alias="from")
    to: RegionRef
    range_km: float | None = Field(description="The range tested (km); null when a system's physics gives it.")
    area_fraction: float = Field(description="Share (0–1) of TO's geodesic area within range.")
    population_fraction: float = Field(description="Share (0–1) of TO's cities15000 population within range.")
    population_in_range: int
    population_total: int
    cities_in_range: int
    cities_total: int
    largest_in: list[CoverageCity]
    largest_out: list[CoverageCity]
    area_km2: float
    boundary: BoundarySet
    cities_source: str
    cities_source_id: str
    method: str
    physics: PhysicsReach | None = None


LAUNCH_ANY = Stated(name="launch", value="anywhere in FROM (each point of TO counts from FROM's point nearest it)",
                    source="default")


@question("reach.coverage", params=CoverageParams, answer=ReachCoverage, cli=("reach", "coverage"),
          http=("GET", "/api/reach/coverage"), heavy=True, runs_in=_physics_if_system,
          summary="Share of a target within a range",
          examples=[Example({"from": "PAK", "to": "IND", "range_km": 1500}, ["PAK", "IND", "--range-km", "1500"]),
                    Example({"from": "PAK", "to": "IND", "range_km": -5.5}, ["PAK", "IND", "--range-km", "-5.5"])])
def reach_coverage(p: CoverageParams) -> ReachCoverage:
    """``area_fraction`` and ``population_fraction`` (0–1) of TO within ``range_km`` of FROM, with the cities in and
    out of range (10 largest each); with ``system``, the range towards each point from that system's physics."""
    a, b = _resolve(p.frm), _resolve(p.to)
    defaults = [LAUNCH_ANY, EARTH, *stated_boundaries(a, b),
                Stated(name="cities", value=CITIES_SOURCE, source="data")]
    c = geo_coverage(a, b, p.range_km if p.range_km is not None else 0.0).to_dict()
    physics = None
    notes: list[str] = list(c["notes"])
    if p.system is not None:
        physics, pnotes = _physics(a, b, p.system)
        defaults.extend(_physics_defaults())
        notes.extend(pnotes)
        notes.append("area_fraction, population_fraction and the city lists use the physics range towards each "
                     "point; the largest_in/largest_out distances are geodesic distances from FROM")
        c.update(area_fraction=physics.area_share, population_fraction=physics.population_share,
                 cities_in_range=physics.cities_in_range, range_km=None)
        inn = {x.name for x in physics.largest_in}
        out = {x.name for x in physics.largest_out}
        c["largest_in"] = [x for x in c["largest_in"] + c["largest_out"] if f"{x['name']}, {x['country']}" in inn]
        c["largest_out"] = [x for x in c["largest_in"] + c["largest_out"] if f"{x['name']}, {x['country']}" in out]
    c.pop("notes")
    c.pop("elapsed_ms", None)
    c["from"], c["to"] = _ref(a), _ref(b)
    return ReachCoverage(**c, physics=physics, defaults=defaults, notes=notes)


# ------------------------------------------------------------------------------------------- reach.systems

Verdict = Literal["yes", "no", "depends-on-source"]


def verdict(low: float, high: float, dist_km: float) -> Verdict:
    """``yes`` if the range interval's low end (km) reaches ``dist_km``, ``no`` if its high end falls short, else
    ``depends-on-source`` (the sources' figures disagree on it)."""
    if low >= dist_km:
        return "yes"
    if high < dist_km:
        return "no"
    return "depends-on-source"


class SystemsParams(Params):
    """FROM (whose country's systems are judged) and TO."""

    frm: str = _from()
    to: str = _to()


class SystemVerdict(BaseModel):
    """One catalogued system of FROM's country against TO."""

    id: str
    name: str
    cls: str = Field(alias="class")
    country: str
    status: str
    range_km: CitedSummary
    reaches_nearest: Verdict = Field(description="Does its range reach TO's nearest point (nearest_km)?")
    covers_all: Verdict = Field(description="Does its range cover all of TO from somewhere in FROM "
                                            "(full_coverage_km)?")

    model_config = ConfigDict(populate_by_name=True)


class ReachSystems(Answer):
    """FROM's catalogued systems against TO, by their published range intervals."""

    question: Literal["reach.systems"] = "reach.systems"
    frm: RegionRef = Field(alias="from")
    to: RegionRef
    nearest_km: float
    full_coverage_km: float
    single_site_km: float
    boundary: BoundarySet
    systems: list[SystemVerdict]


@question("reach.systems", params=SystemsParams, answer=ReachSystems, cli=("reach", "systems"),
          http=("GET", "/api/reach/systems"), heavy=True, summary="FROM's catalogued systems against TO",
          examples=[Example({"from": "PAK", "to": "IND"}, ["PAK", "IND"])])
def reach_systems(p: SystemsParams) -> ReachSystems:
    """For each system of FROM's country: its range interval and whether it reaches the nearest point of TO and
    covers all of TO (``yes``: by every source's figure; ``no``: by none; ``depends-on-source``)."""
    a, b = _resolve(p.frm), _resolve(p.to)
    d = geo_distance(a, b).to_dict()
    cat = catalog()
    rows = []
    if a.iso3:
        for s in sorted((s for s in cat if s.country == a.iso3), key=lambda s: (s.range.nominal, s.name)):
            rows.append(SystemVerdict(id=s.id, name=s.name, cls=s.cls, country=s.country, status=s.status,
                                      range_km=cited_summary(s.range, cat.bibliography),
                                      reaches_nearest=verdict(s.range.low, s.range.high, d["nearest_km"]),
                                      covers_all=verdict(s.range.low, s.range.high, d["full_coverage_km"])))
    notes = [] if a.iso3 else [f"{a.name} belongs to no country: no catalogued systems are judged"]
    return ReachSystems(frm=_ref(a), to=_ref(b), nearest_km=d["nearest_km"], full_coverage_km=d["full_coverage_km"],
                        single_site_km=d["single_site_km"], boundary=BoundarySet(**d["boundary"]), systems=rows,
                        defaults=[Stated(name="launch", value=f"anywhere in FROM's country ({a.iso3}) for its "
                                         "systems; reaches_nearest compares the range with nearest_km, covers_all "
                                         "with full_coverage_km", source="default") if a.iso3 else LAUNCH_ANY,
                                  Stated(name="range", value="each source's published range figure, no payload or "
                                         "trajectory adjustment", source="assumed"),
                                  EARTH, *stated_boundaries(a, b), *stated_data("catalogue", "bibliography")],
                        notes=notes)


# ---------------------------------------------------------------------------------------------- reach.ring


class RingParams(Params):
    """FROM and a range (km)."""

    frm: str = _from()
    range_km: float = _range()


class RingProperties(BaseModel):
    """What the reach polygon is: FROM, the range (km), its geodesic area (km²) and the boundary set."""

    model_config = ConfigDict(populate_by_name=True)

    frm: str = Field(alias="from")
    from_name: str
    range_km: float
    area_km2: float
    boundary: BoundarySet
    method: str


class ReachRing(Answer):
    """A GeoJSON Feature (RFC 7946 MultiPolygon: split at ±180°, counter-clockwise exteriors) of every point within
    ``range_km`` of FROM."""

    question: Literal["reach.ring"] = "reach.ring"
    type: Literal["Feature"] = "Feature"
    geometry: dict[str, Any] = Field(description="GeoJSON MultiPolygon (lon, lat in deg).")
    properties: RingProperties


@question("reach.ring", params=RingParams, answer=ReachRing, cli=("reach", "ring"), http=("GET", "/api/reach/ring"),
          heavy=True, summary="Reach polygon of FROM at a range (GeoJSON Feature)",
          examples=[Example({"from": "PAK", "range_km": 500}, ["PAK", "--range-km", "500"]),
                    Example({"from": "33.7,73.1", "range_km": 0}, ["33.7,73.1", "--range-km", "0"])])
def reach_ring(p: RingParams) -> ReachRing:
    """The reach polygon of FROM at ``range_km`` as a GeoJSON Feature (RFC 7946)."""
    a = _resolve(p.frm)
    f = geo_ring(a, p.range_km)
    return ReachRing(geometry=f["geometry"], properties=RingProperties(**f["properties"]),
                     defaults=[Stated(name="launch", value="anywhere in FROM: the polygon holds every point within "
                                      "range_km of some point of FROM", source="default"),
                               EARTH, *stated_boundaries(a)])


# --------------------------------------------------------------------------------------------- reach.field


class FieldParams(Params):
    """FROM, TO and the raster step."""

    frm: str = _from()
    to: str = _to()
    resolution_deg: float = Field(0.5, ge=0.25, le=2, allow_inf_nan=False, examples=[0.5],
                                  description="Raster step in degrees: 0.25, 0.5, 1 or 2.")

    @field_validator("resolution_deg")
    @classmethod
    def _step(cls, v: float) -> float:
        if v not in FIELD_RESOLUTIONS:
            raise ValueError(f"must be one of {', '.join(map(str, FIELD_RESOLUTIONS))}")
        return v


class FieldGrid(BaseModel):
    """The distance raster (km from FROM): ``nx`` × ``ny`` whole km, rows north to south from ``lat0`` (deg, step
    ``dlat`` < 0), columns west to east from ``lon0`` (step ``dlon``)."""

    nx: int
    ny: int
    lon0: float
    lat0: float
    dlon: float
    dlat: float
    order: str = "row-major, rows north to south, columns west to east"
    encoding: str = "base64 little-endian uint16, whole km (65535 = no data)"
    max_km: float
    data: str


class FieldCells(BaseModel):
    """Area samples of TO: cell centres (deg), area weights (sum 1; ellipsoidal cell areas calibrated to each
    part's geodesic area) and distance from FROM (km, bilinear in the raster)."""

    step_deg: float
    lat: list[float]
    lon: list[float]
    weight: list[float]
    distance_km: list[float]


class FieldCity(CoverageCity):
    """A city of TO with its distance from FROM (km, bilinear in the raster)."""


class ReachField(Answer):
    """Everything the page needs to redraw the reach polygon and the coverage figures while a range slider moves.
    Cell and city distances are interpolated in the raster (a preview); ``reach.coverage`` gives exact figures."""

    question: Literal["reach.field"] = "reach.field"
    frm: RegionRef = Field(alias="from")
    to: RegionRef
    resolution_deg: float
    grid: FieldGrid
    cells: FieldCells
    cities: list[FieldCity]
    from_geometry: dict[str, Any] = Field(description="FROM's outline, GeoJSON with d3-geo winding.")
    to_geometry: dict[str, Any] = Field(description="TO's outline, GeoJSON with d3-geo winding.")
    winding: str = "d3-geo (clockwise exterior rings), not RFC 7946"
    boundary: BoundarySet
    method: str


@question("reach.field", params=FieldParams, answer=ReachField, http=("GET", "/api/reach/field"), heavy=True,
          cache=16, summary="Distance raster, target cells and cities for client-side range updates",
          examples=[Example({"from": "PAK", "to": "IND", "resolution_deg": 2}, [])])
def reach_field(p: FieldParams) -> ReachField:
    """The slider payload: ``grid`` (distance raster of FROM), ``cells`` (area samples of TO with distances),
    ``cities`` (TO's cities with distances) and the outlines of FROM and TO."""
    a, b = _resolve(p.frm), _resolve(p.to)
    f = field_payload(a, b, p.resolution_deg)
    return ReachField(
        frm=_ref(a), to=_ref(b), resolution_deg=p.resolution_deg,
        grid=FieldGrid(nx=int(f.km_ns.shape[1]), ny=int(f.km_ns.shape[0]), lon0=f.lon0, lat0=f.lat0, dlon=f.dlon,
                       dlat=f.dlat, max_km=f.max_km, data=encode_raster(f.km_ns)),
        cells=FieldCells(step_deg=f.cell_step_deg, lat=np.round(f.cell_lat, 4).tolist(),
                         lon=np.round(f.cell_lon, 4).tolist(), weight=np.round(f.cell_weight, 8).tolist(),
                         distance_km=np.round(f.cell_km, 1).tolist()),
        cities=[FieldCity(name=c.name, country=c.country, lat=round(c.lat, 4), lon=round(c.lon, 4),
                          population=c.population, distance_km=round(d, 1)) for c, d in f.cities],
        from_geometry=outline(a.geometry), to_geometry=outline(b.geometry), boundary=BoundarySet(**boundary_of(a, b)),
        method="distance raster (geo.field.distance_field); cell and city distances bilinear in the raster "
               "(preview only; exact figures from reach.coverage)",
        defaults=[LAUNCH_ANY, EARTH, *stated_boundaries(a, b),
                  Stated(name="cities", value=CITIES_SOURCE, source="data")])
