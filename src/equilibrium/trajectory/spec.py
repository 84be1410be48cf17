"""Case files in the validation interchange format (``shared/validation/README.md``).

A file holds ``cases:``; each case has an ``id``, a ``kind`` (``motor``: a vehicle with stage data, or ``loft``:
an observed lofted flight and a template), an optional ``launch`` (lat_deg, lon_deg, azimuth_deg), an optional
``earth`` (``rotating``, the format's default, or ``non_rotating`` when the source's figure means that) and an
``expect`` block (quantity, value ± tolerance_pct or min/max). Errors name the file, line and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from equilibrium.errors import DataError, NotFound
from equilibrium.provenance.yamlio import load_yaml, validate_items
from equilibrium.trajectory.engine import Launch
from equilibrium.trajectory.vehicle import Vehicle


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LaunchSpec(_M):
    """Launch point (deg) and azimuth (deg clockwise from north)."""

    lat_deg: float = Field(default=0.0, ge=-90, le=90)
    lon_deg: float = Field(default=0.0, ge=-180, le=360)
    azimuth_deg: float = Field(default=90.0, ge=-360, le=360)

    def launch(self) -> Launch:
        """The engine's :class:`~equilibrium.trajectory.engine.Launch` (azimuth normalised into [0°, 360°))."""
        return Launch.toward(self.lat_deg, self.lon_deg, self.azimuth_deg)


class Observed(_M):
    """A lofted flight: apogee (km), ground range (km), flight time (s)."""

    apogee_km: float = Field(gt=0)
    ground_range_km: float = Field(gt=0)
    flight_time_s: float | None = Field(default=None, gt=0)


class Expect(_M):
    """The expected result: ``quantity`` and ``value`` ± ``tolerance_pct`` (%) or ``min``/``max``."""

    quantity: Literal["max_range_km", "standard_range_km", "range_km", "apogee_km", "flight_time_s"]
    value: float | None = None
    tolerance_pct: float | None = Field(default=None, ge=0)
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Expect:
        if self.value is None and (self.min is None or self.max is None):
            raise ValueError("give value (with tolerance_pct) or min and max")
        return self

    def interval(self) -> tuple[float, float]:
        """Accepted interval (units of the quantity)."""
        if self.value is not None:
            tol = abs(self.value) * (self.tolerance_pct or 0.0) / 100
            return self.value - tol, self.value + tol
        return float(self.min), float(self.max)  # type: ignore[arg-type]


class Case(_M):
    """One case: a ``motor`` case has a ``vehicle``; a ``loft`` case an ``observed`` flight and a ``template``."""

    id: str
    name: str | None = None
    kind: Literal["motor", "loft"]
    vehicle: Vehicle | None = None
    launch: LaunchSpec | None = None
    earth: Literal["rotating", "non_rotating"] = Field(
        default="rotating", description="the Earth of the case's quantity: rotating (WGS-84, the default of the "
                                        "format) or non_rotating (most published maximum ranges)")
    observed: Observed | None = None
    template: str | None = None
    expect: Expect | None = None
    sources: list[str] = []
    notes: str | None = None

    @model_validator(mode="after")
    def _kind(self) -> Case:
        if self.kind == "motor" and self.vehicle is None:
            raise ValueError("a motor case needs a vehicle")
        if self.kind == "loft" and (self.observed is None or self.template is None):
            raise ValueError("a loft case needs observed and template")
        return self


def load_cases(path: Path | str) -> dict[str, Case]:
    """Every case of a spec file by id; :class:`DataError` naming ``file:line`` and field on a bad one."""
    doc = load_yaml(path)
    data: Any = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise DataError("not a trajectory case file", [f"{doc.path}:1: expected a top-level 'cases:' list"])
    out: dict[str, Case] = {}
    errors: list[str] = []
    def label(raw: Any, i: int) -> str:
        return f"case {raw.get('id', f'#{i + 1}') if isinstance(raw, dict) else f'#{i + 1}'}: "

    for i, c in validate_items(doc, "cases", Case, errors, what="case", prefix=label):
        if c.id in out:
            errors.append(f"{doc.where(('cases', i, 'id'))}: duplicate case id {c.id!r}")
        out[c.id] = c
    if errors:
        raise DataError(f"invalid trajectory spec {doc.path}", errors)
    return out


def load_case(path: Path | str, case_id: str | None) -> Case:
    """Case ``case_id`` of ``path`` (the only case when ``case_id`` is None and the file holds one)."""
    cases = load_cases(path)
    if case_id is None:
        if len(cases) == 1:
            return next(iter(cases.values()))
        raise NotFound("case", "(none given)", list(cases)[:5])
    if case_id not in cases:
        from rapidfuzz import process

        near = [m for m, _, _ in process.extract(case_id, list(cases), limit=3)]
        raise NotFound("case", case_id, near)
    return cases[case_id]
