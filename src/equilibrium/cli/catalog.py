"""``equilibrium catalog list|show``: the sourced missile catalogue."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from equilibrium.catalog import MissileSystem, catalog
from equilibrium.cli.common import console, fmt_interval, handle_errors, print_json
from equilibrium.provenance import CitedValue

app = typer.Typer(help="The sourced missile catalogue.", no_args_is_help=True)


def system_dict(s: MissileSystem, full: bool = False) -> dict[str, object]:
    """JSON-ready view of a system: ``range_km`` as an interval with per-source values."""
    out: dict[str, object] = {
        "id": s.id,
        "name": s.name,
        "aliases": s.aliases,
        "country": s.country,
        "class": s.cls,
        "propellant": s.propellant,
        "stages": s.stages,
        "status": s.status,
        "range_km": catalog().range_summary(s),
    }
    if full:
        for field, unit in (("length", "m"), ("diameter", "m"), ("launch_mass", "kg"), ("payload", "kg")):
            v: CitedValue | None = getattr(s, field)
            out[f"{field}_{unit}"] = v.summary() if v is not None else None
        out["first_test"] = s.first_test.model_dump(exclude_none=True) if s.first_test else None
        out["warhead"] = s.warhead
        out["variant_of"] = s.variant_of
        out["reference"] = s.reference
        out["note"] = s.note
        out["sources"] = catalog().bibliography.cite(s.source_ids())
    return out


@app.command("list")
@handle_errors
def list_(
    country: str | None = typer.Option(None, "--country", help="ISO3 code, e.g. PAK."),
    cls: str | None = typer.Option(None, "--class", help="Class, e.g. IRBM, SRBM, GLCM."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List systems, optionally for one country and class, with range intervals (km)."""
    systems = catalog().select(country=country, cls=cls)
    if as_json:
        print_json({"count": len(systems), "systems": [system_dict(s) for s in systems]})
        return
    table = Table(title=f"Missile catalogue ({len(systems)} systems)", show_lines=False)
    for col in ("System", "Country", "Class", "Propellant", "Range", "Sources", "Status"):
        table.add_column(col)
    for s in systems:
        r = s.range
        mark = " [yellow](unverified)[/]" if r.all_unverified else (" [yellow]*[/]" if r.any_unverified else "")
        table.add_row(s.name, s.country, s.cls, s.propellant, fmt_interval(r.low, r.high) + mark,
                      str(len(r.source_ids())), s.status)
    console.print(table)
    console.print("[dim]* some range figures unverified against their primary source[/]")


@app.command("show")
@handle_errors
def show(
    name: str = typer.Argument(..., help="Name, alias or Hatf number, e.g. 'Shaheen 3' or 'Hatf-VI'."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Show one system with every figure and its sources."""
    s = catalog().find(name)
    data = system_dict(s, full=True)
    if as_json:
        print_json(data)
        return
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
