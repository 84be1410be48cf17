"""Vehicle templates (``data/trajectory/templates.yml``): generic stage stacks with sourced figures.

A template is a reference vehicle whose masses are scaled (all stages by one factor, burn times fixed, so
thrust scales too) to size a motor, and whose payload is refitted to convert a lofted test. Every figure is a
cited value; ``uncertainty`` holds relative half-widths (–) used by Monte Carlo where a source supports one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from equilibrium.errors import DataError, NotFound
from equilibrium.provenance import CitedValue, data_path
from equilibrium.provenance.yamlio import load_yaml, validate_items
from equilibrium.trajectory.vehicle import Drag, Shroud, Stage, Vehicle


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TemplateStage(_M):
    """One stage of a template (cited values: kg, s, m, m²)."""

    wet_mass: CitedValue
    propellant_mass: CitedValue
    isp: CitedValue
    isp_reference: str
    burn_time: CitedValue
    diameter: CitedValue | None = None
    nozzle_exit_area: CitedValue | None = None
    isp_vacuum: CitedValue | None = None
    isp_sea_level: CitedValue | None = None


class TemplateShroud(_M):
    """Shroud mass (kg) and jettison time (s)."""

    mass: CitedValue
    jettison_time: CitedValue


class Template(_M):
    """A template vehicle: reference masses and stage data with sources."""

    id: str
    name: str
    propellant: str
    basis: str
    reference_vehicle: str
    launch_mass: CitedValue
    payload: CitedValue
    length: CitedValue | None = None
    diameter: CitedValue
    shroud: TemplateShroud | None = None
    stages: list[TemplateStage]
    uncertainty: dict[str, CitedValue] = {}
    drag_table: str | None = None
    note: str | None = None

    def vehicle(self, payload_kg: float | None = None, scale: float = 1.0) -> Vehicle:
        """The template as a :class:`Vehicle`, carrying ``payload_kg`` (kg; default the reference payload), with
        every stage mass multiplied by ``scale`` (–) at fixed burn times."""
        d0 = self.diameter.nominal
        stages = [Stage(wet_mass_kg=s.wet_mass.nominal, propellant_mass_kg=s.propellant_mass.nominal,
                        isp_s=s.isp.nominal, isp_reference=s.isp_reference,
                        burn_time_s=s.burn_time.nominal,
                        diameter_m=s.diameter.nominal if s.diameter else (d0 if k == 0 else None),
                        nozzle_exit_area_m2=s.nozzle_exit_area.nominal if s.nozzle_exit_area else None,
                        isp_vacuum_s=s.isp_vacuum.nominal if s.isp_vacuum else None,
                        isp_sea_level_s=s.isp_sea_level.nominal if s.isp_sea_level else None)
                  for k, s in enumerate(self.stages)]
        shroud = Shroud(mass_kg=self.shroud.mass.nominal, jettison_time_s=self.shroud.jettison_time.nominal) \
            if self.shroud else None
        drag = Drag(table=self.drag_table) if self.drag_table else None
        v = Vehicle(payload_kg=payload_kg or self.payload.nominal, stages=stages, shroud=shroud, drag=drag,
                    name=self.name)
        return v.scaled(scale) if scale != 1.0 else v

    @property
    def density_kg_m3(self) -> float | None:
        """Mean density (kg/m³) of the reference vehicle as a cylinder of its length and diameter, if both known."""
        if self.length is None:
            return None
        import math

        return self.launch_mass.nominal / (math.pi * self.diameter.nominal ** 2 / 4 * self.length.nominal)

    def source_ids(self) -> list[str]:
        """Every source id the template cites."""
        seen: dict[str, None] = {}

        def walk(o: Any) -> None:
            if isinstance(o, CitedValue):
                for s in o.source_ids():
                    seen.setdefault(s, None)
            elif isinstance(o, BaseModel):
                for k in type(o).model_fields:
                    walk(getattr(o, k))
            elif isinstance(o, list):
                for x in o:
                    walk(x)
            elif isinstance(o, dict):
                for x in o.values():
                    walk(x)

        walk(self)
        return list(seen)

    def summary(self) -> dict[str, Any]:
        """JSON-ready description (kg, s, m) with the basis and sources."""
        return {"id": self.id, "name": self.name, "propellant": self.propellant, "basis": self.basis,
                "reference_vehicle": self.reference_vehicle, "launch_mass_kg": self.launch_mass.nominal,
                "payload_kg": self.payload.nominal, "diameter_m": self.diameter.nominal,
                "length_m": self.length.nominal if self.length else None, "stages": len(self.stages),
                "sources": self.source_ids()}


@dataclass(frozen=True)
class _Loaded:
    templates: dict[str, Template]


@lru_cache(maxsize=1)
def _load() -> _Loaded:
    path = data_path("trajectory", "templates.yml")
    doc = load_yaml(path)
    errors: list[str] = []
    out = {t.id: t for _, t in validate_items(doc, "templates", Template, errors)}
    if errors:
        raise DataError("invalid trajectory templates", errors)
    return _Loaded(out)


def templates() -> dict[str, Template]:
    """Every template by id."""
    return dict(_load().templates)


def get_template(name: str) -> Template:
    """The template ``name``; :class:`NotFound` with close matches otherwise."""
    ts = _load().templates
    if name in ts:
        return ts[name]
    from rapidfuzz import process

    near = [m for m, _, _ in process.extract(name, list(ts), limit=3)]
    raise NotFound("template", name, near)
