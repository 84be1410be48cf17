"""The missile catalogue's data model. Numbers are :class:`~equilibrium.provenance.CitedValue` objects."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from equilibrium.provenance.models import CitedValue

MissileClass = Literal["CRBM", "SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "GLCM", "ALCM", "SLCM", "ASBM", "SLV"]
"""Vehicle classes. Ballistic by range: CRBM < 300 km ≤ SRBM < 1,000 km ≤ MRBM < 3,000 km ≤ IRBM < 5,500 km ≤ ICBM;
SLBM submarine-launched ballistic; GLCM/ALCM/SLCM ground-/air-/sea-launched cruise missiles."""

Propellant = Literal["solid", "liquid", "air-breathing", "mixed", "unknown"]
Status = Literal["in service", "in development", "tested", "retired", "unknown"]


class DatedFact(BaseModel):
    """A date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) with its sources."""

    model_config = ConfigDict(extra="forbid")

    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    sources: list[str] = Field(min_length=1)
    note: str | None = None
    unverified: bool = False


class MissileSystem(BaseModel):
    """One missile system. Lengths/diameters in m, masses in kg, range in km (see each value's ``unit``)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str = Field(pattern=r"^[A-Z]{3}$")
    cls: MissileClass = Field(alias="class")
    propellant: Propellant
    stages: int | None = Field(default=None, ge=1, le=5)
    length: CitedValue | None = None
    diameter: CitedValue | None = None
    launch_mass: CitedValue | None = None
    payload: CitedValue | None = None
    range: CitedValue
    status: Status
    first_test: DatedFact | None = None
    warhead: Literal["nuclear", "conventional", "dual-capable", "unknown"] | None = None
    variant_of: str | None = None
    reference: bool = Field(default=False, description="A reference system used by the trajectory validation.")
    sources: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("range")
    @classmethod
    def _range_km(cls, v: CitedValue) -> CitedValue:
        if v.unit != "km":
            raise ValueError(f"range must be in km, not {v.unit!r}")
        if v.low < 0:
            raise ValueError("range cannot be negative")
        return v

    def cited_values(self) -> dict[str, CitedValue]:
        """The system's cited values by field name."""
        out: dict[str, CitedValue] = {}
        for name in ("length", "diameter", "launch_mass", "payload", "range"):
            v = getattr(self, name)
            if v is not None:
                out[name] = v
        return out

    def source_ids(self) -> list[str]:
        """Every source id the system cites."""
        ids: dict[str, None] = dict.fromkeys(self.sources)
        for v in self.cited_values().values():
            ids.update(dict.fromkeys(v.source_ids()))
        if self.first_test:
            ids.update(dict.fromkeys(self.first_test.sources))
        return list(ids)
