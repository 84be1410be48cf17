"""``equilibrium brief``: the self-contained HTML brief."""

from __future__ import annotations

from pathlib import Path

import typer

from equilibrium.cli.common import check_output_path, console, handle_errors, writing
from equilibrium.report.brief import render_brief


@handle_errors
def brief(out: Path = typer.Option(Path("brief.html"), "-o", "--out", help="Output HTML file.")) -> None:
    """Write a self-contained HTML brief (figures embedded; every number cited)."""
    check_output_path(out, (".html", ".htm"))
    with console.status("Computing the sections and drawing the maps…"), writing(out):
        render_brief(out)
    console.print(f"Wrote {out}")
