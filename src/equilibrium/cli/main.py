"""The ``equilibrium`` command: one Typer app with a sub-app per domain."""

from __future__ import annotations

from pathlib import Path

import typer

from equilibrium import __version__
from equilibrium.cli import catalog as catalog_cli
from equilibrium.cli import data as data_cli
from equilibrium.cli import db as db_cli
from equilibrium.cli import evidence as evidence_cli
from equilibrium.cli import reach as reach_cli
from equilibrium.cli import regions as regions_cli
from equilibrium.cli import sanctions as sanctions_cli
from equilibrium.cli import trajectory as trajectory_cli
from equilibrium.cli.common import check_output_path, console, handle_errors, writing

app = typer.Typer(
    name="equilibrium",
    help="Equilibrium: check claims about strategic stability and sanctions against sourced data and physics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(catalog_cli.app, name="catalog")
app.add_typer(reach_cli.app, name="reach")
app.add_typer(trajectory_cli.app, name="trajectory")
app.add_typer(sanctions_cli.app, name="sanctions")
app.add_typer(data_cli.app, name="data")
app.add_typer(evidence_cli.app, name="evidence")
app.add_typer(db_cli.app, name="db")
app.command("regions")(regions_cli.regions)


def _version(value: bool) -> None:
    if value:
        console.print(f"equilibrium {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Equilibrium command line."""


@app.command("serve")
@handle_errors
def serve(
    host: str | None = typer.Option(None, help="Host (default: EQUILIBRIUM_HOST or 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default: EQUILIBRIUM_PORT or 8000)."),
) -> None:
    """Serve the web workbench and the HTTP API (OpenAPI at /docs)."""
    import uvicorn

    from equilibrium.settings import get_settings
    from equilibrium.web.app import create_app

    s = get_settings()
    h, p = host or s.host, port or s.port
    console.print(f"Equilibrium workbench on http://{h}:{p}/  (API docs: http://{h}:{p}/docs) — warming up first "
                  "(the opening map, the screening matcher, the physics workers), then serving")
    uvicorn.run(create_app(warm="before-ready"), host=h, port=p, log_level="info", timeout_graceful_shutdown=5)


@app.command("brief")
@handle_errors
def brief(out: Path = typer.Option(Path("brief.html"), "-o", "--out", help="Output HTML file.")) -> None:
    """Write a self-contained HTML brief (figures embedded; every number cited)."""
    check_output_path(out, (".html", ".htm"))
    from equilibrium.report.brief import render_brief

    with console.status("Computing the reach section and drawing maps…"), writing(out):
        render_brief(out)
    console.print(f"Wrote {out}")


def main() -> None:
    """Console-script entry point."""
    app()
