"""Drag-coefficient tables per vehicle class (``data/trajectory/drag.yml``): Cd against Mach with sources."""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from equilibrium.errors import DataError
from equilibrium.provenance import data_path
from equilibrium.provenance.yamlio import load_yaml, validate_items


class DragTable(BaseModel):
    """One table: ``cd_mach`` pairs (Mach –, Cd –) with increasing Mach, and its sources."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    sources: list[str] = Field(min_length=1)
    unverified: bool = False
    note: str | None = None
    cd_mach: list[tuple[float, float]] = Field(min_length=2)

    @field_validator("cd_mach")
    @classmethod
    def _increasing(cls, v: list[tuple[float, float]]) -> list[tuple[float, float]]:
        if any(b[0] <= a[0] for a, b in zip(v, v[1:], strict=False)):
            raise ValueError("Mach numbers must increase")
        if any(c < 0 for _, c in v):
            raise ValueError("Cd must be non-negative")
        return v

    @property
    def pairs(self) -> tuple[tuple[float, float], ...]:
        """The table as a tuple of (Mach, Cd)."""
        return tuple((float(m), float(c)) for m, c in self.cd_mach)


@lru_cache(maxsize=1)
def drag_tables() -> dict[str, DragTable]:
    """Every drag table by id; :class:`DataError` with ``file:line`` on a malformed file."""
    doc = load_yaml(data_path("trajectory", "drag.yml"))
    errors: list[str] = []
    out = {t.id: t for _, t in validate_items(doc, "tables", DragTable, errors)}
    if errors:
        raise DataError("invalid drag tables", errors)
    return out
