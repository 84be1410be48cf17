"""``equilibrium regions [QUERY]``: list and search every region spec (countries, sub-regions, areas, sites,
cities), with fuzzy matching on names."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from equilibrium.cli.common import ask, console, handle_errors, print_stated
from equilibrium.questions.regions import regions_search


@handle_errors
def regions(
    query: str | None = typer.Argument(None, help="Name, ISO3 code or spec to search for (fuzzy), e.g. Karachi."),
    kind: str | None = typer.Option(None, "--kind", help="Only this kind: country, subregion, area, site, city."),
    limit: int | None = typer.Option(None, "--limit", help="At most this many matches (default 25)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List every region spec, or search them by name (countries, sub-regions, area:, site:, city:)."""
    answer = ask(regions_search, as_json, query=query, kind=kind, limit=limit)
    if answer is None:
        return
    title = f"Region specs matching {answer.query!r}" if answer.query else "Region specs"
    table = Table(title=f"{title} ({answer.count})")
    for col in ("Spec", "Name", "Kind", "Country", *(("Match",) if answer.query else ())):
        table.add_column(col)
    for r in answer.regions:
        kind_text = r.kind + (" [yellow](disputed)[/]" if r.disputed else "")
        score = (f"{r.score:.0f}",) if answer.query else ()
        table.add_row(escape(r.spec), escape(r.name), kind_text, r.iso3 or "—", *score)
    console.print(table)
    print_stated(answer, ["pov"])
