"""Catalogue questions: ``catalog.list`` (systems of a country and class) and ``catalog.show`` (one system, every
figure with its sources). Ranges in km, lengths in m, masses in kg."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from equilibrium.catalog import MissileSystem, catalog
from equilibrium.catalog.models import DatedFact
from equilibrium.questions.base import Answer, Example, Params, question
from equilibrium.questions.common import Citation, CitedSummary, citations, cited_summary, stated_data

__all__ = ["CatalogList", "CatalogListParams", "CatalogShow", "CatalogShowParams", "SystemDetail",
           "SystemSummary", "catalog_list", "catalog_show", "system_detail", "system_summary"]


class SystemSummary(BaseModel):
    """A catalogued system in brief: identity, class, propellant, stages, status and its range interval (km)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    name: str
    aliases: list[str]
    country: str = Field(description="ISO3 code of the country that operates or develops the system.")
    cls: str = Field(alias="class", description="Class: SRBM, MRBM, IRBM, ICBM, SLBM, GLCM, ...")
    propellant: str
    stages: int | None
    status: str
    range_km: CitedSummary = Field(description="Range (km) over every source, with each source's figure.")


class SystemDetail(SystemSummary):
    """Every figure of a system (each a cited interval in the unit its key names), its first test, warhead type
    and the full citations."""

    length_m: CitedSummary | None = None
    diameter_m: CitedSummary | None = None
    launch_mass_kg: CitedSummary | None = None
    payload_kg: CitedSummary | None = None
    first_test: DatedFact | None = None
    warhead: str | None = None
    variant_of: str | None = None
    reference: bool = False
    note: str | None = None
    sources: list[Citation]


def system_summary(s: MissileSystem) -> SystemSummary:
    """``s`` as a :class:`SystemSummary`."""
    bib = catalog().bibliography
    return SystemSummary(id=s.id, name=s.name, aliases=list(s.aliases), country=s.country, cls=s.cls,
                         propellant=s.propellant, stages=s.stages, status=s.status,
                         range_km=cited_summary(s.range, bib))


def system_detail(s: MissileSystem) -> SystemDetail:
    """``s`` as a :class:`SystemDetail` (every cited value and the citations)."""
    bib = catalog().bibliography
    extra = {f"{field}_{unit}": (cited_summary(v, bib) if (v := getattr(s, field)) is not None else None)
             for field, unit in (("length", "m"), ("diameter", "m"), ("launch_mass", "kg"), ("payload", "kg"))}
    return SystemDetail(**system_summary(s).model_dump(), **extra, first_test=s.first_test, warhead=s.warhead,
                        variant_of=s.variant_of, reference=s.reference, note=s.note,
                        sources=citations(bib, s.source_ids()))


# ------------------------------------------------------------------------------------------------ catalog.list

class CatalogListParams(Params):
    """Which systems: all, or those of one country and/or class."""

    country: str | None = Field(None, min_length=3, max_length=3, description="ISO3 code, e.g. PAK.",
                                examples=["PAK"])
    cls: str | None = Field(None, alias="class", min_length=2, max_length=8,
                            description="Class, e.g. IRBM, SRBM, GLCM.", examples=["IRBM"])

    @field_validator("country", "cls", mode="before")
    @classmethod
    def _upper(cls, v: object) -> object:
        return v.strip().upper() if isinstance(v, str) else v


class CatalogList(Answer):
    """The systems asked for, sorted by country then nominal range."""

    question: Literal["catalog.list"] = "catalog.list"
    count: int
    unverified_marker: str = Field("unverified", description="How a figure not yet checked against its primary "
                                                             "source is flagged (`unverified: true`).")
    systems: list[SystemSummary]


@question("catalog.list", params=CatalogListParams, answer=CatalogList, cli=("catalog", "list"),
          http=("GET", "/api/catalog/systems"), summary="Catalogued missile systems, with range intervals (km)",
          examples=[Example({"country": "PAK", "class": "MRBM"}, ["--country", "PAK", "--class", "MRBM"]),
                    Example({}, [])])
def catalog_list(p: CatalogListParams) -> CatalogList:
    """Systems of ``p.country`` and class ``p.cls`` (both optional), sorted by country then nominal range (km);
    unknown codes raise :class:`~equilibrium.errors.NotFound` with close matches."""
    systems = catalog().select(country=p.country, cls=p.cls)
    return CatalogList(count=len(systems), systems=[system_summary(s) for s in systems],
                       defaults=stated_data("catalogue", "bibliography"))


# ------------------------------------------------------------------------------------------------ catalog.show

class CatalogShowParams(Params):
    """One system by name, id, alias or Hatf number (case, spacing and roman numerals ignored)."""

    name: str = Field(min_length=1, max_length=200, description="Name, id or alias, e.g. 'Shaheen 3' or 'Hatf-VI'.",
                      examples=["Shaheen-III"])


class CatalogShow(Answer, SystemDetail):
    """One system: every figure with its sources."""

    question: Literal["catalog.show"] = "catalog.show"


@question("catalog.show", params=CatalogShowParams, answer=CatalogShow, cli=("catalog", "show"),
          http=("GET", "/api/catalog/systems/{name}"), summary="One missile system by name, id or alias",
          examples=[Example({"name": "Shaheen-III"}, ["Shaheen-III"]), Example({"name": "hatf 6"}, ["hatf 6"])])
def catalog_show(p: CatalogShowParams) -> CatalogShow:
    """The system called ``p.name``; :class:`~equilibrium.errors.NotFound` with suggestions otherwise."""
    s = catalog().find(p.name.strip())
    return CatalogShow(**system_detail(s).model_dump(), defaults=stated_data("catalogue", "bibliography"))
