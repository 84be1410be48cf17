"""Stated modelling assumptions of the trajectory engine (``data/trajectory/assumptions.yml``), each a cited value.

- ``isp_ratio``: the ratio (–) of sea-level to vacuum specific impulse used when a stage gives only one of the two
  figures and no nozzle exit area. With it the engine fills the missing figure, so the thrust varies with
  altitude, F(h) = F_vac − p(h)·A_e; every answer that relies on it says so.
- ``reentry_beta``: the ballistic coefficient (kg/m², m/(Cd·A)) of a separated re-entry vehicle, used by default
  for multi-stage vehicles (the payload separates at the last burnout and re-enters alone).

Loaded once, on first use; :class:`~equilibrium.errors.DataError` with ``file:line`` on a malformed file.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, ValidationError

from equilibrium.errors import DataError
from equilibrium.provenance import CitedValue, data_path
from equilibrium.provenance.yamlio import load_yaml


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Expansion(_M):
    """Nozzle expansion assumption: ``isp_ratio_sea_level_to_vacuum`` (–, cited)."""

    isp_ratio_sea_level_to_vacuum: CitedValue


class Reentry(_M):
    """Separated re-entry vehicle: ``ballistic_coefficient`` (kg/m², cited)."""

    ballistic_coefficient: CitedValue


class Assumptions(_M):
    """The engine's stated assumptions (see the module docstring)."""

    expansion: Expansion
    reentry: Reentry | None = None

    @property
    def isp_ratio(self) -> float:
        """Default sea-level / vacuum specific-impulse ratio (–)."""
        return self.expansion.isp_ratio_sea_level_to_vacuum.nominal

    @property
    def reentry_beta_kg_m2(self) -> float | None:
        """Default ballistic coefficient (kg/m²) of a separated re-entry vehicle, or None when no source gives one."""
        return self.reentry.ballistic_coefficient.nominal if self.reentry else None


@lru_cache(maxsize=1)
def assumptions() -> Assumptions:
    """The assumptions file, validated; :class:`DataError` naming the file and field when malformed."""
    path = data_path("trajectory", "assumptions.yml")
    doc = load_yaml(path)
    try:
        return Assumptions.model_validate(doc.data)
    except ValidationError as exc:
        lines = [f"{doc.where(e['loc'])}: {'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise DataError("invalid trajectory assumptions", lines) from None
