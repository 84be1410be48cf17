"""``equilibrium dynamics data|fit|backtest|alignment|run|sensitivity``: the South Asian strategic order as data,
estimated arms-race relationships, forecast backtests, UNGA alignment and scenario ensembles. Each command asks one
question of :mod:`equilibrium.questions.dynamics` and renders only its answer; ``--path`` points it at a data file
or folder instead of ``$EQUILIBRIUM_DATA_DIR``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from equilibrium.cli.common import ask, console, handle_errors, print_stated
from equilibrium.dynamics.data import data_path_override
from equilibrium.questions import dynamics as q

app = typer.Typer(help="Dynamics of the South Asian strategic order: data (SIPRI, COW, UNGA), arms-race fits, "
                       "backtests, alignment, scenario ensembles and sensitivity.", no_args_is_help=True)

PATH = typer.Option(None, "--path", help="A data file or the folder holding the data sets; default: "
                                         "$EQUILIBRIUM_DATA_DIR.")
JSON = typer.Option(False, "--json", help="Print one JSON object (the HTTP API's answer).")


@app.command("data")
@handle_errors
def data_cmd(dataset: str | None = typer.Option(None, "--dataset", help="One data set: sipri-milex, "
                                                "sipri-tiv-imports, sipri-tiv-exports, cow-nmc, voeten-idealpoints, "
                                                "unvotes."),
             path: Path | None = PATH, as_json: bool = JSON) -> None:
    """Which data sets are found: rows, years, problems; or who publishes them and how to obtain them."""
    with data_path_override(path), console.status("Reading the data sets…"):
        a = ask(q.dynamics_data, as_json, dataset=dataset)
    if a is None:
        return
    t = Table(title=f"Dynamics data: {a.found} found, {a.missing} missing")
    for col in ("Data set", "Found", "Rows", "Years", "Problems", "Publisher / file"):
        t.add_column(col)
    for d in a.datasets:
        yrs = f"{d.years[0]}–{d.years[1]}" if d.years else "—"
        t.add_row(d.dataset, "yes" if d.found else "[red]no[/]", f"{d.rows:,}" if d.rows is not None else "—", yrs,
                  str(d.problems) if d.problems is not None else "—", d.path if d.found else d.publisher)
    console.print(t)
    for d in a.datasets:
        if not d.found:
            console.print(f"[dim]{d.dataset}: {d.obtain}[/]")
    print_stated(a)
