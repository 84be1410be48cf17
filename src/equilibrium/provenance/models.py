"""Provenance models: bibliography entries and cited values.

A *cited value* is a number with a unit and the source ids that support it. Where sources disagree, a cited
value keeps each source's figure in ``values`` and exposes the interval ``[low, high]`` over all of them.
A figure whose primary source has not been read is ``unverified: true`` and is shown that way.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SourceKind = Literal["official", "analyst", "press", "dataset", "academic", "software", "reference"]

Attribution = Literal["official", "analyst", "press", "other"]
"""Who states a figure: ``official`` (a government or military statement, e.g. ISPR, DRDO, MoD, even when it
reaches us through a press report), ``analyst`` (CSIS, FAS/Bulletin, IISS, academic), ``press`` (a journalist's
own or unattributed figure), ``other`` (e.g. a foreign state's media claim)."""

UNITS: dict[str, str] = {
    "km": "kilometre",
    "m": "metre",
    "kg": "kilogram",
    "s": "second",
    "deg": "degree (angle, latitude or longitude)",
    "kN": "kilonewton",
    "count": "dimensionless count",
    "ratio": "dimensionless ratio (a fraction 0–1 or a relative half-width)",
    "m2": "square metre",
    "kg/m2": "kilogram per square metre (ballistic coefficient)",
    "kg/m3": "kilogram per cubic metre (density)",
}
"""Units allowed in data files, with their meaning. Anything else fails ``equilibrium data check``."""


class Source(BaseModel):
    """One bibliography entry. ``date`` is the publication date (ISO, year or year-month allowed)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    publisher: str
    author: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    url: str | None = None
    kind: SourceKind
    accessed: str | None = None
    note: str | None = None


class Figure(BaseModel):
    """One source's figure: a point ``value`` or an interval ``min``/``max`` (units of the parent)."""

    model_config = ConfigDict(extra="forbid")

    value: float | None = None
    min: float | None = None
    max: float | None = None
    sources: list[str] = Field(min_length=1)
    note: str | None = None
    quote: str | None = Field(default=None, max_length=300)
    unverified: bool = False
    date: str | None = None
    attribution: Attribution | None = None

    @model_validator(mode="after")
    def _check(self) -> Figure:
        if self.value is None and self.min is None and self.max is None:
            raise ValueError("a figure needs 'value' or 'min'/'max'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    @property
    def low(self) -> float:
        """Lower end of this figure (parent's unit)."""
        candidates = [x for x in (self.min, self.value, self.max) if x is not None]
        return min(candidates)

    @property
    def high(self) -> float:
        """Upper end of this figure (parent's unit)."""
        candidates = [x for x in (self.min, self.value, self.max) if x is not None]
        return max(candidates)


class CitedValue(BaseModel):
    """A number with unit and sources: ``{value | min/max, unit, sources, note, unverified}``.

    Either give one figure inline (``value`` or ``min``/``max`` with ``sources``), or several disagreeing
    figures in ``values`` (each with its own sources). :attr:`low`/:attr:`high` are the interval over all.
    """

    model_config = ConfigDict(extra="forbid")

    unit: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    sources: list[str] = Field(default_factory=list)
    values: list[Figure] = Field(default_factory=list)
    note: str | None = None
    quote: str | None = Field(default=None, max_length=300)
    unverified: bool = False

    @model_validator(mode="after")
    def _check(self) -> CitedValue:
        inline = self.value is not None or self.min is not None or self.max is not None
        if inline and not self.sources:
            raise ValueError("a cited value needs 'sources'")
        if not inline and not self.values:
            raise ValueError("a cited value needs 'value', 'min'/'max' or 'values'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    def figures(self) -> list[Figure]:
        """Every figure, the inline one first (as a :class:`Figure`)."""
        out: list[Figure] = []
        if self.value is not None or self.min is not None or self.max is not None:
            out.append(Figure(value=self.value, min=self.min, max=self.max, sources=self.sources,
                              note=self.note, unverified=self.unverified))
        out.extend(self.values)
        return out

    @property
    def low(self) -> float:
        """Lowest figure over all sources (in :attr:`unit`)."""
        return min(f.low for f in self.figures())

    @property
    def high(self) -> float:
        """Highest figure over all sources (in :attr:`unit`)."""
        return max(f.high for f in self.figures())

    @property
    def nominal(self) -> float:
        """The inline ``value`` if given, else the median of point values, else the interval midpoint."""
        if self.value is not None:
            return self.value
        points = sorted(f.value for f in self.figures() if f.value is not None)
        if points:
            return points[len(points) // 2]
        return (self.low + self.high) / 2

    @property
    def all_unverified(self) -> bool:
        """True when no figure has been checked against its primary source."""
        return all(f.unverified for f in self.figures()) or self.unverified

    @property
    def any_unverified(self) -> bool:
        """True when at least one figure is unverified."""
        return self.unverified or any(f.unverified for f in self.figures())

    def source_ids(self) -> list[str]:
        """Every source id cited, in order of first appearance."""
        seen: dict[str, None] = {}
        for f in self.figures():
            for s in f.sources:
                seen.setdefault(s, None)
        return list(seen)

    def verified_interval(self) -> tuple[float, float] | None:
        """``(low, high)`` over the verified figures only (unit of the value); ``None`` if none is verified."""
        figs = [f for f in self.figures() if not (f.unverified or self.unverified)]
        if not figs:
            return None
        return min(f.low for f in figs), max(f.high for f in figs)

    def summary(self) -> dict[str, object]:
        """JSON-ready summary in :attr:`unit`: ``low``, ``high``, ``nominal``; ``unverified`` (every figure is
        unverified), ``partly_unverified`` (some are), ``verified_low``/``verified_high`` (interval over verified
        figures, or null), per-source ``values`` and ``sources``."""
        verified = self.verified_interval()
        return {
            "low": self.low,
            "high": self.high,
            "nominal": self.nominal,
            "unit": self.unit,
            "unverified": self.all_unverified,
            "partly_unverified": self.any_unverified and not self.all_unverified,
            "verified_low": verified[0] if verified else None,
            "verified_high": verified[1] if verified else None,
            "values": [f.model_dump(exclude_none=True) for f in self.figures()],
            "sources": self.source_ids(),
        }


def today() -> str:
    """Today's date as ISO text (used in brief footers)."""
    return dt.date.today().isoformat()
