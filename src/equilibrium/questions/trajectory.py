"""Trajectory questions: one flight (``trajectory.fly``), the maximum range (``trajectory.max_range``), payload–range
(``trajectory.payload_range``), a lofted test converted to a standard range (``trajectory.loft``), the motor a
range needs (``trajectory.size``), Monte Carlo percentiles (``trajectory.montecarlo``), the templates
(``trajectory.templates``), a catalogue system as a vehicle (``trajectory.system``) and reach by launch azimuth
against a target (``trajectory.reach``).

Every answer states the launch point and azimuth it used and why (a catalogue system launches from a named site in
its own country, a template or a vehicle spec from the equator due east), the Earth model (rotating or not), the
payload, the calibration of a catalogue vehicle, and the catalogue's published range beside any physics range,
with a note where the two differ. Units: km, kg, s, m, degrees, as the names say.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from equilibrium.catalog import MissileSystem, catalog
from equilibrium.errors import InvalidInput, NotFound, UnknownChoice
from equilibrium.questions.base import Answer, Example, Params, Stated, question
from equilibrium.questions.common import AzimuthProfile, CitedSummary, Interval, ReachCity, cited_summary, stated_data
from equilibrium.trajectory import (
    Guidance,
    Launch,
    Spread,
    SystemVehicle,
    Vehicle,
    default_payloads,
    fly,
    fly_constrained,
    get_template,
    max_range,
    payload_range,
    size,
    system_vehicle,
    templates,
)
from equilibrium.trajectory import montecarlo as run_montecarlo
from equilibrium.trajectory.analyses import GLOBAL_REACH_KM, range_geometry
from equilibrium.trajectory.assumptions import assumptions
from equilibrium.trajectory.design import loft_convert, size_vehicle
from equilibrium.trajectory.earth import MAX_RANGE_KM, EarthModel, earth_model
from equilibrium.trajectory.engine import LAUNCH_BOUNDS
from equilibrium.trajectory.guard import engine_call

__all__ = [
    "HTTP_MAX_SAMPLES", "LaunchIn", "MAX_PAYLOADS", "MAX_STAGES", "country_site", "trajectory_fly",
    "trajectory_loft", "trajectory_max_range", "trajectory_montecarlo", "trajectory_payload_range",
    "trajectory_reach", "trajectory_size", "trajectory_system", "trajectory_templates",
]

MAX_STAGES = 6
"""Most stages of a vehicle spec."""
MAX_PAYLOADS = 25
"""Most payloads of one payload–range question."""
HTTP_MAX_SAMPLES = 1_000
"""Most Monte Carlo samples over HTTP: 1,000 samples take about 5 s on one core, within the web's physics time
budget (15 s) with room for the nominal flight and a range calibration. The CLI takes up to
:data:`MAX_SAMPLES` (with ``--workers``/``--scheduler`` and resumable ``--out``)."""
MAX_SAMPLES = 10_000_000
"""Most Monte Carlo samples of one run (the engine's limit)."""
DUE_EAST_DEG = 90.0
"""Default launch azimuth (deg): due east, the direction the Earth's rotation helps most."""
TEST_SITE_KINDS = ("test-range", "launch-site")
"""Kinds of named site (``data/sites/sites.yml``), in order of preference, for a country's default launch point."""
ATMOSPHERE = "US Standard Atmosphere 1976 (ussa1976)"

_LAT, _LON, _AZ = LAUNCH_BOUNDS["lat_deg"], LAUNCH_BOUNDS["lon_deg"], LAUNCH_BOUNDS["azimuth_deg"]
_SPEC_HELP = ("Region spec: ISO3 (`PAK`), sub-region (`USA:conus`), `site:<name>`, `city:<name>`, `area:<name>` or "
              "`lat,lon`.")


# ================================================================================================ answer parts

class _Part(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class LaunchPoint(_Part):
    """A launch: geodetic latitude and longitude (deg) and azimuth (deg clockwise from north)."""

    lat_deg: float
    lon_deg: float
    azimuth_deg: float


class Burnout(_Part):
    """State at the last burnout: time (s), altitude (km), inertial and Earth-relative speed (m/s), flight-path
    angle above the local horizontal (deg)."""

    time_s: float
    altitude_km: float
    speed_m_s: float
    speed_rel_m_s: float
    angle_deg: float


class Impact(_Part):
    """Impact point (deg) and speed (m/s)."""

    lat_deg: float
    lon_deg: float
    speed_m_s: float


class GuidanceOut(_Part):
    """Guidance flown: pitch-over from the vertical (deg), upper-stage thrust tilt (deg), vertical rise (s; null:
    derived from the thrust-to-weight ratio), pitch-over duration (s)."""

    kick_deg: float
    bias_deg: float
    vertical_s: float | None
    kick_s: float


class History(_Part):
    """Time histories: time (s), altitude (km), downrange along the ground track (km), inertial speed (m/s),
    ground track (deg)."""

    t_s: list[float]
    altitude_km: list[float]
    downrange_km: list[float]
    speed_m_s: list[float]
    lat_deg: list[float]
    lon_deg: list[float]


class FlightFields(_Part):
    """One flight: ground range (km), apogee (km), flight time (s), burnout, impact, guidance, launch, models."""

    status: str = Field(description="impact, no impact (orbital or escaping), failed, stopped.")
    range_km: float
    apogee_km: float
    flight_time_s: float
    burnout: Burnout
    impact: Impact
    guidance: GuidanceOut
    launch: LaunchPoint
    launch_site: str = Field(description="Where the launch point comes from, in words.")
    earth: str = Field(description="Earth model: WGS-84, J2 gravity, rotating or not.")
    atmosphere: str = ATMOSPHERE
    history: History | None = Field(None, description="Time histories, when asked for.")


class SystemVehicleInfo(_Part):
    """A catalogue system as a vehicle: the template and how it was calibrated, masses (kg), the catalogue's
    intervals and published range (km), and the sources."""

    system: str = Field(description="Catalogue id.")
    name: str
    country: str = Field(description="ISO3 code of the operating country.")
    cls: str = Field(alias="class")
    template: str
    calibration: str = Field(description="How the template was scaled (and its efficiency fitted), in words.")
    range_calibrated: bool = Field(description="The maximum range was fitted to the catalogue's nominal range "
                                               "(it then reproduces the catalogue by construction).")
    launch_mass_kg: float
    payload_kg: float
    payload_interval_kg: list[float] | None
    launch_mass_interval_kg: list[float] | None
    isp_factor: float = Field(description="Factor on every stage's specific impulse (1: the template's).")
    published_range_km: Interval = Field(description="The catalogue's range interval over every source (km).")
    published_range_nominal_km: float
    sources: list[str]


class VehicleSummary(_Part):
    """The vehicle flown: name, lift-off mass (kg), payload (kg), stages."""

    name: str | None
    launch_mass_kg: float
    payload_kg: float
    stages: int


class VehicleFields(_Part):
    """Which vehicle: its summary, the catalogue system it stands for (if any) and that system's published range."""

    vehicle: VehicleSummary
    system: SystemVehicleInfo | None = None
    published_range_km: Interval | None = Field(None, description="The catalogue's range interval (km) of the "
                                                                  "system, beside the physics range.")


class RegionRef(_Part):
    """A region as resolved: its spec and name."""

    spec: str
    name: str


# ================================================================================================ parameters

class LaunchIn(BaseModel):
    """Launch point (geodetic, deg) and azimuth (deg clockwise from north). A field left out takes the question's
    default launch (stated in the answer)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    lat_deg: float | None = Field(None, ge=_LAT[0], le=_LAT[1], allow_inf_nan=False, description="Latitude (deg).")
    lon_deg: float | None = Field(None, ge=_LON[0], le=_LON[1], allow_inf_nan=False, description="Longitude (deg).")
    azimuth_deg: float | None = Field(None, ge=_AZ[0], le=_AZ[1], allow_inf_nan=False,
                                      description="Azimuth (deg clockwise from north).")

    def given(self) -> bool:
        return any(v is not None for v in (self.lat_deg, self.lon_deg, self.azimuth_deg))


class _BodyParams(Params):
    """Parameters of a POST body, validated strictly: ``"history": 0`` is not a boolean, ``"lat_deg": "10"`` or
    ``false`` not a number (JSON integers are numbers: JSON has one number type)."""

    model_config = ConfigDict(strict=True)


class VehicleParams(_BodyParams):
    """Exactly one of ``system`` (a catalogue ballistic missile, fuzzy names) or ``vehicle`` (a full spec); the
    launch (default: a named site in the system's country, due east; a vehicle spec: the equator, due east) and
    the Earth model."""

    system: str | None = Field(None, min_length=1, max_length=200, examples=["Shaheen-II"],
                               description="Catalogue system (name, id or alias; fuzzy).")
    vehicle: Vehicle | None = Field(None, description="A vehicle spec (stages bottom to top; kg, s, m).")
    calibrate_range: bool = Field(False, description="With `system`: also fit the motor's efficiency (Isp factor) so "
                                                     "that the catalogue launch mass flies the catalogue range.")
    launch: LaunchIn | None = Field(None, description="Launch point and azimuth; default: a named site in the "
                                                      "system's country (its test range, else its capital), due "
                                                      "east; a vehicle spec: 0°N 0°E due east.")
    non_rotating: bool = Field(False, description="Non-rotating Earth (geometry-free comparisons).")

    @field_validator("vehicle", mode="before")
    @classmethod
    def _strict_vehicle(cls, value: Any) -> Any:
        # The spec's own models are lax; a body is read as strict JSON (arrays may fill tuples).
        if isinstance(value, dict):
            return Vehicle.model_validate_json(json.dumps(value, allow_nan=False), strict=True)
        return value

    @model_validator(mode="after")
    def _one_vehicle(self) -> VehicleParams:
        if (self.system is None) == (self.vehicle is None):
            raise ValueError("give exactly one of system (a catalogue name) or vehicle (a spec)")
        if self.vehicle is not None and len(self.vehicle.stages) > MAX_STAGES:
            raise ValueError(f"at most {MAX_STAGES} stages")
        if self.calibrate_range and self.system is None:
            raise ValueError("calibrate_range needs system")
        return self


# ================================================================================================ resolution

@lru_cache(maxsize=64)
def _system_vehicle(system_id: str, calibrate_range: bool) -> SystemVehicle:
    """The catalogue system's vehicle (cached: a range calibration takes seconds)."""
    return engine_call(system_vehicle, system_id, calibrate_range=calibrate_range)


def _find_system(name: str) -> MissileSystem:
    return catalog().find(name.strip())


def system_info(s: MissileSystem, sv: SystemVehicle) -> SystemVehicleInfo:
    """``sv`` (the vehicle of catalogue system ``s``) as a :class:`SystemVehicleInfo`."""
    return SystemVehicleInfo(
        system=sv.system_id, name=sv.name, country=s.country, cls=s.cls, template=sv.template.id,
        calibration=sv.calibration, range_calibrated="range-calibrated" in sv.calibration,
        launch_mass_kg=sv.vehicle.launch_mass_kg, payload_kg=sv.vehicle.payload_kg,
        payload_interval_kg=list(sv.payload_interval_kg) if sv.payload_interval_kg else None,
        launch_mass_interval_kg=list(sv.launch_mass_interval_kg) if sv.launch_mass_interval_kg else None,
        isp_factor=sv.isp_factor, published_range_km=Interval(low=s.range.low, high=s.range.high),
        published_range_nominal_km=s.range.nominal, sources=list(sv.sources))


@dataclass
class _Resolved:
    vehicle: Vehicle
    system: MissileSystem | None
    sv: SystemVehicle | None
    info: SystemVehicleInfo | None

    @property
    def country(self) -> str | None:
        return self.system.country if self.system is not None else None

    def fields(self) -> dict[str, Any]:
        v = self.vehicle
        return {"vehicle": VehicleSummary(name=v.name, launch_mass_kg=v.launch_mass_kg, payload_kg=v.payload_kg,
                                          stages=len(v.stages)),
                "system": self.info, "published_range_km": self.info.published_range_km if self.info else None}

    def stated(self) -> list[Stated]:
        out = [*physics_stated(self.vehicle), Stated(name="payload", value=f"{self.vehicle.payload_kg:,.0f} kg",
                      source="data" if self.system is not None else "given",
                      note=("the catalogue's nominal payload" if self.system is not None and self.system.payload
                            else "the template's reference payload (the catalogue gives none)"
                            if self.system is not None else "the vehicle spec's"))]
        if self.info is not None and self.sv is not None:
            out.append(Stated(name="calibration", value=self.sv.calibration, source="assumed",
                              note="range-calibrated: the maximum range reproduces the catalogue figure by "
                                   "construction, not an independent estimate" if self.info.range_calibrated else
                                   "the template scaled to the published launch mass; the range is the physics'"))
            r = self.info.published_range_km
            out.append(Stated(name="published range", value=_interval_km(r.low, r.high), source="data",
                              note=f"the catalogue's sourced figure for {self.info.name} "
                                   f"({', '.join(self.system.range.source_ids()) if self.system else ''})"))
            out += stated_data("catalogue")
        return out


def physics_stated(v: Vehicle) -> list[Stated]:
    """The thrust model (sea-level and vacuum Isp per stage, and whether one was filled from the stated default
    ratio) and the re-entry (payload separation and its ballistic coefficient) of vehicle ``v``, as stated defaults."""
    a = assumptions()
    exps = v.expansions()
    parts = [f"stage {k + 1} {e.isp_sea_level_s:.0f}/{e.isp_vacuum_s:.0f} s" for k, e in enumerate(exps)]
    assumed = [k + 1 for k, e in enumerate(exps) if e.assumed]
    ratio = a.expansion.isp_ratio_sea_level_to_vacuum
    thrust = Stated(
        name="thrust",
        value="altitude-dependent, F = Isp_vac·g0·ṁ − p(h)·A_e; Isp sea level/vacuum: " + ", ".join(parts),
        source="assumed" if assumed else "data",
        note=(f"stage{'s' if len(assumed) > 1 else ''} {', '.join(map(str, assumed))}: only one Isp figure is known; "
              f"the other is filled with the stated sea-level/vacuum ratio {ratio.nominal:.3f} "
              f"({', '.join(ratio.source_ids())}; data/trajectory/assumptions.yml)") if assumed else
        "each stage's exit area or both Isp figures are given")
    beta = v.reentry_beta_kg_m2()
    if beta is not None:
        given = v.drag is not None and v.drag.reentry_beta_kg_m2 is not None
        rb = a.reentry.ballistic_coefficient if a.reentry else None
        rv = Stated(name="re-entry", value=f"the payload separates at the last burnout; ballistic coefficient "
                                            f"{beta:,.0f} kg/m²", source="given" if given else "assumed",
                    note=None if given or rb is None else
                    f"the stated default for a separated re-entry vehicle ({', '.join(rb.source_ids())}; "
                    "data/trajectory/assumptions.yml)")
    elif v.separates:
        rv = Stated(name="re-entry", value="the spent last stage stays attached", source="assumed",
                    note="no sourced default ballistic coefficient for a separated re-entry vehicle is available")
    else:
        rv = Stated(name="re-entry", value="the warhead stays on the body (single stage)", source="default",
                    note="set drag.separate (or drag.reentry_beta_kg_m2) in a vehicle spec to separate it")
    return [thrust, rv]


def _resolve(p: VehicleParams) -> _Resolved:
    if p.system is not None:
        s = _find_system(p.system)
        sv = _system_vehicle(s.id, p.calibrate_range)
        return _Resolved(vehicle=sv.vehicle, system=s, sv=sv, info=system_info(s, sv))
    assert p.vehicle is not None
    return _Resolved(vehicle=p.vehicle, system=None, sv=None, info=None)


def _interval_km(low: float, high: float) -> str:
    return f"{low:,.0f} km" if abs(high - low) < 0.5 else f"{low:,.0f}–{high:,.0f} km"


def _place(lat: float, lon: float) -> str:
    lon = lon - 360.0 if lon > 180.0 else lon
    return f"{abs(lat):.2f}°{'N' if lat >= 0 else 'S'}, {abs(lon):.2f}°{'E' if lon >= 0 else 'W'}"


@lru_cache(maxsize=256)
def country_site(iso3: str) -> tuple[str, float, float, str]:
    """The default launch point of a country: ``(name, lat_deg, lon_deg, why)``. Its named test range or launch
    site in ``data/sites/sites.yml`` when it has one, else its capital (GeoNames); :class:`NotFound` when it has
    neither."""
    from equilibrium.geo.sites import capital_sites, yaml_sites  # local: pulls pyproj and shapely (geo)

    for kind in TEST_SITE_KINDS:
        for site in yaml_sites():
            if site.country == iso3 and site.kind == kind:
                return (f"{site.name}, {iso3}", site.lat, site.lon,
                        f"the country's named {kind.replace('-', ' ')} (site:{site.id}, data/sites/sites.yml)")
    for site in capital_sites():
        if site.country == iso3:
            return (site.name, site.lat, site.lon, f"the country's capital (site:{site.id}, GeoNames): no named "
                                                   "test range is listed for it")
    raise NotFound("launch site of country", iso3)


def _launch(given: LaunchIn | None, country: str | None,
            default: tuple[float, float, float, str, str] | None = None) -> tuple[Launch, str, Stated]:
    """The launch, the words saying where it comes from, and its stated default.

    ``default``: (lat, lon, azimuth, site words, why) of the question's own default (e.g. the point of FROM nearest
    TO); otherwise a catalogue system launches from its country's site due east and anything else from 0°N 0°E due
    east. Fields of ``given`` replace the default's one by one."""
    g = given or LaunchIn()
    if default is None:
        if country is not None:
            name, lat, lon, why = country_site(country)
            default = (lat, lon, DUE_EAST_DEG, name, f"{why}; azimuth due east (the direction the Earth's rotation "
                                                    "helps most)")
        else:
            default = (0.0, 0.0, DUE_EAST_DEG, "the equator at 0°E", "no country to launch from (a template or a "
                                                                    "vehicle spec): the equator, due east")
    lat = g.lat_deg if g.lat_deg is not None else default[0]
    lon = g.lon_deg if g.lon_deg is not None else default[1]
    az = g.azimuth_deg if g.azimuth_deg is not None else default[2]
    launch = Launch.toward(lat, lon, az)
    point_given = g.lat_deg is not None or g.lon_deg is not None
    site = f"given point ({_place(lat, lon)})" if point_given else f"{default[3]} ({_place(lat, lon)})"
    value = f"{site}, azimuth {float(launch.azimuth_deg):.1f}°"
    source: Literal["given", "default"] = "given" if g.given() else "default"
    note = None if (point_given and g.azimuth_deg is not None) else default[4]
    return launch, site, Stated(name="launch", value=value, source=source, note=note)


def _earth(non_rotating: bool) -> tuple[EarthModel, Stated]:
    e = earth_model(not non_rotating)
    return e, Stated(name="earth", value=e.name, source="given" if non_rotating else "default",
                     note=None if non_rotating else "the launch site moves with the Earth: eastward shots gain up to "
                                                    "~465 m/s, westward ones lose it")


def _range_note(physics_km: float, what: str, r: _Resolved, launch: Launch, earth: EarthModel) -> list[str]:
    """Why a physics range differs from the catalogue's published range (empty for a vehicle spec)."""
    if r.info is None:
        return []
    pub = r.info.published_range_km
    where = (f"from {_place(float(launch.lat_deg), float(launch.lon_deg))} towards azimuth "
             f"{float(launch.azimuth_deg):.0f}° on the {'rotating' if earth.omega else 'non-rotating'} Earth")
    if pub.low * 0.95 <= physics_km <= pub.high * 1.05:
        return [f"The {what} ({physics_km:,.0f} km, {where}) lies within the catalogue's published range "
                f"({_interval_km(pub.low, pub.high)})."]
    if r.info.range_calibrated:
        why = ("the vehicle is range-calibrated to the catalogue's nominal range for a standard launch; the launch "
               "direction, latitude and the Earth's rotation move it")
    else:
        why = (f"the vehicle is the {r.info.template} template scaled to the catalogue's launch mass, not the real "
               "motor: its range is the physics of that stand-in, while the catalogue's figure is what sources say of "
               "the fielded missile (use calibrate_range to fit the motor's efficiency to the published range)")
    return [f"The {what} ({physics_km:,.0f} km, {where}) differs from the catalogue's published range "
            f"({_interval_km(pub.low, pub.high)}, sourced): {why}."]


def _flight_fields(d: dict[str, Any], site: str, history: bool) -> dict[str, Any]:
    out = {k: d[k] for k in ("status", "range_km", "apogee_km", "flight_time_s", "burnout", "impact", "guidance",
                             "launch", "earth", "atmosphere")}
    out["launch_site"] = site
    out["history"] = d.get("history") if history else None
    return out


# ================================================================================================ trajectory.fly

class FlyParams(VehicleParams):
    """One flight: default guidance the range-maximising pitch-over; or lofted/depressed to an apogee or a burnout
    angle; or a given pitch-over."""

    burnout_angle_deg: float | None = Field(None, gt=0, lt=90, allow_inf_nan=False,
                                            description="Fly to this burnout flight-path angle (deg).")
    apogee_km: float | None = Field(None, gt=0, le=100_000, allow_inf_nan=False,
                                    description="Fly lofted or depressed to this apogee (km).")
    kick_deg: float | None = Field(None, ge=0, le=90, allow_inf_nan=False,
                                   description="Pitch-over angle from the vertical (deg).")
    history: bool = Field(False, description="Include time histories (t_s, altitude_km, downrange_km, ...).")

    @model_validator(mode="after")
    def _one_guidance(self) -> FlyParams:
        if sum(x is not None for x in (self.burnout_angle_deg, self.apogee_km, self.kick_deg)) > 1:
            raise ValueError("give at most one of burnout_angle_deg, apogee_km, kick_deg")
        return self


class TrajectoryFly(Answer, FlightFields, VehicleFields):
    """One flight of a vehicle, with the guidance flown."""

    question: Literal["trajectory.fly"] = "trajectory.fly"
    guidance_rule: str = Field(description="How the guidance was chosen.")


@question("trajectory.fly", params=FlyParams, answer=TrajectoryFly, cli=("trajectory", "fly"),
          http=("POST", "/api/trajectory/fly"), runs_in="physics", heavy=True,
          summary="One ballistic flight (range, apogee, burnout, impact) of a catalogue system or a vehicle spec",
          examples=[Example({"system": "Shaheen-II", "kick_deg": 30}, ["--system", "Shaheen-II", "--kick-deg", "30"]),
                    Example({"system": "Shaheen-II", "launch": {"lat_deg": 30, "lon_deg": 70, "azimuth_deg": 45},
                             "kick_deg": 25, "non_rotating": True},
                            ["--system", "Shaheen-II", "--lat", "30", "--lon", "70", "--azimuth", "45",
                             "--kick-deg", "25", "--non-rotating"])])
def trajectory_fly(p: FlyParams) -> TrajectoryFly:
    """Fly the vehicle once from the launch (default: the system's country site, due east) with the guidance asked
    for (default: the range-maximising pitch-over)."""
    r = _resolve(p)
    launch, site, st_launch = _launch(p.launch, r.country)
    earth, st_earth = _earth(p.non_rotating)
    if p.burnout_angle_deg is not None or p.apogee_km is not None:
        fl = engine_call(fly_constrained, r.vehicle, launch, apogee_km=p.apogee_km,
                         burnout_angle_deg=p.burnout_angle_deg, earth=earth, record=p.history)
        rule = (f"pitch-over solved for an apogee of {p.apogee_km:,.0f} km" if p.apogee_km is not None else
                f"pitch-over solved for a burnout angle of {p.burnout_angle_deg:g}°")
    else:
        g = Guidance(kick_deg=float(p.kick_deg)) if p.kick_deg is not None else None
        fl = engine_call(fly, r.vehicle, launch, g, earth=earth, record=p.history)
        rule = "pitch-over given" if g is not None else "the range-maximising pitch-over (default)"
    d = fl.to_dict()
    notes = _range_note(fl.range_km, "range of this flight", r, launch, earth) if p.kick_deg is None and \
        p.apogee_km is None and p.burnout_angle_deg is None else []
    return TrajectoryFly(**_flight_fields(d, site, p.history), **r.fields(), guidance_rule=rule,
                         defaults=[st_launch, st_earth, *r.stated()], notes=notes)


# ================================================================================================ trajectory.max_range

class RangeGeometry(_Part):
    """Maximum range (km) under stated launch geometries: the stated site and azimuth on the answer's Earth, the
    same on a non-rotating Earth (what most published maximum ranges mean), and from the same site on the rotating
    Earth every 30° of azimuth with the best and worst."""

    stated_km: float = Field(description="At the stated launch site and azimuth, on the answer's Earth model.")
    non_rotating_km: float = Field(description="Same site and azimuth, the Earth not rotating.")
    rotation_gain_km: float = Field(description="stated_km − non_rotating_km: what the Earth's rotation adds (km).")
    azimuth_deg: list[float]
    range_km: list[float] = Field(description="Maximum range (km) toward each azimuth, rotating Earth (pitch-over "
                                              "optimised per azimuth, tilt held at the stated flight's).")
    best_azimuth_deg: float
    best_km: float
    worst_azimuth_deg: float
    worst_km: float


class MaxRangeParams(VehicleParams):
    """Maximum range over the guidance."""

    optimise_bias: bool = Field(True, description="Optimise the thrust tilt above the velocity (after first-stage "
                                                  "burnout; single stage: after the pitch-over) with the pitch-over; "
                                                  "false: the pitch-over only (a gravity turn).")
    history: bool = Field(False, description="Include time histories (t_s, altitude_km, downrange_km, ...).")


class TrajectoryMaxRange(Answer, FlightFields, VehicleFields):
    """The range-maximising flight of a vehicle and how it was found."""

    question: Literal["trajectory.max_range"] = "trajectory.max_range"
    converged: bool
    evaluations: int = Field(description="Flights flown by the search.")
    optimised: list[str] = Field(description="Guidance parameters searched.")
    geometry: RangeGeometry = Field(description="The maximum range under each stated launch geometry.")
    global_reach: bool = Field(description="The maximum range reaches 19,000 km or more (near the antipode): every "
                                           "point on Earth is about as reachable, and the range figure saturates.")


@question("trajectory.max_range", params=MaxRangeParams, answer=TrajectoryMaxRange, cli=("trajectory", "max-range"),
          http=("POST", "/api/trajectory/max-range"), runs_in="physics", heavy=True,
          summary="Maximum range over the pitch-over angle (km), beside the catalogue's published range",
          examples=[Example({"system": "Shaheen-II"}, ["--system", "Shaheen-II"]),
                    Example({"system": "Shaheen-II", "launch": {"lat_deg": 0, "lon_deg": 0}, "non_rotating": True},
                            ["--system", "Shaheen-II", "--lat", "0", "--lon", "0", "--non-rotating"]),
                    Example({"system": "Babur"}, ["--system", "Babur"])])
def trajectory_max_range(p: MaxRangeParams) -> TrajectoryMaxRange:
    """The greatest ground range (km) of the vehicle over its guidance (pitch-over; optionally the upper-stage
    tilt), from the launch (default: the system's country site, due east), beside the published range."""
    r = _resolve(p)
    launch, site, st_launch = _launch(p.launch, r.country)
    earth, st_earth = _earth(p.non_rotating)
    m = engine_call(max_range, r.vehicle, launch, optimise_bias=p.optimise_bias, earth=earth, record=p.history)
    geo = engine_call(range_geometry, r.vehicle, launch, m, rotating=earth_model(True),
                      non_rotating=earth_model(False))
    d = m.to_dict()
    g = m.guidance
    notes = _range_note(m.flight.range_km, "maximum range", r, launch, earth)
    spin = "rotating" if earth.omega else "non-rotating"
    notes.append(f"Launch geometry: {geo.stated_km:,.0f} km from the stated site toward "
                 f"{float(launch.azimuth_deg):.0f}° on the {spin} Earth; {geo.non_rotating_km:,.0f} km on a "
                 "non-rotating Earth (the quantity most published maximum ranges mean); from this site on the "
                 f"rotating Earth {geo.worst_km:,.0f} km (toward {geo.worst_azimuth_deg:.0f}°) to "
                 f"{geo.best_km:,.0f} km (toward {geo.best_azimuth_deg:.0f}°).")
    notes.append(f"Guidance: pitch-over {g.kick_deg:.2f}° from the vertical, then a gravity turn with the thrust "
                 f"tilted {g.bias_deg:+.1f}° above the velocity "
                 f"{'after first-stage burnout' if len(r.vehicle.stages) > 1 else 'after the pitch-over'}"
                 + (" (both optimised)" if p.optimise_bias else " (tilt not optimised)")
                 + f"; burnout flight-path angle {m.flight.burnout['angle_deg']:.1f}°.")
    glob = m.flight.range_km >= GLOBAL_REACH_KM
    if glob:
        notes.insert(0, f"Global reach: the maximum range ({m.flight.range_km:,.0f} km) lies at or beyond "
                        f"{GLOBAL_REACH_KM:,.0f} km, near the antipode; the figure saturates there and says only that "
                        "any point on Earth is within reach from this launch.")
    return TrajectoryMaxRange(**_flight_fields(d, site, p.history), **r.fields(), converged=m.converged,
                              evaluations=m.evaluations, optimised=m.optimised, global_reach=glob,
                              geometry=RangeGeometry(**geo.to_dict()),
                              defaults=[st_launch, st_earth, *r.stated()], notes=notes)


# ======================================================================================== trajectory.payload_range

class PayloadRangeParams(VehicleParams):
    """Maximum range for each payload."""

    payloads_kg: list[float] | None = Field(None, min_length=1, max_length=MAX_PAYLOADS,
                                            description="Payloads (kg); default 25 % to 200 % of the vehicle's own "
                                                        "in 9 steps.")

    @field_validator("payloads_kg")
    @classmethod
    def _positive(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and not all(math.isfinite(x) and 0 < x <= 1e6 for x in v):
            raise ValueError("payloads must be finite numbers of kg above 0 and at most 1,000,000")
        return v


class PayloadRangePoint(_Part):
    """Maximum range (km) with one payload (kg), the pitch-over realising it (deg) and whether the search converged."""

    payload_kg: float
    range_km: float
    kick_deg: float
    bias_deg: float = Field(description="Thrust tilt above the velocity (deg) realising it.")
    converged: bool


class TrajectoryPayloadRange(Answer, VehicleFields):
    """Maximum range for each payload, the motor fixed."""

    question: Literal["trajectory.payload_range"] = "trajectory.payload_range"
    points: list[PayloadRangePoint]
    launch: LaunchPoint
    launch_site: str
    earth: str


@question("trajectory.payload_range", params=PayloadRangeParams, answer=TrajectoryPayloadRange,
          cli=("trajectory", "payload-range"), http=("POST", "/api/trajectory/payload-range"), runs_in="physics",
          heavy=True, summary="Maximum range (km) for each payload (kg), the motor fixed",
          examples=[Example({"system": "Shaheen-II", "payloads_kg": [500, 1000]},
                            ["--system", "Shaheen-II", "--payloads", "500,1000"])])
def trajectory_payload_range(p: PayloadRangeParams) -> TrajectoryPayloadRange:
    """Maximum range (km) of the vehicle for each payload (kg; default 25 %–200 % of its own)."""
    r = _resolve(p)
    launch, site, st_launch = _launch(p.launch, r.country)
    earth, st_earth = _earth(p.non_rotating)
    payloads = list(p.payloads_kg) if p.payloads_kg else default_payloads(r.vehicle)
    points = engine_call(payload_range, r.vehicle, payloads, launch, earth=earth)
    notes = []
    if r.info is not None:
        pub = r.info.published_range_km
        notes.append(f"The catalogue publishes {_interval_km(pub.low, pub.high)} for {r.info.name} with its own "
                     f"payload ({r.vehicle.payload_kg:,.0f} kg here); the ranges above are the physics of the "
                     f"{r.info.template} template as calibrated ({r.info.calibration}).")
    return TrajectoryPayloadRange(points=[PayloadRangePoint(**x) for x in points],
                                  launch=LaunchPoint(lat_deg=float(launch.lat_deg), lon_deg=float(launch.lon_deg),
                                                     azimuth_deg=float(launch.azimuth_deg)),
                                  launch_site=site, earth=earth.name, **r.fields(),
                                  defaults=[st_launch, st_earth, *r.stated()], notes=notes)


# ================================================================================================ templates

def _template_id(name: str) -> str:
    try:
        return get_template(name).id
    except NotFound as exc:
        raise UnknownChoice("template", name, exc.suggestions or list(templates())) from exc


class TemplateSummary(_Part):
    """A vehicle template: id, name, propellant, basis, reference vehicle, masses (kg), size (m), stages, sources."""

    id: str
    name: str
    propellant: str
    basis: str
    reference_vehicle: str
    launch_mass_kg: float
    payload_kg: float
    diameter_m: float
    length_m: float | None
    stages: int
    sources: list[str]


class TemplatesParams(Params):
    """No parameters."""


class TrajectoryTemplates(Answer):
    """The vehicle templates (generic stage stacks with sourced figures)."""

    question: Literal["trajectory.templates"] = "trajectory.templates"
    count: int
    templates: list[TemplateSummary]


@question("trajectory.templates", params=TemplatesParams, answer=TrajectoryTemplates, cli=("trajectory", "templates"),
          http=("GET", "/api/trajectory/templates"), summary="Vehicle templates (generic stage stacks with sources)",
          examples=[Example({}, [])])
def trajectory_templates(p: TemplatesParams) -> TrajectoryTemplates:
    """Every template with its reference vehicle, masses and sources."""
    ts = [TemplateSummary(**t.summary()) for t in templates().values()]
    return TrajectoryTemplates(count=len(ts), templates=ts,
                               defaults=[Stated(name="data:templates", value="data/trajectory/templates.yml",
                                                source="data")])


# ================================================================================================ trajectory.loft

class LoftParams(_BodyParams):
    """An observed lofted flight (apogee, ground range, flight time), the template to fit and the stated burnout
    altitudes of the burnout-speed method."""

    apogee_km: float = Field(gt=0, le=100_000, allow_inf_nan=False, description="Observed apogee (km).",
                             examples=[2802])
    range_km: float = Field(gt=0, le=MAX_RANGE_KM, allow_inf_nan=False, description="Observed ground range (km).",
                            examples=[933])
    time_s: float | None = Field(None, gt=0, le=14_400, allow_inf_nan=False,
                                 description="Observed flight time (s).", examples=[2280])
    template: str = Field(min_length=1, max_length=100, examples=["liquid-2stage"],
                          description="Template id (trajectory.templates) of the template fit.")
    burnout_alt_km: float = Field(250.0, ge=20, le=1_000, allow_inf_nan=False,
                                  description="Nominal burnout altitude (km) of the burnout-speed method.")
    burnout_alt_low_km: float = Field(150.0, ge=20, le=1_000, allow_inf_nan=False,
                                      description="Lowest burnout altitude (km) of its band.")
    burnout_alt_high_km: float = Field(350.0, ge=20, le=1_000, allow_inf_nan=False,
                                       description="Highest burnout altitude (km) of its band.")
    rotating: bool = Field(False, description="Fly the lofted test on the rotating Earth (needs the real launch "
                                              "point and azimuth); default non-rotating, as a test's launch "
                                              "geometry is rarely known.")
    launch: LaunchIn | None = Field(None, description="Launch point and azimuth of the standard trajectory: with it "
                                                      "the standard range is also given on the rotating Earth toward "
                                                      "that azimuth (and the rotating test uses it).")
    frm: str | None = Field(None, alias="from", min_length=1, max_length=200,
                            description="Launch " + _SPEC_HELP + " With `to`: the standard range toward TO from FROM's "
                                                                 "point nearest it, on the rotating Earth, against "
                                                                 "the distance.")
    to: str | None = Field(None, min_length=1, max_length=200, description="Target " + _SPEC_HELP)

    @model_validator(mode="after")
    def _band(self) -> LoftParams:
        if (self.frm is None) != (self.to is None):
            raise ValueError("give both from and to, or neither")
        if self.frm is not None and self.launch is not None and self.launch.given():
            raise ValueError("give launch, or from and to, not both")
        if not self.burnout_alt_low_km <= self.burnout_alt_km <= self.burnout_alt_high_km:
            raise ValueError(f"burnout altitudes must satisfy low ≤ nominal ≤ high (got {self.burnout_alt_low_km:g}, "
                             f"{self.burnout_alt_km:g}, {self.burnout_alt_high_km:g} km)")
        if self.burnout_alt_km >= self.apogee_km:
            raise ValueError(f"the burnout altitude {self.burnout_alt_km:g} km must lie below the apogee "
                             f"{self.apogee_km:g} km")
        return self


class LoftObserved(_Part):
    """The observation: apogee (km), ground range (km), flight time (s)."""

    apogee_km: float
    range_km: float
    flight_time_s: float | None = None


class BurnoutRow(_Part):
    """The burnout-speed method at one burnout altitude (km): the burnout speed (m/s) and flight-path angle (deg)
    whose Keplerian arc passes through the observed apogee and ground range, the modelled flight time (s: stated
    powered time + free flight) and its residual (%), then the minimum-energy trajectory for that speed (angle deg,
    free-flight range km) and the standard range (km: + the standard flight's powered range), non-rotating, and
    toward the stated azimuth on the rotating Earth when a launch is given. Ranges are null with global reach."""

    burnout_alt_km: float
    burnout_speed_m_s: float
    burnout_angle_deg: float
    modelled_flight_time_s: float | None
    flight_time_residual_pct: float | None
    min_energy_angle_deg: float | None
    free_flight_range_km: float | None
    standard_range_km: float | None
    rotating_range_km: float | None = None
    orbital: bool
    global_reach: bool


class BurnoutMethod(_Part):
    """The burnout-speed method over the band of burnout altitudes (spherical Earth, impulsive burnout)."""

    rows: list[BurnoutRow]
    nominal: BurnoutRow
    band_km: list[float] | None = Field(description="Standard range band (km) over the burnout altitudes; null with "
                                                    "global reach.")
    rotating_band_km: list[float] | None = None
    global_reach: bool
    assumptions: dict[str, Any]


class TemplateMember(_Part):
    """The template fitted at one burn time: factor on the template's burn times (–), lift-off thrust-to-weight
    (–), total burn time (s), fitted lift-off mass (kg), standard range (km; null with global reach or no fit),
    flight-time residual (%), whether it is consistent with the observed flight time, and why not fitted."""

    burn_factor: float
    liftoff_tw: float
    burn_time_s: float | None
    launch_mass_kg: float | None
    standard_range_km: float | None
    global_reach: bool
    flight_time_residual_pct: float | None
    consistent: bool
    fitted: bool
    why: str | None


class TemplateFit(_Part):
    """The template fit over plausible burn times: the band of standard ranges (km) over the members consistent
    with the observed flight time, the rule, and the nominal member (the template's own burn time)."""

    template: str
    members: list[TemplateMember]
    low_km: float | None
    high_km: float | None
    global_reach: bool
    inconsistent_observations: bool
    thrust_to_weight_span: list[float]
    rule: str
    nominal_range_km: float | None
    nominal_residuals_pct: dict[str, float] | None
    nominal_launch_mass_kg: float | None


class LoftTarget(_Part):
    """FROM → TO: the nearest distance (km), the launch point and azimuth used, and whether the burnout-speed
    method's standard range toward TO on the rotating Earth (nominal burnout altitude, and over the band) reaches
    it; ``reaches`` is null when the band straddles the distance."""

    frm: RegionRef = Field(alias="from")
    to: RegionRef
    nearest_km: float
    azimuth_deg: float
    rotating_range_km: float | None = Field(description="Nominal burnout altitude; null with global reach.")
    reaches: bool | None
    words: str

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class LoftHeadline(_Part):
    """The headline: the method, its standard range (km; null with global reach) and the words."""

    method: str
    standard_range_km: float | None
    global_reach: bool
    text: str
    why: str


class TrajectoryLoft(Answer):
    """A lofted test converted to a standard-trajectory range by two methods side by side."""

    question: Literal["trajectory.loft"] = "trajectory.loft"
    observed: LoftObserved
    headline: LoftHeadline
    burnout_speed: BurnoutMethod
    template_fit: TemplateFit
    powered: dict[str, float] = Field(description="Powered-flight figures from the template's nominal fit: lofted "
                                                  "powered range (km) and burn time (s), standard powered range "
                                                  "(km), burnout speeds (m/s).")
    standard_range_km: float | None = Field(description="The headline standard range (km); null with global reach.")
    target: LoftTarget | None = Field(None, description="FROM → TO, when asked.")
    earth: str = Field(description="Earth model of the lofted flights.")


def _band_words(lo: float | None, hi: float | None, glob: bool) -> str:
    if glob:
        return f"from {lo:,.0f} km to global reach" if lo is not None else "global reach"
    if lo is None or hi is None:
        return "no range"
    return _interval_km(lo, hi)


@question("trajectory.loft", params=LoftParams, answer=TrajectoryLoft, cli=("trajectory", "loft"),
          http=("POST", "/api/trajectory/loft"), runs_in="physics", heavy=True,
          summary="Lofted test (apogee, ground range, flight time) → standard-trajectory range, two methods",
          examples=[Example({"apogee_km": 100, "range_km": 250, "template": "liquid-1stage"},
                            ["--apogee-km", "100", "--range-km", "250", "--template", "liquid-1stage"], slow=True),
                    Example({"apogee_km": 100, "range_km": 250, "template": "liquid-1stagee"},
                            ["--apogee-km", "100", "--range-km", "250", "--template", "liquid-1stagee"])])
def trajectory_loft(p: LoftParams) -> TrajectoryLoft:
    """Convert an observed lofted flight to a standard range (km) by the burnout-speed method (headline) and by the
    template fit over plausible burn times, side by side; the lofted flights on a non-rotating Earth by default."""
    tid = _template_id(p.template)
    earth, _ = _earth(not p.rotating)
    std_launch = None
    st_launch = Stated(name="standard launch", value="non-rotating Earth only (no launch point or azimuth given)",
                       source="default", note="give a launch (lat, lon, azimuth) for the range toward that azimuth on "
                                              "the rotating Earth")
    dist: dict[str, Any] | None = None
    if p.launch is not None and p.launch.given():
        std_launch, site, st_launch = _launch(p.launch, None)
    elif p.frm is not None and p.to is not None:
        from equilibrium.geo import distance as geo_distance  # local: pulls pyproj and shapely (geo)

        dist = geo_distance.distance(p.frm, p.to).to_dict()
        (lat0, lon0), (lat1, lon1) = dist["nearest_points"]["from"], dist["nearest_points"]["to"]
        az = float(earth_model().geod().inv(lon0, lat0, lon1, lat1)[0])
        std_launch, site, st_launch = _launch(None, None, (
            lat0, lon0, az, f"the point of {dist['from']['name']} nearest {dist['to']['name']}",
            f"the geodesic from FROM towards TO's nearest point ({dist['nearest_km']:,.0f} km), flown on its azimuth"))
    conv = engine_call(loft_convert, get_template(tid), p.apogee_km, p.range_km, p.time_s,
                       burnout_alt_band_km=(p.burnout_alt_low_km, p.burnout_alt_high_km),
                       nominal_burnout_alt_km=p.burnout_alt_km, earth=earth,
                       launch=std_launch if p.rotating else None, toward=std_launch)
    bm = conv.burnout

    def row(r: Any) -> BurnoutRow:
        rot = r.rotating
        return BurnoutRow(burnout_alt_km=r.loft.burnout_alt_km, burnout_speed_m_s=r.loft.speed_m_s,
                          burnout_angle_deg=r.loft.gamma_deg, modelled_flight_time_s=r.loft.flight_time_s,
                          flight_time_residual_pct=r.loft.flight_time_residual_pct,
                          min_energy_angle_deg=r.min_energy_gamma_deg, free_flight_range_km=r.free_flight_range_km,
                          standard_range_km=r.standard_range_km,
                          rotating_range_km=None if rot is None or rot.global_reach else
                          rot.range_km + float(bm.assumptions.get("standard_powered_range_km", 0.0)),
                          orbital=r.orbital, global_reach=r.global_reach or bool(rot is not None and rot.global_reach))

    rows = [row(r) for r in bm.rows]
    nominal = row(bm.nominal)
    rot_ranges = [r.rotating_range_km for r in rows if r.rotating_range_km is not None]
    burnout = BurnoutMethod(rows=rows, nominal=nominal,
                            band_km=list(bm.standard_range_band_km) if bm.standard_range_band_km else None,
                            rotating_band_km=[min(rot_ranges), max(rot_ranges)] if rot_ranges and std_launch and
                            len(rot_ranges) == len(rows) else None,
                            global_reach=bm.global_reach, assumptions=bm.assumptions)
    band = conv.band
    nom = band.nominal
    tf = TemplateFit(template=tid, members=[TemplateMember(**m) for m in band.members], low_km=band.low_km,
                     high_km=band.high_km, global_reach=band.global_reach,
                     inconsistent_observations=band.inconsistent_observations,
                     thrust_to_weight_span=list(band.thrust_to_weight_span), rule=band.rule,
                     nominal_range_km=nom.standard_range_km if nom else None,
                     nominal_residuals_pct=dict(nom.residuals_pct) if nom else None,
                     nominal_launch_mass_kg=nom.vehicle.launch_mass_kg if nom else None)
    head_km = nominal.standard_range_km
    blo, bhi = bm.standard_range_band_km or (None, None)
    bw = _band_words(blo, bhi, bm.global_reach)
    tw = _band_words(band.low_km, band.high_km, band.global_reach)
    text = (("global reach (the burnout speed is orbital or the range reaches half the circumference)" if
             nominal.global_reach else f"{head_km:,.0f} km") +
            f" by the burnout-speed method (burnout at {p.burnout_alt_km:g} km; {bw} for "
            f"{p.burnout_alt_low_km:g}–{p.burnout_alt_high_km:g} km), non-rotating; the {tid} template fit gives "
            f"{tw} over plausible burn times" +
            (" (the observed flight time fits no member: observations inconsistent with this family)"
             if band.inconsistent_observations else ""))
    target = None
    if dist is not None and std_launch is not None:
        near = float(dist["nearest_km"])
        rot_nom = nominal.rotating_range_km
        band_rot = [r.rotating_range_km for r in rows]
        glob_any = any(r.global_reach for r in rows)
        if nominal.global_reach or (all(x is not None and x >= near for x in band_rot)):
            reaches: bool | None = True
        elif not glob_any and all(x is not None and x < near for x in band_rot):
            reaches = False
        else:
            reaches = None
        got = "global reach" if nominal.global_reach else f"{rot_nom:,.0f} km" if rot_nom is not None else "no range"
        verdict = {True: "reaches it", False: "does not reach it",
                   None: "reaches it for some burnout altitudes of the band, not for others"}[reaches]
        words = (f"Toward {dist['to']['name']} ({near:,.0f} km from the nearest point of {dist['from']['name']}, "
                 f"azimuth {float(std_launch.azimuth_deg):.0f}°, rotating Earth): {got} by the burnout-speed method "
                 f"→ {verdict}.")
        target = LoftTarget(frm=RegionRef(**dist["from"]), to=RegionRef(**dist["to"]), nearest_km=near,
                            azimuth_deg=float(std_launch.azimuth_deg), rotating_range_km=rot_nom, reaches=reaches,
                            words=words)
    headline = LoftHeadline(method="burnout-speed", standard_range_km=None if nominal.global_reach else head_km,
                            global_reach=nominal.global_reach, text=text, why=conv.why_headline)
    st_earth = Stated(name="earth (test)", value=earth.name, source="given" if p.rotating else "default",
                      note=None if p.rotating else "a test's launch point and azimuth are rarely known: the Earth's "
                                                   "rotation is left out of the lofted flights")
    defaults = [st_earth, st_launch,
                Stated(name="burnout altitude", value=f"{p.burnout_alt_km:g} km (band {p.burnout_alt_low_km:g}–"
                                                      f"{p.burnout_alt_high_km:g} km)",
                       source="default" if "burnout_alt_km" not in p.model_fields_set else "given",
                       note="of the burnout-speed method: the altitude at which the lofted arc is taken to start"),
                Stated(name="template", value=tid, source="given"),
                Stated(name="flight-time rule", value=band.rule, source="default"),
                *(physics_stated(nom.vehicle) if nom else [])]
    notes = [f"Burnout-speed method: {bm.assumptions.get('bias', '')}.",
             f"Template fit: {band.rule}; burn times span lift-off thrust-to-weight "
             f"{band.thrust_to_weight_span[0]:.2f}–{band.thrust_to_weight_span[1]:.2f}, the span of the sourced "
             "templates."]
    if target is not None:
        notes.insert(0, target.words)
    return TrajectoryLoft(observed=LoftObserved(apogee_km=p.apogee_km, range_km=p.range_km, flight_time_s=p.time_s),
                          headline=headline, burnout_speed=burnout, template_fit=tf, powered=conv.powered,
                          standard_range_km=headline.standard_range_km, target=target, earth=earth.name,
                          defaults=defaults, notes=notes)


# ================================================================================================ trajectory.size

class SizeParams(_BodyParams):
    """The motor a template (or a catalogue system's motor) needs to carry a payload over a range, or from FROM to
    TO (then launched from FROM's point nearest TO on the geodesic azimuth towards it)."""

    payload_kg: float = Field(gt=0, le=1e6, allow_inf_nan=False, description="Payload (kg).", examples=[1000])
    template: str | None = Field(None, min_length=1, max_length=100, examples=["solid-2stage"],
                                 description="Template id (trajectory.templates).")
    system: str | None = Field(None, min_length=1, max_length=200,
                               description="Scale this catalogue system's motor instead of a template.")
    calibrate_range: bool = Field(False, description="With `system`: at its range-calibrated efficiency.")
    range_km: float | None = Field(None, gt=0, lt=19_900, allow_inf_nan=False,
                                   description="Required range (km); launched from 0°N 0°E due east.")
    frm: str | None = Field(None, alias="from", min_length=1, max_length=200,
                            description="Launch " + _SPEC_HELP + " With `to`, the range is the nearest distance.")
    to: str | None = Field(None, min_length=1, max_length=200, description="Target " + _SPEC_HELP)
    cover_all: bool = Field(False, description="Size for full coverage of `to` (its farthest point), not its nearest.")

    @model_validator(mode="after")
    def _choices(self) -> SizeParams:
        if (self.template is None) == (self.system is None):
            raise ValueError("give template (an id) or system (a catalogue name)")
        if self.calibrate_range and self.system is None:
            raise ValueError("calibrate_range needs system")
        regions = self.frm is not None or self.to is not None
        if self.range_km is not None and regions:
            raise ValueError("give range_km, or from and to, not both")
        if self.range_km is None and not (self.frm and self.to):
            raise ValueError("give range_km, or both from and to")
        if self.cover_all and self.range_km is not None:
            raise ValueError("cover_all needs from and to")
        return self


class SizedStage(_Part):
    """One stage of the sized vehicle (kg, s)."""

    wet_mass_kg: float
    propellant_mass_kg: float
    burn_time_s: float
    isp_s: float
    isp_reference: str


class SizeReference(_Part):
    """What was scaled: the reference vehicle, its lift-off mass (kg) with this payload, the sources."""

    vehicle: str
    launch_mass_kg: float
    sources: list[str] = Field(default_factory=list)
    calibration: str | None = None


class SizeTarget(_Part):
    """FROM → TO: the distances (km) and which one was sized for."""

    frm: RegionRef = Field(alias="from")
    to: RegionRef
    nearest_km: float
    full_coverage_km: float
    used: Literal["nearest_km", "full_coverage_km"]


class Reported(_Part):
    """Catalogue systems of the launching country (or any) with at least this range or this launch mass."""

    country: str | None
    systems_with_range: list[str]
    systems_at_least_as_heavy: list[str]
    summary: str


class TrajectorySize(Answer):
    """The scaled motor: lift-off and propellant mass (kg), size (m), stages, and what the catalogue reports."""

    question: Literal["trajectory.size"] = "trajectory.size"
    range_km: float
    payload_kg: float
    template: str
    scale: float
    launch_mass_kg: float
    propellant_mass_kg: float
    diameter_m: float
    length_m: float | None
    achieved_range_km: float
    stages: list[SizedStage]
    reference: SizeReference
    target: SizeTarget | None = None
    launch: LaunchPoint
    launch_site: str
    earth: str
    reported: Reported
    method: str


def _reported(iso: str | None, launch_mass_kg: float, range_km: float) -> Reported:
    """Catalogue systems of country ``iso`` (or any) at least this heavy (kg) or this long-ranged (km)."""
    systems = [s for s in catalog() if iso is None or s.country == iso]
    heavy = [s.name for s in systems if s.launch_mass and s.launch_mass.high >= launch_mass_kg]
    far = [s.name for s in systems if s.range.high >= range_km]
    who = iso or "any country in the catalogue"
    if far:
        summary = f"Reported systems of {who} with a range ≥ {range_km:,.0f} km: {', '.join(far)}."
    else:
        summary = f"No system of {who} in the catalogue is reported with a range ≥ {range_km:,.0f} km."
    if heavy:
        summary += f" Reported at least as heavy: {', '.join(heavy)}."
    return Reported(country=iso, systems_with_range=far, systems_at_least_as_heavy=heavy, summary=summary)


@question("trajectory.size", params=SizeParams, answer=TrajectorySize, cli=("trajectory", "size"),
          http=("POST", "/api/trajectory/size"), runs_in="physics", heavy=True,
          summary="The motor a template needs to carry a payload over a range or from one region to another",
          examples=[Example({"payload_kg": 800, "template": "liquid-1stage", "range_km": 500},
                            ["--payload-kg", "800", "--template", "liquid-1stage", "--range-km", "500"]),
                    Example({"payload_kg": 1000, "template": "solid-2stage", "from": "PAK", "to": "USA:conus"},
                            ["--payload-kg", "1000", "--template", "solid-2stage", "--from", "PAK", "--to",
                             "USA:conus"], slow=True)])
def trajectory_size(p: SizeParams) -> TrajectorySize:
    """Scale the template (or the system's motor) until its maximum range with the payload equals the range asked
    for, or the distance FROM → TO (nearest point, or farthest with ``cover_all``), launched from FROM's point
    nearest TO on the geodesic azimuth towards it; and the catalogue systems that large or that far."""
    target: SizeTarget | None = None
    defaults: list[Stated] = []
    notes: list[str] = []
    if p.range_km is None:
        from equilibrium.geo import distance as geo_distance  # local: pulls pyproj and shapely (geo)
        assert p.frm is not None and p.to is not None
        dist = geo_distance.distance(p.frm, p.to).to_dict()
        used: Literal["nearest_km", "full_coverage_km"] = "full_coverage_km" if p.cover_all else "nearest_km"
        range_km = float(dist[used])
        if not range_km > 0:
            raise InvalidInput(f"{p.frm} and {p.to} touch or overlap (nearest distance 0 km): nothing to size")
        target = SizeTarget(frm=RegionRef(**dist["from"]), to=RegionRef(**dist["to"]),
                            nearest_km=dist["nearest_km"], full_coverage_km=dist["full_coverage_km"], used=used)
        pts = dist["full_coverage_points" if p.cover_all else "nearest_points"]
        (lat0, lon0), (lat1, lon1) = pts["from"], pts["to"]
        az = float(earth_model().geod().inv(lon0, lat0, lon1, lat1)[0])
        which = "farthest point" if p.cover_all else "nearest point"
        toward = f"{dist['to']['name']}'s farthest point" if p.cover_all else dist["to"]["name"]
        launch, site, st_launch = _launch(None, None, (
            lat0, lon0, az, f"the point of {dist['from']['name']} nearest {toward}",
            f"the geodesic from FROM towards TO's {which} ({range_km:,.0f} km), flown on its azimuth"))
        defaults.append(Stated(name="range", value=f"{range_km:,.0f} km", source="default",
                               note=f"{'full-coverage' if p.cover_all else 'nearest'} distance {p.frm} → {p.to}"))
        defaults += [Stated(name="boundaries", value=str(dist["boundary"].get("dataset")), source="data")]
    else:
        range_km = float(p.range_km)
        launch, site, st_launch = _launch(None, None)
    earth, st_earth = _earth(False)
    if p.system is not None:
        s = _find_system(p.system)
        sv = _system_vehicle(s.id, p.calibrate_range)
        label = sv.name + (" at its range-calibrated efficiency" if p.calibrate_range else "")
        sz = engine_call(size_vehicle, sv.vehicle.with_payload(p.payload_kg), range_km, label=label, launch=launch,
                         diameter_m=s.diameter.nominal if s.diameter else None,
                         length_m=s.length.nominal if s.length else None,
                         reference={"vehicle": sv.name, "launch_mass_kg": sv.vehicle.launch_mass_kg,
                                    "calibration": sv.calibration, "sources": sv.sources})
        name = sv.name
        defaults.append(Stated(name="calibration", value=sv.calibration, source="assumed"))
    else:
        tid = _template_id(str(p.template))
        sz = engine_call(size, get_template(tid), range_km, p.payload_kg, launch=launch)
        name = tid
    d = sz.to_dict()
    iso = None
    if p.frm is not None:
        from equilibrium.geo.regions import resolve_region  # local: pulls pyproj and shapely (geo)

        iso = resolve_region(p.frm).iso3
        if iso is None:
            notes.append(f"{p.frm} is not a country: the catalogue comparison covers every country.")
    notes.append("The motor is the reference vehicle with every stage mass multiplied by one factor (burn times "
                 "fixed); its maximum range is flown on the rotating Earth from the stated launch point and azimuth, "
                 "so the same range asked from the equator due east needs a different motor.")
    return TrajectorySize(
        range_km=range_km, payload_kg=p.payload_kg, template=name, scale=d["scale"],
        launch_mass_kg=d["launch_mass_kg"], propellant_mass_kg=d["propellant_mass_kg"], diameter_m=d["diameter_m"],
        length_m=d["length_m"], achieved_range_km=d["achieved_range_km"],
        stages=[SizedStage(**x) for x in d["stages"]], reference=SizeReference(**d["reference"]), target=target,
        launch=LaunchPoint(lat_deg=float(launch.lat_deg), lon_deg=float(launch.lon_deg),
                           azimuth_deg=float(launch.azimuth_deg)),
        launch_site=site, earth=earth.name, reported=_reported(iso, sz.launch_mass_kg, range_km), method=d["method"],
        defaults=[st_launch, st_earth, Stated(name="payload", value=f"{p.payload_kg:,.0f} kg", source="given"),
                  *defaults, *stated_data("catalogue")], notes=notes)


# ================================================================================================ trajectory.montecarlo

class MonteCarloParams(VehicleParams):
    """Maximum-range percentiles over declared input distributions (relative standard deviations)."""

    n: int = Field(200, ge=1, le=MAX_SAMPLES, description="Number of samples.")
    seed: int = Field(0, ge=0, lt=2**63, description="Root seed (per-sample seeds are spawned from it).")
    isp_sd: float | None = Field(None, ge=0, lt=0.34, allow_inf_nan=False,
                                 description="Relative σ of the specific impulse (default 0.02).")
    dry_sd: float | None = Field(None, ge=0, lt=0.34, allow_inf_nan=False,
                                 description="Relative σ of the stage dry masses (default 0.05).")
    propellant_sd: float | None = Field(None, ge=0, lt=0.34, allow_inf_nan=False,
                                        description="Relative σ of the propellant masses (default 0.02).")
    drag_sd: float | None = Field(None, ge=0, lt=0.34, allow_inf_nan=False,
                                  description="Relative σ of the drag (default 0.10).")


class MonteCarloHttpParams(MonteCarloParams):
    """:class:`MonteCarloParams` as the HTTP API takes them: at most :data:`HTTP_MAX_SAMPLES` samples, so that a
    run fits the web's physics time budget (the CLI runs larger ones, on several workers and resumably)."""

    n: int = Field(200, ge=1, le=HTTP_MAX_SAMPLES,
                   description=f"Number of samples (at most {HTTP_MAX_SAMPLES:,} over HTTP, to fit the time budget; "
                               "the CLI takes more).")


class MonteCarloInputs(_Part):
    """The input distributions: relative σ (–) of Isp, dry mass, propellant and drag (normal, truncated at ±3σ),
    the payload interval (kg, uniform) or null (fixed), and where each width comes from."""

    isp_sd: float
    dry_sd: float
    propellant_sd: float
    drag_sd: float
    payload_kg: list[float] | None
    basis: dict[str, str]


class TrajectoryMonteCarlo(Answer, VehicleFields):
    """Maximum-range percentiles (km) over the samples, beside the nominal and the published range."""

    question: Literal["trajectory.montecarlo"] = "trajectory.montecarlo"
    n: int
    seed: int
    p5_km: float | None
    p50_km: float | None
    p95_km: float | None
    mean_km: float | None
    std_km: float | None
    failed: int = Field(description="Samples with no impact (excluded from the percentiles).")
    nominal_range_km: float
    nominal_kick_deg: float
    nominal_bias_deg: float = Field(description="The nominal's thrust tilt (deg), held in every sample.")
    global_reach: int = Field(description="Samples whose maximum range reaches global reach (≥ 19,000 km, near the "
                                          "antipode): their range figure is saturated.")
    inputs: MonteCarloInputs
    launch: LaunchPoint
    launch_site: str
    earth: str
    method: str


@dataclass
class MonteCarloRun:
    """How a Monte Carlo run was executed (the CLI's concern; the answer does not depend on it)."""

    parquet_dir: str | None
    chunks_resumed: int
    ranges_km: Any


def montecarlo_answer(p: MonteCarloParams, *, workers: int = 1, scheduler: str | None = None,
                      out_dir: Any = None, chunk_size: int = 500,
                      progress: Any = None) -> tuple[TrajectoryMonteCarlo, MonteCarloRun]:
    """The answer to ``trajectory.montecarlo`` and how it ran: ``workers``/``scheduler``/``chunk_size`` change how
    the samples are spread (never the numbers), ``out_dir`` keeps them as Parquet parts (resumable)."""
    r = _resolve(p)
    launch, site, st_launch = _launch(p.launch, r.country)
    earth, st_earth = _earth(p.non_rotating)
    analyst = "analyst default (not from a source)"
    basis = {"isp_sd": analyst, "dry_sd": analyst, "propellant_sd": analyst, "drag_sd": analyst}
    kw: dict[str, Any] = {}
    for key in ("isp_sd", "dry_sd", "propellant_sd", "drag_sd"):
        v = getattr(p, key)
        if v is not None:
            kw[key] = float(v)
            basis[key] = "given"
    if r.sv is not None and r.sv.payload_interval_kg:
        lo, hi = r.sv.payload_interval_kg
        if hi > lo:
            kw["payload_kg"] = (lo, hi)
            basis["payload_kg"] = "catalogue payload interval (per-source figures)"
    spread = Spread(**kw, basis=basis)
    res = engine_call(run_montecarlo, r.vehicle, p.n, p.seed, spread=spread, launch=launch, earth=earth,
                      workers=workers, scheduler=scheduler, out_dir=out_dir, chunk_size=chunk_size, progress=progress)
    d = res.to_dict()

    def fin(x: float) -> float | None:
        return float(x) if math.isfinite(x) else None

    notes = []
    if d["global_reach"]:
        notes.append(f"{d['global_reach']:,} of {p.n:,} samples reach {GLOBAL_REACH_KM:,.0f} km or more (near the "
                     "antipode): global reach, where a range figure no longer says what can be hit; percentiles above "
                     "that are saturated.")
    if r.info is not None:
        p50 = d["p50_km"]
        notes += _range_note(p50, "median (P50) maximum range", r, launch, earth) if math.isfinite(p50) else []
    st_spread = Stated(name="spread", value=(f"Isp σ {spread.isp_sd:.0%}, dry mass σ {spread.dry_sd:.0%}, propellant "
                                             f"σ {spread.propellant_sd:.0%}, drag σ {spread.drag_sd:.0%}"
                                             + (f", payload {spread.payload_kg[0]:,.0f}–{spread.payload_kg[1]:,.0f} "
                                                "kg (uniform)" if spread.payload_kg else "")),
                       source="given" if any(v == "given" for v in basis.values()) else "assumed",
                       note="normal, truncated at ±3σ")
    answer = TrajectoryMonteCarlo(
        n=p.n, seed=p.seed, p5_km=fin(d["p5_km"]), p50_km=fin(d["p50_km"]), p95_km=fin(d["p95_km"]),
        mean_km=fin(d["mean_km"]), std_km=fin(d["std_km"]), failed=d["failed"],
        nominal_range_km=d["nominal_range_km"], nominal_kick_deg=d["nominal_kick_deg"],
        nominal_bias_deg=d["nominal_bias_deg"], global_reach=d["global_reach"],
        inputs=MonteCarloInputs(isp_sd=spread.isp_sd, dry_sd=spread.dry_sd, propellant_sd=spread.propellant_sd,
                                drag_sd=spread.drag_sd,
                                payload_kg=list(spread.payload_kg) if spread.payload_kg else None,
                                basis=dict(spread.basis)),
        launch=LaunchPoint(lat_deg=float(launch.lat_deg), lon_deg=float(launch.lon_deg),
                           azimuth_deg=float(launch.azimuth_deg)),
        launch_site=site, earth=earth.name, method=d["method"], **r.fields(),
        defaults=[st_launch, st_earth, st_spread, *r.stated()], notes=notes)
    return answer, MonteCarloRun(parquet_dir=d["parquet_dir"], chunks_resumed=d["chunks_resumed"],
                                 ranges_km=res.ranges_km)


@question("trajectory.montecarlo", params=MonteCarloHttpParams, answer=TrajectoryMonteCarlo,
          cli=("trajectory", "montecarlo"), http=("POST", "/api/trajectory/montecarlo"), runs_in="physics", heavy=True,
          summary="Maximum-range percentiles (P5, P50, P95, km) over declared input distributions",
          examples=[Example({"system": "Shaheen-II", "n": 12, "seed": 1},
                            ["--system", "Shaheen-II", "-n", "12", "--seed", "1"])])
def trajectory_montecarlo(p: MonteCarloParams) -> TrajectoryMonteCarlo:
    """P5, P50 and P95 of the maximum range (km) over ``n`` samples of the declared input distributions (seeded:
    identical for any number of workers), beside the nominal and the published range."""
    return montecarlo_answer(p)[0]


# ================================================================================================ trajectory.system

class SystemParams(Params):
    """A catalogue ballistic missile by name."""

    name: str = Field(min_length=1, max_length=200, examples=["Shaheen-III"],
                      description="System name, id or alias (fuzzy).")
    calibrate_range: bool = Field(False, description="Also fit the motor's efficiency so that the catalogue launch "
                                                     "mass flies the catalogue range.")


class TrajectorySystem(Answer, SystemVehicleInfo):
    """A catalogue ballistic missile as a vehicle: template, calibration, masses, the vehicle spec, the catalogue's
    range and the default launch point."""

    question: Literal["trajectory.system"] = "trajectory.system"
    propellant: str
    catalogue_range_km: CitedSummary
    default_launch: LaunchPoint
    default_launch_site: str
    vehicle: Vehicle


@question("trajectory.system", params=SystemParams, answer=TrajectorySystem, cli=("trajectory", "system"),
          http=("GET", "/api/trajectory/system"), runs_in="physics", heavy=True,
          summary="A catalogue ballistic missile as a vehicle (template, calibration, default launch site)",
          examples=[Example({"name": "Shaheen-II"}, ["Shaheen-II"]), Example({"name": "Babur"}, ["Babur"])])
def trajectory_system(p: SystemParams) -> TrajectorySystem:
    """The system's vehicle: its template, the calibration used (scaled to the catalogue's launch mass, or
    range-calibrated to its nominal range), masses, sources, the full vehicle spec and its default launch point (a
    named site in its country). Unknown names: :class:`NotFound`; cruise missiles: :class:`InvalidInput`."""
    s = _find_system(p.name)
    sv = _system_vehicle(s.id, p.calibrate_range)
    r = _Resolved(vehicle=sv.vehicle, system=s, sv=sv, info=system_info(s, sv))
    launch, site, st_launch = _launch(None, s.country)
    return TrajectorySystem(**r.info.model_dump(), propellant=s.propellant,  # type: ignore[union-attr]
                            catalogue_range_km=cited_summary(s.range, catalog().bibliography),
                            default_launch=LaunchPoint(lat_deg=float(launch.lat_deg), lon_deg=float(launch.lon_deg),
                                                       azimuth_deg=float(launch.azimuth_deg)),
                            default_launch_site=site, vehicle=sv.vehicle, defaults=[st_launch, *r.stated()])


# ================================================================================================ trajectory.reach

class ReachParams(Params):
    """A catalogue ballistic system launched from FROM against TO."""

    frm: str = Field(alias="from", min_length=1, max_length=200, description="Launch " + _SPEC_HELP,
                     examples=["PAK"])
    to: str = Field(min_length=1, max_length=200, description="Target " + _SPEC_HELP, examples=["IND"])
    system: str = Field(min_length=1, max_length=200, examples=["Shaheen-III"],
                        description="Catalogue ballistic system (fuzzy names).")
    calibrate_range: bool = Field(False, description="Fit the motor's efficiency to the catalogue range first.")


class TrajectoryReach(Answer, VehicleFields):
    """Reach from the physics: the range flown in every launch direction against the target."""

    question: Literal["trajectory.reach"] = "trajectory.reach"
    frm: RegionRef = Field(alias="from")
    to: RegionRef
    launch_point: list[float] = Field(description="[lat, lon] (deg): FROM's point nearest TO.")
    nearest_km: float
    azimuth_to_nearest_deg: float
    range_toward_nearest_km: float
    reaches_nearest: bool
    area_fraction: float = Field(description="Share (0–1) of TO's area within the range in its direction.")
    population_fraction: float = Field(description="Share (0–1) of TO's city population in reach.")
    cities_in_range: int
    cities_total: int
    largest_in: list[ReachCity]
    largest_out: list[ReachCity]
    azimuth_profile: AzimuthProfile
    boundary: dict[str, Any] = Field(description="The boundary set used (dataset, point of view, sources).")
    earth: str
    method: str
    polygon: dict[str, Any] = Field(description="GeoJSON Feature of the reach from the launch point (72 directions, "
                                                "d3-geo winding: clockwise, increasing azimuth; not RFC 7946).")


@question("trajectory.reach", params=ReachParams, answer=TrajectoryReach, cli=("trajectory", "reach"),
          http=("GET", "/api/trajectory/reach"), runs_in="physics", heavy=True,
          summary="Reach from the physics: range by launch azimuth against a target",
          examples=[Example({"from": "PAK", "to": "IND:andaman-nicobar", "system": "Shaheen-II"},
                            ["--from", "PAK", "--to", "IND:andaman-nicobar", "--system", "Shaheen-II"], slow=True)])
def trajectory_reach(p: ReachParams) -> TrajectoryReach:
    """The maximum range flown in every launch direction from FROM's point nearest to TO (the rotating Earth makes
    eastward shots go further): whether it reaches TO's nearest point, the share of TO's area and city population
    in reach, the azimuth profile and the polygon of the reach."""
    from equilibrium.geo.regions import resolve_region  # local: pulls pyproj and shapely (geo)
    from equilibrium.trajectory.reach import physics_reach, reach_polygon  # local: pulls pyproj and shapely (geo)

    resolve_region(p.frm), resolve_region(p.to)  # unknown regions: NotFound before any flight
    s = _find_system(p.system)
    sv = _system_vehicle(s.id, p.calibrate_range)
    r = _Resolved(vehicle=sv.vehicle, system=s, sv=sv, info=system_info(s, sv))
    out = engine_call(physics_reach, p.frm, p.to, sv.vehicle)
    prof = out["azimuth_profile"]
    lat0, lon0 = out["launch_point"]
    polygon = reach_polygon((float(lat0), float(lon0)), list(prof["azimuth_deg"]), list(prof["range_km"]))
    earth, st_earth = _earth(False)
    st_launch = Stated(name="launch", value=f"the point of {out['from']['name']} nearest {out['to']['name']} "
                                            f"({_place(float(lat0), float(lon0))}), every azimuth",
                       source="default", note=f"{len(prof['azimuth_deg'])} launch directions, each flown at its "
                                              "range-maximising pitch-over")
    pub = r.info.published_range_km  # type: ignore[union-attr]
    notes = [f"The physics range runs from {prof['min_km']:,.0f} km (westward) to {prof['max_km']:,.0f} km "
             f"(eastward) on the rotating Earth; the catalogue publishes {_interval_km(pub.low, pub.high)} "
             f"for {s.name}, a single figure without direction."]
    notes += _range_note(float(out["range_toward_nearest_km"]), "range towards TO's nearest point", r,
                         Launch.toward(lat0, lon0, float(out["azimuth_to_nearest_deg"])), earth)
    return TrajectoryReach(
        frm=RegionRef(**out["from"]), to=RegionRef(**out["to"]), launch_point=[float(lat0), float(lon0)],
        nearest_km=out["nearest_km"], azimuth_to_nearest_deg=out["azimuth_to_nearest_deg"] % 360.0,
        range_toward_nearest_km=out["range_toward_nearest_km"], reaches_nearest=out["reaches_nearest"],
        area_fraction=out["area_fraction"], population_fraction=out["population_fraction"],
        cities_in_range=out["cities_in_range"], cities_total=out["cities_total"],
        largest_in=[ReachCity(**c) for c in out["largest_in"]],
        largest_out=[ReachCity(**c) for c in out["largest_out"]], azimuth_profile=AzimuthProfile(**prof),
        boundary=out["boundary"], earth=out["earth"], method=out["method"],
        polygon=polygon, **r.fields(), defaults=[st_launch, st_earth, *r.stated()], notes=notes)
