"""``equilibrium reach distance|coverage|systems|ring|map``: geodesic reach between real regions."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from equilibrium.catalog import catalog
from equilibrium.cli.common import (
    ask,
    check_output_path,
    check_range_km,
    console,
    fmt_interval,
    fmt_km,
    handle_errors,
    print_stated,
    writing,
)
from equilibrium.questions.reach import reach_coverage, reach_distance, reach_ring, reach_systems
from equilibrium.report.figures import reach_map

app = typer.Typer(
    help="Geodesic reach between regions (ISO3, USA:conus, IND:andaman-nicobar, site:NAME, 'city:Name, CC', lat,lon).",
    no_args_is_help=True,
)

FROM_HELP = "Launch region: ISO3 (PAK), sub-region (USA:conus), site:NAME, 'city:Name, CC' or 'lat,lon'."
TO_HELP = "Target region, same forms as FROM."


def _boundary_line(answer: Any) -> str:
    b = answer.boundary
    pov = f"; point of view: {b.pov}" if b.pov else ""
    scale = f" (1:{b.resolution})" if b.resolution else ""
    return f"[dim]Boundaries: {b.dataset}{scale}{pov}[/]"


def _pt(p: list[float]) -> str:
    return f"{p[0]:.2f}°, {p[1]:.2f}°" if len(p) == 2 else "—"


@app.command("distance")
@handle_errors
def distance(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    to: str = typer.Argument(..., metavar="TO", help=TO_HELP),
    system: str | None = typer.Option(None, "--system", help="Also answer with this system's physics: range "
                                                             "towards TO on a rotating Earth."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Nearest, full-coverage and single-site distances (km) from FROM to TO, with the points realising them."""
    with console.status("Flying the vehicle in every direction…") if system else contextlib.nullcontext():
        answer = ask(reach_distance, as_json, frm=frm, to=to, system=system)
    if answer is None:
        return
    table = Table(title=f"{answer.frm.name} → {answer.to.name}")
    for col in ("Quantity", "Distance", "From (lat, lon)", "To (lat, lon)"):
        table.add_column(col)
    for label, km, pts in (("nearest", answer.nearest_km, answer.nearest_points),
                           ("full coverage", answer.full_coverage_km, answer.full_coverage_points),
                           ("single site", answer.single_site_km, answer.single_site_points)):
        table.add_row(label, fmt_km(km), _pt(pts.frm), _pt(pts.to))
    console.print(table)
    console.print("[dim]nearest: closest pair of points · full coverage: range at which every point of TO is within "
                  "reach of some point of FROM · single site: range needed from the best single launch point[/]")
    if answer.physics is not None:
        _print_physics(answer.physics)
    console.print(_boundary_line(answer))
    print_stated(answer, ["launch", "pov", "physics"])


def _print_physics(ph: Any) -> None:
    prof = ph.azimuth_profile
    verdict = "[green]reaches[/]" if ph.reaches_nearest else "[red]does not reach[/]"
    console.print(f"[bold]Physics ({ph.name}):[/] maximum range {fmt_interval(prof.min_km, prof.max_km)} by launch "
                  f"direction; towards TO's nearest point (azimuth {ph.azimuth_to_nearest_deg:.0f}°) "
                  f"{fmt_km(ph.range_toward_nearest_km)} → {verdict} it; covers {ph.area_share:.1%} of TO's area, "
                  f"{ph.population_share:.1%} of its city population. Catalogue: "
                  f"{fmt_interval(ph.catalogue_range_km.low, ph.catalogue_range_km.high)}.")
    console.print(f"[dim]Vehicle: {ph.calibration}; {ph.earth}[/]")


@app.command("coverage")
@handle_errors
def coverage(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    to: str = typer.Argument(..., metavar="TO", help=TO_HELP),
    range_km: float | None = typer.Option(None, "--range-km", help="Range in km (≥ 0)."),
    system: str | None = typer.Option(None, "--system", help="Use this system's physics instead of one range: "
                                                             "the range towards each point on a rotating Earth."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Share of TO's area and city population within RANGE km of FROM; largest cities in and out of reach."""
    with console.status("Flying the vehicle in every direction…") if system else contextlib.nullcontext():
        answer = ask(reach_coverage, as_json, frm=frm, to=to, range_km=range_km, system=system)
    if answer is None:
        return
    if answer.physics is not None:
        _print_physics(answer.physics)
    else:
        console.print(f"[bold]{answer.frm.name} → {answer.to.name} at {fmt_km(answer.range_km)}[/]")
    console.print(f"Area within range: [bold]{answer.area_fraction:.1%}[/]   "
                  f"City population within range: [bold]{answer.population_fraction:.1%}[/]   "
                  f"Cities: {answer.cities_in_range:,} of {answer.cities_total:,}")
    for title, rows in (("Largest cities in reach", answer.largest_in), ("Largest cities out of reach",
                                                                        answer.largest_out)):
        if not rows:
            continue
        table = Table(title=title)
        for col in ("City", "Population", "Distance"):
            table.add_column(col)
        for c in rows:
            table.add_row(f"{c.name}, {c.country}", f"{c.population:,}", fmt_km(c.distance_km))
        console.print(table)
    console.print(_boundary_line(answer))
    console.print(f"[dim]Cities: {answer.cities_source}[/]")
    print_stated(answer, ["launch", "pov", "physics"])


@app.command("systems")
@handle_errors
def systems(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    to: str = typer.Argument(..., metavar="TO", help=TO_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Every catalogued system of FROM's country: does its range reach the nearest point of TO / cover all of TO?"""
    answer = ask(reach_systems, as_json, frm=frm, to=to)
    if answer is None:
        return
    table = Table(title=f"{answer.frm.name} → {answer.to.name}: nearest {fmt_km(answer.nearest_km)}, "
                        f"full coverage {fmt_km(answer.full_coverage_km)}")
    for col in ("System", "Class", "Range", "Reaches nearest point", "Covers all"):
        table.add_column(col)
    colour = {"yes": "green", "no": "red", "depends-on-source": "yellow"}
    for s in answer.systems:
        r = s.range_km
        mark = " [yellow](unverified)[/]" if r.unverified else " [yellow]*[/]" if r.partly_unverified else ""
        table.add_row(s.name, s.cls, fmt_interval(r.low, r.high) + mark,
                      f"[{colour[s.reaches_nearest]}]{s.reaches_nearest}[/]",
                      f"[{colour[s.covers_all]}]{s.covers_all}[/]")
    console.print(table)
    console.print("[dim]depends-on-source: the answer differs between the sources' range figures. "
                  "* some range figures unverified against their primary source.[/]")
    console.print(_boundary_line(answer))
    print_stated(answer, ["launch", "range", "pov"])


@app.command("ring")
@handle_errors
def ring(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    range_km: float = typer.Option(..., "--range-km", help="Range in km (≥ 0)."),
    geojson: Path | None = typer.Option(None, "--geojson", help="Write the reach polygon to this GeoJSON file."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (the answer, a GeoJSON Feature)."),
) -> None:
    """The reach polygon (geodesic buffer of FROM by RANGE km) as GeoJSON, valid across ±180° and poles."""
    if geojson is not None:
        check_output_path(geojson, option="--geojson")
    answer = ask(reach_ring, as_json, frm=frm, range_km=range_km)
    if answer is None:
        return
    n = len(answer.geometry.get("coordinates") or [])
    if geojson is not None:
        feature = {k: v for k, v in answer.to_json().items() if k in ("type", "geometry", "properties")}
        with writing(geojson):
            geojson.write_text(json.dumps(feature), encoding="utf-8")
        console.print(f"Wrote {geojson} ({n} polygon part(s), {fmt_km(range_km)} from {answer.properties.from_name}).")
    else:
        console.print(f"{answer.properties.from_name} at {fmt_km(range_km)}: {n} polygon part(s), "
                      f"{answer.properties.area_km2:,.0f} km²; write it with --geojson FILE or print it with --json.")
    console.print(_boundary_line(answer.properties))


@app.command("map")
@handle_errors
def map_(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    systems_: list[str] = typer.Option([], "--systems", "-s", help="System names (repeat or comma-separate)."),
    range_km: list[float] = typer.Option([], "--range-km", help="Extra ranges in km (repeatable)."),
    to: str | None = typer.Option(None, "--to", help=TO_HELP),
    out: Path = typer.Option(Path("map.png"), "-o", "--out", help="Output PNG (or .svg)."),
) -> None:
    """Draw a map with reach polygons, the target region and its cities (offline; matplotlib)."""
    check_output_path(out, (".png", ".svg"))
    for r in range_km:
        check_range_km(r)
    names = [n.strip() for item in systems_ for n in item.split(",") if n.strip()]
    for n in names:
        catalog().find(n)  # unknown names fail fast with suggestions
    fmt = "svg" if out.suffix.lower() == ".svg" else "png"
    with console.status("Drawing map…"), writing(out):
        reach_map(frm, systems=names or None, ranges_km=range_km or None, to=to, out=out, fmt=fmt)
    console.print(f"Wrote {out}")
