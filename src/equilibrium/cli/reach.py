"""``equilibrium reach distance|coverage|systems|ring|map``: geodesic reach between real regions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from equilibrium.cli.common import (
    check_output_path,
    check_range_km,
    console,
    fmt_interval,
    fmt_km,
    handle_errors,
    print_json,
    writing,
)
from equilibrium.errors import InvalidInput

app = typer.Typer(
    help="Geodesic reach between regions (ISO3, USA:conus, IND:andaman-nicobar, site:NAME, 'city:Name, CC', lat,lon).",
    no_args_is_help=True,
)

FROM_HELP = "Launch region: ISO3 (PAK), sub-region (USA:conus), site:NAME, 'city:Name, CC' or 'lat,lon'."
TO_HELP = "Target region, same forms as FROM."


def _check_range(range_km: float) -> float:
    """``range_km`` within [0, 40,075] km (one Earth circumference, as the HTTP API), else InvalidInput."""
    check_range_km(range_km)
    return range_km


def _boundary_line(boundary: dict[str, object]) -> str:
    return (f"[dim]Boundaries: {boundary.get('dataset')} ({boundary.get('resolution')}); "
            f"point of view: {boundary.get('pov')}[/]")


def _pt(p: object) -> str:
    if isinstance(p, list | tuple) and len(p) == 2:
        return f"{p[0]:.2f}°, {p[1]:.2f}°"
    return "—"


@app.command("distance")
@handle_errors
def distance(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    to: str = typer.Argument(..., metavar="TO", help=TO_HELP),
    system: str | None = typer.Option(None, "--system", help="Also answer with this system's physics: range "
                                                             "towards TO on a rotating Earth."),
    spec: Path | None = typer.Option(None, "--spec", help="Trajectory case file (with --case) instead of --system."),
    case: str | None = typer.Option(None, "--case", help="Case id in --spec."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Nearest, full-coverage and single-site distances (km) from FROM to TO, with the points realising them."""
    from equilibrium.geo import reach

    res = reach.distance(frm, to).to_dict()
    if system or spec:
        with console.status("Flying the vehicle in every direction…"):
            res["physics"] = _physics(frm, to, system, spec, case)
    if as_json:
        print_json(res)
        return
    table = Table(title=f"{res['from']['name']} → {res['to']['name']}")
    for col in ("Quantity", "Distance", "From (lat, lon)", "To (lat, lon)"):
        table.add_column(col)
    rows = [("nearest", "nearest_km", "nearest_points"),
            ("full coverage", "full_coverage_km", "full_coverage_points"),
            ("single site", "single_site_km", "single_site_points")]
    for label, key, pts in rows:
        p = res.get(pts) or {}
        table.add_row(label, fmt_km(res.get(key)), _pt(p.get("from")), _pt(p.get("to")))
    console.print(table)
    console.print("[dim]nearest: closest pair of points · full coverage: range at which every point of TO is within "
                  "reach of some point of FROM · single site: range needed from the best single launch point[/]")
    if "physics" in res:
        _print_physics(res["physics"])
    console.print(_boundary_line(res["boundary"]))


def _physics(frm: str, to: str, system: str | None, spec: Path | None, case: str | None) -> dict[str, Any]:
    """Azimuth-dependent reach of a catalogue system or a spec vehicle (see equilibrium.trajectory.reach)."""
    from equilibrium.trajectory import load_case, system_vehicle
    from equilibrium.trajectory.reach import physics_reach

    if (system is None) == (spec is None):
        raise InvalidInput("give --system NAME or --spec FILE --case ID, not both")
    about: dict[str, Any]
    if system is not None:
        sv = system_vehicle(system)
        vehicle, about = sv.vehicle, {"system": sv.to_dict()}
    else:
        c = load_case(spec, case)  # type: ignore[arg-type]
        if c.vehicle is None:
            raise InvalidInput(f"case {c.id} has no vehicle")
        vehicle, about = c.vehicle, {"spec": str(spec), "case": c.id}
    out = physics_reach(frm, to, vehicle)
    out.update(about)
    return out


def _print_physics(ph: dict[str, Any]) -> None:
    prof = ph["azimuth_profile"]
    who = ph.get("system", {}).get("name") if isinstance(ph.get("system"), dict) else ph.get("case")
    verdict = "[green]reaches[/]" if ph["reaches_nearest"] else "[red]does not reach[/]"
    console.print(f"[bold]Physics ({who}):[/] maximum range {fmt_km(prof['min_km'])}–{fmt_km(prof['max_km'])} "
                  f"by launch direction; towards TO's nearest point (azimuth {ph['azimuth_to_nearest_deg']:.0f}°) "
                  f"{fmt_km(ph['range_toward_nearest_km'])} → {verdict} it; covers {ph['area_fraction']:.1%} of TO's "
                  f"area, {ph['population_fraction']:.1%} of its city population.")
    if isinstance(ph.get("system"), dict):
        console.print(f"[dim]Vehicle: {ph['system']['calibration']}; {ph['earth']}[/]")


@app.command("coverage")
@handle_errors
def coverage(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    to: str = typer.Argument(..., metavar="TO", help=TO_HELP),
    range_km: float | None = typer.Option(None, "--range-km", help="Range in km (≥ 0)."),
    system: str | None = typer.Option(None, "--system", help="Use this system's physics instead of one range: "
                                                             "the range towards each point on a rotating Earth."),
    spec: Path | None = typer.Option(None, "--spec", help="Trajectory case file (with --case) instead of --system."),
    case: str | None = typer.Option(None, "--case", help="Case id in --spec."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Share of TO's area and city population within RANGE km of FROM; largest cities in and out of reach."""
    from equilibrium.geo import reach

    if system or spec:
        with console.status("Flying the vehicle in every direction…"):
            ph = _physics(frm, to, system, spec, case)
        if as_json:
            print_json(ph)
            return
        _print_physics(ph)
        for title, key in (("Largest cities in reach", "largest_in"), ("Largest cities out of reach", "largest_out")):
            rows: list[dict[str, Any]] = ph.get(key) or []
            if rows:
                table = Table(title=title)
                for col in ("City", "Population", "Distance", "Range towards it"):
                    table.add_column(col)
                for c in rows:
                    table.add_row(c["name"], f"{c['population']:,}", fmt_km(c["distance_km"]),
                                  fmt_km(c["range_toward_km"]))
                console.print(table)
        return
    if range_km is None:
        raise InvalidInput("give --range-km KM, or --system NAME / --spec FILE --case ID")

    res = reach.coverage(frm, to, _check_range(range_km)).to_dict()
    if as_json:
        print_json(res)
        return
    console.print(f"[bold]{res['from']['name']} → {res['to']['name']} at {range_km:,.0f} km[/]")
    console.print(f"Area within range: [bold]{res['area_fraction']:.1%}[/]   "
                  f"City population within range: [bold]{res['population_fraction']:.1%}[/]   "
                  f"Cities: {res['cities_in_range']:,} of {res['cities_total']:,}")
    for title, key in (("Largest cities in reach", "largest_in"), ("Largest cities out of reach", "largest_out")):
        rows = res.get(key) or []
        if not rows:
            continue
        table = Table(title=title)
        for col in ("City", "Population", "Distance"):
            table.add_column(col)
        for c in rows:
            table.add_row(f"{c['name']}, {c['country']}", f"{c['population']:,}", fmt_km(c["distance_km"]))
        console.print(table)
    console.print(_boundary_line(res["boundary"]))
    if res.get("cities_source"):
        console.print(f"[dim]Cities: {res['cities_source']}[/]")


@app.command("systems")
@handle_errors
def systems(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    to: str = typer.Argument(..., metavar="TO", help=TO_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Every catalogued system of FROM's country: does its range reach the nearest point of TO / cover all of TO?"""
    from equilibrium.geo import reach

    res = reach.systems(frm, to)
    if as_json:
        print_json(res)
        return
    table = Table(title=f"{res['from']['name']} → {res['to']['name']}: nearest {fmt_km(res['nearest_km'])}, "
                        f"full coverage {fmt_km(res['full_coverage_km'])}")
    for col in ("System", "Class", "Range", "Reaches nearest point", "Covers all"):
        table.add_column(col)
    colour = {"yes": "green", "no": "red", "depends-on-source": "yellow"}
    for s in res["systems"]:
        r = s["range_km"]
        mark = (" [yellow](unverified)[/]" if r.get("unverified")
                else " [yellow]*[/]" if r.get("partly_unverified") else "")
        table.add_row(s["name"], s["class"], fmt_interval(r["low"], r["high"]) + mark,
                      f"[{colour[s['reaches_nearest']]}]{s['reaches_nearest']}[/]",
                      f"[{colour[s['covers_all']]}]{s['covers_all']}[/]")
    console.print(table)
    console.print("[dim]depends-on-source: the answer differs between the sources' range figures. "
                  "* some range figures unverified against their primary source.[/]")
    console.print(_boundary_line(res["boundary"]))


@app.command("ring")
@handle_errors
def ring(
    frm: str = typer.Argument(..., metavar="FROM", help=FROM_HELP),
    range_km: float = typer.Option(..., "--range-km", help="Range in km (≥ 0)."),
    geojson: Path = typer.Option(..., "--geojson", help="Write the reach polygon to this GeoJSON file."),
) -> None:
    """Write the reach polygon (geodesic buffer of FROM by RANGE km) as GeoJSON, valid across ±180° and poles."""
    _ring(frm, range_km, geojson)


@handle_errors
def _ring(frm: str, range_km: float, geojson: Path) -> None:
    from equilibrium.geo import reach

    _check_range(range_km)
    check_output_path(geojson, option="--geojson")
    feature = reach.ring(frm, range_km)
    try:
        geojson.write_text(json.dumps(feature), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {geojson}: {exc.strerror}") from None
    n = len(feature["geometry"]["coordinates"]) if feature.get("geometry") else 0
    console.print(f"Wrote {geojson} ({n} polygon part(s), {range_km:,.0f} km from {frm}).")


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
    from equilibrium.catalog import catalog
    from equilibrium.report.figures import reach_map

    check_output_path(out, (".png", ".svg"))
    for r in range_km:
        _check_range(r)
    names = [n.strip() for item in systems_ for n in item.split(",") if n.strip()]
    for n in names:
        catalog().find(n)  # unknown names fail fast with suggestions
    fmt = "svg" if out.suffix.lower() == ".svg" else "png"
    with console.status("Drawing map…"), writing(out):
        reach_map(frm, systems=names or None, ranges_km=range_km or None, to=to, out=out, fmt=fmt)
    console.print(f"Wrote {out}")
