"""``equilibrium data check``."""

from __future__ import annotations

import time

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
    report = check_all()
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
