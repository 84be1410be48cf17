"""``equilibrium brief``: the self-contained HTML brief (the claims' bottom line first, then the sections)."""

from __future__ import annotations

from pathlib import Path

import typer

from equilibrium.cli.common import check_output_path, console, handle_errors, writing
from equilibrium.report.brief import render_brief, select_sections
from equilibrium.report.claims_section import resolve_claim_ids


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


@handle_errors
def brief(out: Path = typer.Option(Path("brief.html"), "-o", "--out", help="Output HTML file."),
          claims: str | None = typer.Option(None, "--claims", metavar="IDS",
                                            help="Comma-separated claim ids for the bottom line (default: every "
                                                 "claim; see `equilibrium claims list`)."),
          sections: str | None = typer.Option(None, "--sections", metavar="NAMES",
                                              help="Comma-separated sections to follow the bottom line, in order: "
                                                   "reach, trajectory, sanctions, evidence, dynamics (default: "
                                                   "all).")) -> None:
    """Write a self-contained HTML brief (figures embedded; every number cited), opening with the bottom line."""
    check_output_path(out, (".html", ".htm"))
    claim_ids, names = _split(claims), _split(sections)
    if names is not None:
        names = select_sections(names)  # unknown names fail here, before any work
    claim_ids = resolve_claim_ids(claim_ids)
    with console.status("Checking the claims, computing the sections and drawing the maps…"), writing(out):
        render_brief(out, claims=claim_ids, section_names=names)
    console.print(f"Wrote {out}")
