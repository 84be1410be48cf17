"""``equilibrium catalog list|show``: the sourced missile catalogue."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from equilibrium.catalog import catalog
from equilibrium.cli.common import ask, console, fmt_interval, handle_errors
from equilibrium.questions.catalog import catalog_list, catalog_show

app = typer.Typer(help="The sourced missile catalogue.", no_args_is_help=True)


@app.command("list")
@handle_errors
def list_(
    country: str | None = typer.Option(None, "--country", help="ISO3 code, e.g. PAK."),
    cls: str | None = typer.Option(None, "--class", help="Class, e.g. IRBM, SRBM, GLCM."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List systems, optionally for one country and class, with range intervals (km)."""
    answer = ask(catalog_list, as_json, country=country, cls=cls)
    if answer is None:
        return
    table = Table(title=f"Missile catalogue ({answer.count} systems)", show_lines=False)
    for col in ("System", "Country", "Class", "Propellant", "Range", "Sources", "Status"):
        table.add_column(col)
    for s in answer.systems:
        r = s.range_km
        mark = " [yellow](unverified)[/]" if r.unverified else (" [yellow]*[/]" if r.partly_unverified else "")
        table.add_row(s.name, s.country, s.cls, s.propellant, fmt_interval(r.low, r.high) + mark,
                      str(len(r.sources)), s.status)
    console.print(table)
    console.print("[dim]* some range figures unverified against their primary source[/]")


@app.command("show")
@handle_errors
def show(
    name: str = typer.Argument(..., help="Name, alias or Hatf number, e.g. 'Shaheen 3' or 'Hatf-VI'."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Show one system with every figure and its sources."""
    answer = ask(catalog_show, as_json, name=name)
    if answer is None:
        return
    s = catalog().find(answer.id)
    bib = catalog().bibliography
    console.print(f"[bold]{s.name}[/] ({', '.join(s.aliases) or 'no aliases'}) — {s.country} {s.cls}, "
                  f"{s.propellant}, {s.stages or '?'} stage(s), {s.status}")
    table = Table(show_lines=True)
    for col in ("Quantity", "Figure", "Stated by", "Source", "Note"):
        table.add_column(col)
    for field, v in s.cited_values().items():
        for f in v.figures():
            fig = fmt_interval(f.low, f.high, v.unit) + (" [yellow](unverified)[/]" if f.unverified else "")
            srcs = [bib.get(sid) for sid in f.sources]
            cite = "; ".join(f"{x.publisher} ({x.date or 'n.d.'}) [{x.id}]" for x in srcs)
            table.add_row(field.replace("_", " "), fig, bib.attribution(f), escape(cite), escape(f.note or ""))
    console.print(table)
    if s.first_test:
        console.print(escape(f"First test: {s.first_test.date} [{', '.join(s.first_test.sources)}]"))
    if s.note:
        console.print(f"[dim]{escape(s.note)}[/]")
