"""``equilibrium data check``."""

from __future__ import annotations

import time
from typing import Any

import typer
from rich.table import Table

from equilibrium.cli.common import console, handle_errors, print_json
from equilibrium.datacheck import check_all
from equilibrium.geo.cities import city_table
from equilibrium.geo.countries import _us_states, country_features

app = typer.Typer(help="Validate and inspect the sourced data files.", no_args_is_help=True)


@app.command("check")
@handle_errors
def check(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """Validate every data file; fail on any schema error, unknown unit or unresolved source id."""
    report = check_all(question_layer_checks())
    if as_json:
        print_json(report.to_dict())
        return
    table = Table(title="equilibrium data check: OK")
    table.add_column("What")
    table.add_column("Count", justify="right")
    for k, v in report.counts.items():
        table.add_row(k.replace("_", " "), f"{v:,}")
    console.print(table)
    for w in report.warnings:
        console.print(f"[yellow]warning:[/] {w}")


def question_layer_checks() -> list[Any]:
    """The data files of the question layer, checked with the rest: the claims (every question, parameter and rule
    of each claim), the events and population tables (source ids resolve)."""
    from equilibrium.questions.claims import load_claims
    from equilibrium.questions.events import load_events, load_population

    def claims(bib: Any) -> tuple[str, int, set[str]]:
        cs = load_claims()
        ids = {c.source for c in cs.commentaries if getattr(c, "source", None)}
        return "claims", len(cs.claims), {str(i) for i in ids}

    def events(bib: Any) -> tuple[str, int, set[str]]:
        ev = load_events()
        return "events", len(ev), {str(s) for e in ev for s in e.sources}

    def population(bib: Any) -> tuple[str, int, set[str]]:
        tables = load_population()
        return "population tables", len(tables), {str(s) for t in tables for s in t.sources}

    return [claims, events, population]


@app.command("warm")
@handle_errors
def warm() -> None:
    """Fill the disk cache (EQUILIBRIUM_CACHE_DIR): parse every data file and decode the boundaries once, so
    later commands start fast. `make setup` runs it; safe to run again."""
    t = time.perf_counter()
    with console.status("Parsing the data files and decoding the boundaries…"):
        check_all()
        for resolution in ("10m", "50m"):
            country_features(resolution)
        _us_states()
        city_table().by_name  # noqa: B018 - builds (and caches) the city name index
    console.print(f"Disk cache filled in {time.perf_counter() - t:.1f} s")
