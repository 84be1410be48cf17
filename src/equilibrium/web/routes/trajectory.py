"""Trajectories: catalogue vehicles, maximum range, payload–range, lofted test → standard range, motor sizing, and
reach from the physics (range by launch azimuth on the rotating Earth).

Flights take seconds (a maximum range 2–5 s, a loft fit or a sizing 5–20 s, a catalogue vehicle without a published
launch mass 15–25 s the first time); every result is cached per app on its request, so a repeat is instant.
Units: km, kg, s, degrees.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from equilibrium.errors import InvalidInput, NotFound, UnknownChoice
from equilibrium.trajectory import Vehicle
from equilibrium.web.problems import API_PROBLEMS, problem_responses
from equilibrium.web.routes.deps import SPEC_HELP, get_geo
from equilibrium.web.service import GeoService, TrajectoryService

router = APIRouter(prefix="/api/trajectory", tags=["trajectory"],
                   responses={**API_PROBLEMS, **problem_responses(400, 413)})

MAX_STAGES = 6
MAX_PAYLOADS = 25


def get_trajectory(request: Request) -> TrajectoryService:
    """The app's cached :class:`TrajectoryService` (made on first use, sharing the app's geo service)."""
    service: TrajectoryService | None = getattr(request.app.state, "trajectory", None)
    if service is None:
        service = request.app.state.trajectory = TrajectoryService(get_geo(request))
    return service


Traj = Annotated[TrajectoryService, Depends(get_trajectory)]
Geo = Annotated[GeoService, Depends(get_geo)]


def _template_id(name: str, service: TrajectoryService) -> str:
    ids = [t["id"] for t in service.templates()["templates"]]
    if name in ids:
        return name
    from equilibrium.trajectory import get_template

    try:
        get_template(name)
    except NotFound as exc:
        raise UnknownChoice("template", name, exc.suggestions or ids) from exc
    return name  # pragma: no cover - get_template accepted a name the list lacks


# ------------------------------------------------------------------------------------------------------ bodies

class _Body(BaseModel):
    """Request bodies are validated strictly: ``"history": 0`` is not a boolean, ``"azimuth_deg": false`` or
    ``"1.5"`` not a number (JSON integers are numbers, as JSON has one number type)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)


class LaunchIn(_Body):
    """Launch point (geodetic, deg) and azimuth (deg clockwise from north)."""

    lat_deg: float = Field(default=0.0, ge=-90, le=90, allow_inf_nan=False)
    lon_deg: float = Field(default=0.0, ge=-180, le=360, allow_inf_nan=False)
    azimuth_deg: float = Field(default=90.0, ge=0, le=360, allow_inf_nan=False)

    def key(self) -> tuple[float, float, float]:
        return (float(self.lat_deg), float(self.lon_deg), float(self.azimuth_deg) % 360.0)


DEFAULT_LAUNCH = LaunchIn()


class VehicleBody(_Body):
    """Exactly one of ``system`` (a catalogue ballistic missile, fuzzy names) or ``vehicle`` (a full spec)."""

    system: str | None = Field(None, min_length=1, max_length=200, examples=["Shaheen-III"],
                               description="Catalogue system (name, id or alias).")
    vehicle: Vehicle | None = Field(None, description="A vehicle spec (stages bottom to top, kg, s, m).")
    launch: LaunchIn | None = Field(None, description="Default: 0°, 0°, azimuth 90° (due east on the equator).")
    non_rotating: bool = Field(False, description="Non-rotating Earth (geometry-free comparisons).")

    @field_validator("vehicle", mode="before")
    @classmethod
    def _strict_vehicle(cls, value: Any) -> Any:
        # The spec's own models are lax; a request body is read as strict JSON (arrays may fill tuples).
        if isinstance(value, dict):
            return Vehicle.model_validate_json(json.dumps(value, allow_nan=False), strict=True)
        return value

    @model_validator(mode="after")
    def _one_vehicle(self) -> VehicleBody:
        if (self.system is None) == (self.vehicle is None):
            raise ValueError("give exactly one of system (a catalogue name) or vehicle (a spec)")
        if self.vehicle is not None and len(self.vehicle.stages) > MAX_STAGES:
            raise ValueError(f"at most {MAX_STAGES} stages")
        return self

    def source(self) -> tuple[str, str]:
        if self.system is not None:
            return ("system", self.system.strip())
        assert self.vehicle is not None
        return ("vehicle", self.vehicle.model_dump_json())

    def launch_key(self) -> tuple[float, float, float]:
        return (self.launch or DEFAULT_LAUNCH).key()


class MaxRangeBody(VehicleBody):
    history: bool = Field(False, description="Include time histories (t_s, altitude_km, downrange_km, ...).")


class PayloadRangeBody(VehicleBody):
    payloads_kg: list[Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)]] | None = Field(
        None, min_length=1, max_length=MAX_PAYLOADS,
        description="Payloads (kg); default 25 % to 200 % of the vehicle's own in 9 steps.")


class LoftBody(_Body):
    apogee_km: float = Field(gt=0, le=100_000, allow_inf_nan=False, description="Observed apogee (km).",
                             examples=[2802])
    range_km: float = Field(gt=0, lt=20_000, allow_inf_nan=False, description="Observed ground range (km).",
                            examples=[933])
    time_s: float | None = Field(None, gt=0, le=14_400, allow_inf_nan=False, description="Observed flight time (s).",
                                 examples=[2280])
    template: str = Field(min_length=1, max_length=100, examples=["liquid-2stage"],
                          description="Template id (GET /api/trajectory/templates).")
    fit: Literal["scale", "payload"] = Field("scale", description="Free parameter: motor scale or payload.")
    rotating: bool = Field(False, description="Rotating Earth (needs the real launch point and azimuth); "
                                              "default non-rotating, as a test's launch geometry is rarely known.")
    launch: LaunchIn | None = None


class SizeBody(_Body):
    payload_kg: float = Field(gt=0, le=1e6, allow_inf_nan=False, description="Payload (kg).", examples=[1000])
    template: str = Field(min_length=1, max_length=100, examples=["solid-2stage"])
    range_km: float | None = Field(None, gt=0, lt=19_900, allow_inf_nan=False, description="Required range (km).")
    frm: str | None = Field(None, alias="from", min_length=1, max_length=200,
                            description="Launch " + SPEC_HELP + " With `to`, the range is the nearest distance.")
    to: str | None = Field(None, min_length=1, max_length=200, description="Target " + SPEC_HELP)

    @model_validator(mode="after")
    def _range_or_regions(self) -> SizeBody:
        regions = self.frm is not None or self.to is not None
        if self.range_km is not None and regions:
            raise ValueError("give range_km, or from and to, not both")
        if self.range_km is None and not (self.frm and self.to):
            raise ValueError("give range_km, or both from and to")
        return self


# ---------------------------------------------------------------------------------------------------- endpoints

@router.get("/templates", summary="Vehicle templates (generic stage stacks with sources)")
def templates(traj: Traj) -> dict[str, Any]:
    """``{"templates": [{"id", "name", "propellant", "basis", "reference_vehicle", "launch_mass_kg", ...}]}``."""
    return traj.templates()


@router.get("/system", summary="A catalogue ballistic missile as a vehicle")
def system(traj: Traj, name: Annotated[str, Query(min_length=1, max_length=200, examples=["Shaheen-III"],
                                                  description="System name, id or alias (fuzzy).")]) -> dict[str, Any]:
    """The system's vehicle: its template, the ``calibration`` used (scaled to the catalogue's launch mass, or
    range-calibrated to its nominal range), masses, ``sources`` and the full ``vehicle`` spec. Unknown names answer
    404 with suggestions; cruise missiles and other non-ballistic systems 422."""
    return traj.system(name.strip())


@router.post("/max-range", summary="Maximum range over the pitch-over angle")
def max_range(body: MaxRangeBody, traj: Traj) -> dict[str, Any]:
    """``range_km``, ``apogee_km``, ``flight_time_s``, ``burnout``, ``impact``, ``guidance`` of the range-maximising
    flight, with ``history`` when asked and ``system`` (calibration, sources) for a catalogue system."""
    return traj.max_range(body.source(), body.launch_key(), body.non_rotating, body.history)


@router.post("/payload-range", summary="Maximum range for each payload")
def payload_range(body: PayloadRangeBody, traj: Traj) -> dict[str, Any]:
    """``{"points": [{"payload_kg", "range_km", "kick_deg", "converged"}, ...]}``."""
    payloads = tuple(float(p) for p in body.payloads_kg) if body.payloads_kg else None
    return traj.payload_range(body.source(), payloads, body.launch_key(), body.non_rotating)


@router.post("/loft", summary="Lofted test → standard range")
def loft(body: LoftBody, traj: Traj) -> dict[str, Any]:
    """Fit a template to an observed lofted flight (apogee, ground range, flight time) and return the standard
    (range-maximising) range of the fitted vehicle, ``standard_range_km``, with the ``residuals_pct``."""
    template = _template_id(body.template, traj)
    return traj.loft(template, float(body.apogee_km), float(body.range_km),
                     None if body.time_s is None else float(body.time_s), body.fit, body.rotating,
                     (body.launch or DEFAULT_LAUNCH).key())


@router.post("/size", summary="The motor a template needs for a range and payload")
def size(body: SizeBody, traj: Traj) -> dict[str, Any]:
    """The template scaled so that its maximum range with ``payload_kg`` equals ``range_km`` (or the nearest
    distance ``from`` → ``to``): lift-off and propellant mass, diameter, length, stages."""
    template = _template_id(body.template, traj)
    return traj.size(template, float(body.payload_kg), None if body.range_km is None else float(body.range_km),
                     body.frm and body.frm.strip(), body.to and body.to.strip())


@router.get("/reach", summary="Reach from the physics: range by launch azimuth against a target")
def reach(traj: Traj,
          to: Annotated[str, Query(min_length=1, max_length=200, description="Target " + SPEC_HELP,
                                   examples=["IND"])],
          system: Annotated[str, Query(min_length=1, max_length=200, examples=["Shaheen-III"],
                                       description="Catalogue ballistic system (fuzzy names).")],
          from_: Annotated[str | None, Query(alias="from", min_length=1, max_length=200,
                                             description="Launch " + SPEC_HELP, examples=["PAK"])] = None,
          frm: Annotated[str | None, Query(min_length=1, max_length=200,
                                           description="Same as `from` (alternative name).")] = None,
          ) -> dict[str, Any]:
    """The maximum range flown in every launch direction from FROM's point nearest to TO (the rotating Earth
    makes eastward shots go further): ``reaches_nearest``, ``range_toward_nearest_km``, ``area_fraction``,
    ``population_fraction``, cities in and out, the ``azimuth_profile``, and ``polygon``: a GeoJSON Feature of the
    reach from the launch point (72 directions, d3-geo winding: clockwise, increasing azimuth)."""
    if (from_ is None) == (frm is None) and from_ != frm:
        raise InvalidInput("give the launch region once: from (or frm)")
    spec = from_ or frm
    if spec is None:
        raise InvalidInput("give the launch region: from")
    return traj.reach(spec.strip(), to.strip(), ("system", system.strip()))
