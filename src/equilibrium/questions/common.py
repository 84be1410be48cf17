"""Answer parts shared by several questions: cited intervals, citations, data versions."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from equilibrium.provenance import CitedValue, Source, data_path
from equilibrium.provenance.models import Figure
from equilibrium.questions.base import Stated

__all__ = ["AzimuthProfile", "Citation", "CitedFigure", "CitedSummary", "Interval", "ReachCity", "citations",
           "cited_summary", "data_version", "stated_data"]


class Interval(BaseModel):
    """A closed interval ``[low, high]`` in the unit its key names."""

    model_config = ConfigDict(frozen=True)

    low: float
    high: float


class CitedFigure(Figure):
    """One source's figure (``value`` or ``min``/``max``) with who states it (``official``, ``analyst``,
    ``press``, ``other``)."""

    model_config = ConfigDict(extra="forbid")

    attribution: str | None = None  # type: ignore[assignment]


class CitedSummary(BaseModel):
    """A cited value summarised: the interval over every source (``low``–``high``, ``nominal``), whether it rests
    on unverified figures, the interval over verified figures only, each source's figure, the source ids and the
    interval per attribution (officials, analysts and the press apart)."""

    low: float
    high: float
    nominal: float
    unit: str
    unverified: bool = Field(description="Every figure is unverified against its primary source.")
    partly_unverified: bool = Field(description="Some, not all, figures are unverified.")
    verified_low: float | None = None
    verified_high: float | None = None
    values: list[CitedFigure]
    sources: list[str]
    by_attribution: dict[str, Interval] = Field(default_factory=dict)


def cited_summary(value: CitedValue, attribution: Any = None) -> CitedSummary:
    """:class:`CitedSummary` of ``value``; ``attribution`` (a :class:`~equilibrium.provenance.Bibliography`) adds
    who states each figure and the interval per attribution."""
    raw: dict[str, Any] = dict(value.summary())
    values = []
    by: dict[str, Interval] = {}
    for fig in value.figures():
        who = attribution.attribution(fig) if attribution is not None else fig.attribution
        values.append(CitedFigure(**{**fig.model_dump(exclude_none=True), "attribution": who}))
        if who is not None:
            cur = by.get(who)
            by[who] = Interval(low=min(cur.low, fig.low) if cur else fig.low,
                               high=max(cur.high, fig.high) if cur else fig.high)
    raw["values"] = values
    raw["by_attribution"] = by
    return CitedSummary(**raw)


class ReachCity(BaseModel):
    """A city of TO: population, distance from the launch point (km) and the physics range towards it (km)."""

    name: str
    population: int
    distance_km: float
    range_toward_km: float


class AzimuthProfile(BaseModel):
    """Maximum range (km) by launch azimuth (deg clockwise from north) from the launch latitude ``lat_deg``."""

    lat_deg: float
    azimuth_deg: list[float]
    range_km: list[float]
    min_km: float
    max_km: float


class Citation(Source):
    """A bibliography entry, as cited by an answer."""


def citations(bibliography: Any, source_ids: Any) -> list[Citation]:
    """The entries of ``source_ids`` (order kept, duplicates dropped) as :class:`Citation` s."""
    return [Citation(**bibliography.get(s).model_dump(exclude_none=True)) for s in dict.fromkeys(source_ids)]


def _files_digest(paths: list[Any]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths, key=str):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@cache
def data_version(name: str) -> str:
    """A short version of a shipped data set: ``catalogue`` (the missile files), ``bibliography``, ``sites``,
    ``record`` (the curated sanctions actions), ``codebooks`` (the evidence codebooks), ``dynamics`` (the dynamics
    data-set catalogue, findings and scenarios): its file count and the first
    12 hex digits of the SHA-256 over its files (cached per process)."""
    folders = {"catalogue": "missiles", "bibliography": "sources.yml", "sites": "sites",
               "record": "sanctions", "codebooks": "evidence", "dynamics": "dynamics"}
    if name not in folders:
        raise KeyError(name)
    base = data_path(folders[name])
    files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in
                                                 (".yml", ".yaml", ".csv", ".json"))
    return f"{len(files)} file{'s' if len(files) != 1 else ''}, sha256 {_files_digest(files)}"


def stated_data(*names: str) -> list[Stated]:
    """:class:`~equilibrium.questions.base.Stated` entries ``data:NAME`` for the shipped data sets ``names``."""
    return [Stated(name=f"data:{n}", value=data_version(n), source="data") for n in names]
