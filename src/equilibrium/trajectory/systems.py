"""Vehicles for catalogue systems: a template matched to the system and scaled to its published figures.

The catalogue holds launch mass, payload, diameter, stages and range where sources give them, never stage-level
motor data. A system's vehicle is therefore its family's template (:mod:`templates`) scaled so that either
(a) its lift-off mass equals the catalogue's launch mass (when published), or (b) its maximum range with the
catalogue payload equals the catalogue's nominal range ("range-calibrated": useful for what-if questions about
the same motor, not as an independent range estimate). The result says which, with the catalogue's sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from equilibrium.catalog import catalog
from equilibrium.errors import InvalidInput
from equilibrium.trajectory.design import calibrate_isp, size
from equilibrium.trajectory.templates import Template, get_template
from equilibrium.trajectory.vehicle import Vehicle

_BALLISTIC = {"CRBM", "SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "ASBM"}


@dataclass
class SystemVehicle:
    """A catalogue system's vehicle, the template and the calibration used."""

    system_id: str
    name: str
    vehicle: Vehicle
    template: Template
    calibration: str
    payload_interval_kg: tuple[float, float] | None
    launch_mass_interval_kg: tuple[float, float] | None
    sources: list[str]
    isp_factor: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (kg)."""
        return {"system": self.system_id, "name": self.name, "template": self.template.id,
                "calibration": self.calibration, "launch_mass_kg": self.vehicle.launch_mass_kg,
                "payload_kg": self.vehicle.payload_kg, "payload_interval_kg": self.payload_interval_kg,
                "launch_mass_interval_kg": self.launch_mass_interval_kg, "isp_factor": self.isp_factor,
                "sources": self.sources}


def template_for(propellant: str, stages: int | None, cls: str) -> str:
    """Template id for a system's propellant, stage count and class."""
    if propellant == "liquid":
        return "liquid-1stage" if (stages or (1 if cls in ("SRBM", "CRBM") else 2)) == 1 else "liquid-2stage"
    if propellant == "solid":
        n = stages or (3 if cls in ("ICBM", "SLBM") else 2)
        if n >= 3:
            return "solid-3stage"
        if n == 2:
            return "solid-2stage"
        raise InvalidInput("no single-stage solid template is available (no sourced stage data yet)")
    raise InvalidInput(f"no trajectory template for {propellant} propulsion; the engine models ballistic missiles")


def system_vehicle(name: str, template: str | None = None, calibrate_range: bool = False) -> SystemVehicle:
    """The vehicle of catalogue system ``name`` (fuzzy names as in ``catalog show``).

    With ``calibrate_range`` and a published launch mass, the template scaled to that mass also has its specific
    impulse factored (all stages alike) so that its maximum range equals the catalogue's nominal range: the
    published pair (mass, range) then fixes the motor's overall efficiency, which the template alone cannot.
    """
    cat = catalog()
    s = cat.find(name)
    if s.cls not in _BALLISTIC:
        raise InvalidInput(f"{s.name} is a {s.cls} (not ballistic): the trajectory engine models ballistic flight")
    t = get_template(template or template_for(s.propellant, s.stages, s.cls))
    payload = s.payload.nominal if s.payload else t.payload.nominal
    isp_f = 1.0
    pl_int = (s.payload.low, s.payload.high) if s.payload else None
    lm_int = (s.launch_mass.low, s.launch_mass.high) if s.launch_mass else None
    base = t.vehicle(payload_kg=payload)
    stage_mass = sum(st.wet_mass_kg for st in base.stages) + (base.shroud.mass_kg if base.shroud else 0.0)
    if s.launch_mass:
        factor = (s.launch_mass.nominal - payload) / stage_mass
        if factor <= 0:
            raise InvalidInput(f"{s.name}: catalogue payload exceeds its launch mass")
        vehicle = base.scaled(factor)
        calibration = (f"{t.id} template scaled to the catalogue launch mass {s.launch_mass.nominal:,.0f} kg "
                       f"with a {payload:,.0f} kg payload")
        if calibrate_range:
            vehicle, isp_f = calibrate_isp(vehicle, s.range.nominal)
            if not 0.4 <= isp_f <= 1.3:
                calibration += " (a large correction: the template is a poor match for this system)"
            calibration += (f", specific impulse ×{isp_f:.3f} so that its maximum range is the catalogue's nominal "
                            f"{s.range.nominal:,.0f} km (mass- and range-calibrated)")
    else:
        sz = size(t, s.range.nominal, payload)
        vehicle = sz.vehicle
        calibration = (f"{t.id} template scaled so that its maximum range with {payload:,.0f} kg is the catalogue's "
                       f"nominal {s.range.nominal:,.0f} km (no launch mass published): range-calibrated")
    vehicle = vehicle.model_copy(update={"name": s.name})
    return SystemVehicle(system_id=s.id, name=s.name, vehicle=vehicle, template=t, calibration=calibration,
                         payload_interval_kg=pl_int, launch_mass_interval_kg=lm_int,
                         sources=list(dict.fromkeys(s.source_ids() + t.source_ids())), isp_factor=isp_f)
