"""Published findings on whether sanctions work, as data (``data/evidence/findings.yml``).

Each :class:`Finding` records one headline result from the literature (Hufbauer-Schott-Elliott's 40 of 115,
Pape's re-coding, TIES, GSDB, the UN Targeted Sanctions Consortium, ...): the finding in our own words, the
published numbers (:class:`FindingValue`, shares as fractions 0-1 with numerator/denominator where given), the
exact definition of success the authors used, the sample, the sources (with page or table where known), whether we
could verify it, and which of our computed base rates it should be read beside (:class:`Comparison`) and why the
two differ. The table is shown next to our own estimates so that users can see why estimates differ.

The file is validated with :func:`equilibrium.provenance.yamlio.validate_items`; every problem is reported as
``file:line: field: message`` in a :class:`~equilibrium.errors.DataError`. Every source id must resolve in the
bibliography. A share that comes with a numerator and denominator must agree with them to the share's stated
precision, rounded or truncated: HSE's 40 of 115 = 0.348 is published as '34 percent' (truncated), Pape's 5 of 115
= 0.0435 as 0.043 (rounded); see :meth:`FindingValue.consistent`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from equilibrium.errors import DataError
from equilibrium.evidence.rates import definition
from equilibrium.provenance import Bibliography, data_path, load_bibliography
from equilibrium.provenance.yamlio import load_yaml, validate_items

ValueUnit = Literal["share", "count", "index"]
"""``share``: a fraction 0-1; ``count``: a number of cases (or goals); ``index``: a score on the authors' own
scale (named in the value's ``note``)."""

FindingKind = Literal["base_rate", "trend", "recoding", "effect", "method"]
"""``base_rate``: a success share; ``trend``: change over time; ``recoding``: a re-classification of someone else's
cases; ``effect``: a conditional finding (threats vs impositions, multilateral vs unilateral, sanctions busters);
``method``: a finding about the data or its coding."""

Dataset = Literal["ties", "gsdb", "eusanct", "china_ties"]
"""The shared data sets our evidence estimators compute base rates from."""

_ID = r"^[a-z0-9][a-z0-9._-]*$"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingValue(_M):
    """One published number: a point ``value`` or an interval ``min``/``max`` in ``unit``; for shares and counts
    the ``numerator``/``denominator`` the authors give, and ``stated`` (how the source words it, briefly)."""

    label: str
    unit: ValueUnit
    value: float | None = None
    min: float | None = None
    max: float | None = None
    numerator: int | None = Field(default=None, ge=0)
    denominator: int | None = Field(default=None, gt=0)
    stated: str | None = Field(default=None, max_length=80)
    sources: list[str] = Field(min_length=1)
    unverified: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> FindingValue:
        numbers = [x for x in (self.value, self.min, self.max) if x is not None]
        if not numbers:
            raise ValueError("a value needs 'value' or 'min'/'max'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        if self.unit == "share" and any(not 0.0 <= x <= 1.0 for x in numbers):
            raise ValueError(f"a share is a fraction 0-1, got {numbers}")
        if self.unit == "count" and any(x != int(x) or x < 0 for x in numbers):
            raise ValueError(f"a count is a whole number >= 0, got {numbers}")
        if self.numerator is not None and self.unit != "share":
            raise ValueError("'numerator' belongs to a share; a count is its own numerator")
        if self.numerator is not None and self.denominator is None:
            raise ValueError("'numerator' needs 'denominator'")
        if self.denominator is not None:
            top = self.numerator if self.unit == "share" else self.value
            if top is not None and top > self.denominator:
                raise ValueError(f"{top:g} is more than the denominator {self.denominator}")
        if not self.consistent():
            raise ValueError(f"share {self.value} disagrees with {self.numerator}/{self.denominator} = "
                             f"{self.counts_share:.4f}: neither rounds nor truncates to it at {self.stated_unit():g}")
        return self

    @property
    def counts_share(self) -> float | None:
        """The share implied by the counts (numerator/denominator, or a count over its denominator), else None."""
        if self.denominator is None:
            return None
        top = self.numerator if self.unit == "share" else self.value
        return None if top is None else top / self.denominator

    def stated_unit(self) -> float:
        """One unit of the last digit of :attr:`value` as written (0.34 → 0.01, 0.043 → 0.001); 0 without a value."""
        if self.value is None:
            return 0.0
        exponent = Decimal(repr(self.value)).normalize().as_tuple().exponent
        return float(10.0 ** int(exponent))

    def consistent(self) -> bool:
        """True unless a share ``value`` and its numerator/denominator disagree at the share's stated precision.

        The implied share may be rounded (within half a unit of the last digit) or truncated (at most one unit
        above) to the stated value: 40/115 = 0.3478 fits 0.34 (truncated) and 0.35 (rounded), not 0.33.
        """
        if self.unit != "share" or self.value is None or self.numerator is None or self.denominator is None:
            return True
        implied, unit, eps = self.numerator / self.denominator, self.stated_unit(), 1e-12
        rounded = abs(implied - self.value) <= unit / 2 + eps
        truncated = -eps <= implied - self.value < unit - eps
        return rounded or truncated

    def to_dict(self, *, unverified: bool = False) -> dict[str, Any]:
        """JSON-ready view; ``unverified`` is this value's flag or the finding's (``unverified`` argument)."""
        out = self.model_dump(exclude_none=True)
        out["unverified"] = self.unverified or unverified
        if self.counts_share is not None:
            out["counts_share"] = self.counts_share
        return out


class SourceRef(_M):
    """A bibliography id with where in the source the finding is (page, table, section) when known."""

    id: str = Field(pattern=_ID)
    locator: str | None = None


class Sample(_M):
    """What the finding was computed on: data set, number of cases (when given), period, note."""

    dataset: str
    cases: int | None = Field(default=None, ge=1)
    period: str | None = None
    note: str | None = None


class Verification(_M):
    """``verified`` (read in a ``primary`` source or a reliable ``secondary`` one) or ``unverified``; ``checked``
    says what was read, or why the figure could not be confirmed."""

    status: Literal["verified", "unverified"]
    basis: Literal["primary", "secondary", "none"]
    checked: str


class Comparison(_M):
    """Which of our computed base rates to show beside the finding, and why the two differ: ``measure`` is a share
    that :func:`equilibrium.evidence.rates.base_rates` reports for ``dataset`` under its default definition, split
    ``by`` a field and restricted to a ``sender`` when given."""

    dataset: Dataset
    measure: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    by: Literal["objective", "issue", "decade", "sender", "multilateral"] | None = None
    sender: str | None = None
    why_differs: str

    @model_validator(mode="after")
    def _known_measure(self) -> Comparison:
        names = list(definition(self.dataset.replace("_", "-")).to_dict()["rates"])
        if self.measure not in names:
            raise ValueError(f"measure {self.measure!r} is not a share computed for {self.dataset} "
                             f"(one of: {', '.join(names)})")
        return self

    def base_rate_options(self) -> dict[str, str]:
        """Keyword arguments of ``base_rates`` that select this comparison's subset (``by``, ``sender``)."""
        return {k: v for k, v in (("by", self.by), ("sender", self.sender)) if v}

    def subset_text(self) -> str:
        """Plain words on the subset ('' for all episodes), e.g. 'episodes with UN as a sender, by decade'."""
        parts = [f"episodes with {self.sender} as a sender"] if self.sender else []
        if self.by:
            parts.append({"decade": "by decade of the start", "issue": "by primary issue",
                          "objective": "by objective", "multilateral": "unilateral vs multilateral",
                          "sender": "by sender"}[self.by])
        return ", ".join(parts)


class Finding(_M):
    """One published finding (see module docstring)."""

    id: str = Field(pattern=_ID)
    title: str
    kind: FindingKind
    finding: str
    values: list[FindingValue] = Field(default_factory=list)
    definition: str
    unit_of_analysis: str
    sample: Sample
    sources: list[SourceRef] = Field(min_length=1)
    verification: Verification
    compare_with: list[Comparison] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Finding:
        ids = [s.id for s in self.sources]
        if len(set(ids)) != len(ids):
            raise ValueError(f"a source is listed twice: {sorted({i for i in ids if ids.count(i) > 1})}")
        for v in self.values:
            missing = [s for s in v.sources if s not in ids]
            if missing:
                raise ValueError(f"value {v.label!r} cites {missing}, which are not in the finding's sources")
        if self.verification.status == "unverified":
            loose = [v.label for v in self.values if not v.unverified]
            if loose:
                raise ValueError(f"an unverified finding's values must say 'unverified: true' ({loose})")
        return self

    @property
    def unverified(self) -> bool:
        """True when the finding could not be confirmed (its values are then all unverified)."""
        return self.verification.status == "unverified"

    @property
    def partly_unverified(self) -> bool:
        """True when the finding is verified but some of its values are not."""
        return not self.unverified and any(v.unverified for v in self.values)

    def source_ids(self) -> list[str]:
        """Every source id cited, in order of first appearance."""
        seen = dict.fromkeys(s.id for s in self.sources)
        for v in self.values:
            seen.update(dict.fromkeys(v.sources))
        return list(seen)

    def to_dict(self, bib: Bibliography | None = None) -> dict[str, Any]:
        """JSON-ready view (shares as fractions 0-1); with ``bib`` each source comes with its title, publisher,
        date, url and kind."""
        out: dict[str, Any] = {
            "id": self.id, "title": self.title, "kind": self.kind, "finding": self.finding,
            "values": [v.to_dict(unverified=self.unverified) for v in self.values],
            "definition": self.definition, "unit_of_analysis": self.unit_of_analysis,
            "sample": self.sample.model_dump(exclude_none=True),
            "sources": [s.model_dump(exclude_none=True) for s in self.sources],
            "verification": self.verification.model_dump(),
            "unverified": self.unverified, "partly_unverified": self.partly_unverified,
            "compare_with": [c.model_dump() for c in self.compare_with],
        }
        if self.note:
            out["note"] = self.note
        if bib is not None:
            out["references"] = [_reference(bib, s) for s in self.sources]
        return out


def _reference(bib: Bibliography, ref: SourceRef) -> dict[str, Any]:
    src = bib.sources.get(ref.id)
    out: dict[str, Any] = {"id": ref.id}
    if ref.locator:
        out["locator"] = ref.locator
    if src is not None:
        out.update(src.model_dump(exclude_none=True, include={"title", "author", "publisher", "date", "url", "kind"}))
    return out


def findings_file() -> Path:
    """The shipped table, ``equilibrium/data/evidence/findings.yml``."""
    return data_path("evidence", "findings.yml")


def load_findings(path: Path | str | None = None, bib: Bibliography | None = None) -> list[Finding]:
    """Validate and load a findings table (default: the shipped one).

    Raises :class:`DataError` listing ``file:line: field: message`` for every schema error, duplicate id and
    unresolved source id.
    """
    path = Path(path) if path is not None else findings_file()
    bib = bib if bib is not None else load_bibliography()
    doc = load_yaml(path)
    errors: list[str] = []

    def label(raw: Any, i: int) -> str:
        return f"finding {raw['id']}: " if isinstance(raw, dict) and isinstance(raw.get("id"), str) else ""

    items = validate_items(doc, "findings", Finding, errors, what="finding", prefix=label)
    seen: dict[str, str] = {}
    for i, f in items:
        loc: tuple[Any, ...] = ("findings", i)
        if f.id in seen:
            errors.append(f"{doc.where(loc + ('id',))}: duplicate finding id {f.id!r} (first at {seen[f.id]})")
        seen.setdefault(f.id, doc.where(loc + ("id",)))
        refs = [(s.id, loc + ("sources", k, "id")) for k, s in enumerate(f.sources)]
        refs += [(s, loc + ("values", j, "sources", k))
                 for j, v in enumerate(f.values) for k, s in enumerate(v.sources)]
        for sid, where in refs:
            if sid not in bib:
                errors.append(f"{doc.where(where)}: finding {f.id}: unresolved source id {sid!r}")
    if errors:
        raise DataError("invalid findings table", errors)
    return [f for _, f in items]


@cache
def _shipped() -> tuple[Finding, ...]:
    return tuple(load_findings())


def findings() -> list[Finding]:
    """The shipped findings table (loaded once)."""
    return list(_shipped())


def to_dict(items: Iterable[Finding] | None = None, bib: Bibliography | None = None) -> dict[str, Any]:
    """JSON-ready table: ``{"findings": [...], "count": n, "unverified": m}`` (default: the shipped table)."""
    rows = list(items) if items is not None else findings()
    return {"findings": [f.to_dict(bib) for f in rows], "count": len(rows),
            "unverified": sum(1 for f in rows if f.unverified)}
