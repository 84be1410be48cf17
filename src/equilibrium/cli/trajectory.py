"""``equilibrium trajectory fly|max-range|payload-range|loft|size|montecarlo|validate|templates``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from equilibrium.cli.common import (
    check_output_path,
    check_range_km,
    console,
    fmt_km,
    handle_errors,
    print_json,
    writing,
)
from equilibrium.errors import InvalidInput

app = typer.Typer(help="Ballistic trajectories: flights, maximum range, payload–range, lofted tests, motor sizing, "
                       "Monte Carlo (rotating WGS-84 Earth, J2, US-1976 atmosphere).", no_args_is_help=True)

SPEC = typer.Option(None, "--spec", help="Case file (YAML, validation interchange format).")
CASE = typer.Option(None, "--case", help="Case id in the spec file.")
SYSTEM = typer.Option(None, "--system", help="Catalogue system (fuzzy: 'Shaheen 3', 'Hatf-VI').")
JSON = typer.Option(False, "--json", help="Print one JSON object.")
LAT = typer.Option(None, "--lat", help="Launch latitude (deg; default the case's, else 0).")
LON = typer.Option(None, "--lon", help="Launch longitude (deg; default the case's, else 0).")
AZ = typer.Option(None, "--azimuth", help="Launch azimuth (deg clockwise from north; default 90, due east).")
NONROT = typer.Option(False, "--non-rotating", help="Non-rotating Earth (geometry-free comparisons).")
PLOT = typer.Option(None, "--plot", help="Also draw a figure to this PNG/SVG file.")
FIGURE_SUFFIXES = (".png", ".svg")
CALIB = typer.Option(False, "--calibrate-range", help="With --system: also fit the motor's efficiency (Isp factor) "
                                                     "so that the catalogue launch mass flies the catalogue range.")


def _plot_path(plot: Path | None) -> None:
    """Refuse an unusable --plot file before any flight (a folder, a missing folder, a wrong extension)."""
    if plot is not None:
        check_output_path(plot, FIGURE_SUFFIXES, option="--plot")


def _finite(name: str, v: float | None) -> float | None:
    if v is not None and not math.isfinite(v):
        raise InvalidInput(f"{name} must be a finite number, not {v}")
    return v


def _launch(case: Any, lat: float | None, lon: float | None, az: float | None) -> Any:
    from equilibrium.trajectory import Launch

    base = case.launch if case is not None and case.launch is not None else None
    la = float(lat) if lat is not None else (base.lat_deg if base else 0.0)
    lo = float(lon) if lon is not None else (base.lon_deg if base else 0.0)
    a = float(az) if az is not None else (base.azimuth_deg if base else 90.0)
    for name, v in (("--lat", la), ("--lon", lo), ("--azimuth", a)):
        _finite(name, v)
    if not -90 <= la <= 90:
        raise InvalidInput(f"latitude must lie in [-90, 90] degrees, not {la}")
    if not -180 <= lo <= 360:
        raise InvalidInput(f"longitude must lie in [-180, 360] degrees, not {lo}")
    return Launch(la, lo, a)


def _earth(nonrot: bool) -> Any:
    from equilibrium.trajectory import WGS84, EarthModel

    return EarthModel(omega=0.0, name="WGS-84, J2 gravity, not rotating") if nonrot else WGS84


def _vehicle(spec: Path | None, case_id: str | None, system: str | None,
             calibrate: bool = False) -> tuple[Any, Any, dict[str, Any]]:
    """(vehicle, case or None, source info) from --spec/--case or --system."""
    from equilibrium.trajectory import load_case, system_vehicle

    if (spec is None) == (system is None):
        raise InvalidInput("give --spec FILE --case ID, or --system NAME")
    if calibrate and system is None:
        raise InvalidInput("--calibrate-range needs --system")
    if system is not None:
        sv = system_vehicle(system, calibrate_range=calibrate)
        return sv.vehicle, None, {"system": sv.to_dict()}
    case = load_case(spec, case_id)  # type: ignore[arg-type]
    if case.kind != "motor" or case.vehicle is None:
        raise InvalidInput(f"case {case.id} is a {case.kind} case, not a motor case (use 'trajectory loft')")
    return case.vehicle, case, {"spec": str(spec), "case": case.id}


def _flight_table(d: dict[str, Any], title: str) -> None:
    t = Table(title=title)
    t.add_column("Quantity")
    t.add_column("Value")
    bo = d["burnout"]
    rows = [("ground range", fmt_km(d["range_km"])), ("apogee", fmt_km(d["apogee_km"])),
            ("flight time", f"{d['flight_time_s']:,.0f} s ({d['flight_time_s'] / 60:.1f} min)"),
            ("burnout", f"{bo['time_s']:.0f} s, {bo['altitude_km']:.0f} km, {bo['speed_m_s']:,.0f} m/s inertial "
                        f"({bo['speed_rel_m_s']:,.0f} m/s Earth-relative), {bo['angle_deg']:.1f}° above horizontal"),
            ("impact", f"{d['impact']['lat_deg']:.2f}°, {d['impact']['lon_deg']:.2f}° at "
                       f"{d['impact']['speed_m_s']:,.0f} m/s"),
            ("guidance", f"vertical {d['guidance']['vertical_s']:.1f} s, pitch-over {d['guidance']['kick_deg']:.2f}° "
                         f"over {d['guidance']['kick_s']:.0f} s, bias {d['guidance']['bias_deg']:.1f}°"),
            ("launch", f"{d['launch']['lat_deg']:.2f}°, {d['launch']['lon_deg']:.2f}°, azimuth "
                       f"{d['launch']['azimuth_deg']:.0f}°"),
            ("model", f"{d['earth']}; {d['atmosphere']}")]
    for r in rows:
        t.add_row(*r)
    console.print(t)


@app.command("fly")
@handle_errors
def fly_cmd(spec: Path = SPEC, case: str = CASE, system: str = SYSTEM,
            calibrate_range: bool = CALIB, lat: float = LAT, lon: float = LON,
            azimuth: float = AZ,
            burnout_angle: float = typer.Option(None, "--burnout-angle", help="Fly to this burnout angle (deg)."),
            apogee_km: float = typer.Option(None, "--apogee-km", help="Fly lofted/depressed to this apogee (km)."),
            kick_deg: float = typer.Option(None, "--kick-deg", help="Pitch-over angle from vertical (deg)."),
            history: bool = typer.Option(False, "--history", help="Include time histories in the JSON."),
            non_rotating: bool = NONROT, plot: Path = PLOT, as_json: bool = JSON) -> None:
    """Fly one trajectory (default guidance: the range-maximising pitch-over)."""
    from equilibrium.trajectory import Guidance, fly, fly_constrained

    _plot_path(plot)
    vehicle, c, src = _vehicle(spec, case, system, calibrate_range)
    launch = _launch(c, lat, lon, azimuth)
    earth = _earth(non_rotating)
    given = [x is not None for x in (burnout_angle, apogee_km, kick_deg)]
    if sum(given) > 1:
        raise InvalidInput("give at most one of --burnout-angle, --apogee-km, --kick-deg")
    record = history or plot is not None
    with console.status("Flying…"):
        if burnout_angle is not None or apogee_km is not None:
            fl = fly_constrained(vehicle, launch, apogee_km=_finite("--apogee-km", apogee_km),
                                 burnout_angle_deg=_finite("--burnout-angle", burnout_angle), earth=earth,
                                 record=record)
        else:
            g = Guidance(kick_deg=float(_finite("--kick-deg", kick_deg))) if kick_deg is not None else None
            if g is not None and not 0 <= g.kick_deg <= 90:
                raise InvalidInput(f"--kick-deg must lie in [0, 90], not {g.kick_deg}")
            fl = fly(vehicle, launch, g, earth=earth, record=record)
    d = fl.to_dict()
    if plot is not None:
        _plot_flights(plot, [(vehicle.name or src.get("case") or "flight", d)])
    if not history:
        d.pop("history", None)
    d.update(src)
    if as_json:
        print_json(d)
        return
    _flight_table(d, f"Flight of {vehicle.name or src.get('case', 'vehicle')}")
    if plot is not None:
        console.print(f"Wrote {plot}")


@app.command("max-range")
@handle_errors
def max_range_cmd(spec: Path = SPEC, case: str = CASE, system: str = SYSTEM,
            calibrate_range: bool = CALIB, lat: float = LAT, lon: float = LON,
                  azimuth: float = AZ,
                  optimise_bias: bool = typer.Option(False, "--optimise-bias",
                                                     help="Also optimise the upper-stage thrust tilt."),
                  non_rotating: bool = NONROT, plot: Path = PLOT, as_json: bool = JSON) -> None:
    """Maximum range over guidance (pitch-over angle; optionally the upper-stage tilt)."""
    from equilibrium.trajectory import max_range

    _plot_path(plot)
    vehicle, c, src = _vehicle(spec, case, system, calibrate_range)
    launch = _launch(c, lat, lon, azimuth)
    with console.status("Searching the range-maximising guidance…"):
        m = max_range(vehicle, launch, optimise_bias=optimise_bias, earth=_earth(non_rotating),
                      record=plot is not None)
    d = m.to_dict()
    if plot is not None:
        _plot_flights(plot, [(vehicle.name or "maximum range", d)])
    d.pop("history", None)
    d.update(src)
    if c is not None and c.expect is not None and c.expect.quantity == "max_range_km":
        lo, hi = c.expect.interval()
        d["expect"] = {"min_km": lo, "max_km": hi, "pass": bool(lo <= d["range_km"] <= hi)}
    if as_json:
        print_json(d)
        return
    _flight_table(d, f"Maximum range of {vehicle.name or src.get('case', 'vehicle')}: {fmt_km(d['range_km'])}")
    _print_expect(d)
    if "system" in src:
        console.print(f"[dim]Vehicle: {src['system']['calibration']}[/]")


@app.command("payload-range")
@handle_errors
def payload_range_cmd(spec: Path = SPEC, case: str = CASE, system: str = SYSTEM,
            calibrate_range: bool = CALIB, lat: float = LAT,
                      lon: float = LON, azimuth: float = AZ,
                      payloads: str = typer.Option(None, "--payloads", help="Comma-separated payloads (kg)."),
                      non_rotating: bool = NONROT, plot: Path = PLOT, as_json: bool = JSON) -> None:
    """Maximum range for a list of payloads (default: 25 %–200 % of the vehicle's own)."""
    from equilibrium.trajectory import default_payloads, payload_range

    _plot_path(plot)
    vehicle, c, src = _vehicle(spec, case, system, calibrate_range)
    launch = _launch(c, lat, lon, azimuth)
    if payloads:
        try:
            pl = [float(x) for x in payloads.split(",") if x.strip()]
        except ValueError:
            raise InvalidInput(f"--payloads must be comma-separated numbers of kg, not {payloads!r}") from None
    else:
        pl = default_payloads(vehicle)
    with console.status(f"Maximum range for {len(pl)} payloads…"):
        points = payload_range(vehicle, pl, launch, earth=_earth(non_rotating))
    d: dict[str, Any] = {"points": points, **src}
    if plot is not None:
        from equilibrium.report.trajectory_figures import payload_range_figure

        with writing(plot):
            payload_range_figure(points, plot, title=vehicle.name or src.get("case"))
    if as_json:
        print_json(d)
        return
    t = Table(title=f"Payload–range of {vehicle.name or src.get('case', 'vehicle')}")
    t.add_column("Payload")
    t.add_column("Maximum range")
    for p in points:
        flag = "" if p["converged"] else " (not converged)"
        t.add_row(f"{p['payload_kg']:,.0f} kg", fmt_km(p["range_km"]) + flag)
    console.print(t)


@app.command("loft")
@handle_errors
def loft_cmd(spec: Path = SPEC, case: str = CASE,
             apogee_km: float | None = typer.Option(None, "--apogee-km", help="Observed apogee (km)."),
             range_km: float | None = typer.Option(None, "--range-km", help="Observed ground range (km)."),
             time_s: float | None = typer.Option(None, "--time-s", help="Observed flight time (s)."),
             template: str | None = typer.Option(None, "--template", help="liquid-1stage|liquid-2stage|solid-2stage|"
                                                                     "solid-3stage"),
             fit: str = typer.Option("scale", "--fit", help="Free parameter: scale (motor size) or payload."),
             lat: float = LAT, lon: float = LON, azimuth: float = AZ,
             rotating: bool = typer.Option(False, "--rotating",
                                           help="Rotating Earth (needs the real launch point and azimuth)."),
             as_json: bool = JSON) -> None:
    """Convert a lofted test (apogee, ground range, flight time) to the standard-trajectory range of the same
    vehicle. Default: non-rotating Earth (the launch geometry of a test is rarely known exactly)."""
    from equilibrium.trajectory import get_template, load_case, loft_fit

    check_range_km(range_km)
    c = None
    if spec is not None:
        c = load_case(spec, case)
        if c.kind != "loft" or c.observed is None:
            raise InvalidInput(f"case {c.id} is a {c.kind} case, not a loft case")
        apogee_km = apogee_km or c.observed.apogee_km
        range_km = range_km or c.observed.ground_range_km
        time_s = time_s or c.observed.flight_time_s
        template = template or c.template
    if apogee_km is None or range_km is None or template is None:
        raise InvalidInput("give --spec FILE --case ID, or --apogee-km, --range-km (and --time-s) with --template")
    launch = _launch(c, lat, lon, azimuth)
    with console.status("Fitting the template to the lofted flight…"):
        res = loft_fit(get_template(template), float(_finite("--apogee-km", apogee_km) or 0.0),
                       float(_finite("--range-km", range_km) or 0.0), _finite("--time-s", time_s), fit=fit,
                       launch=launch, earth=_earth(not rotating))
    d = res.to_dict()
    d["standard"].pop("history", None)
    d["earth"] = _earth(not rotating).name
    if c is not None:
        d["spec"], d["case"] = str(spec), c.id
        if c.expect is not None:
            lo, hi = c.expect.interval()
            d["expect"] = {"min_km": lo, "max_km": hi, "pass": bool(lo <= d["standard_range_km"] <= hi)}
    if as_json:
        print_json(d)
        return
    t = Table(title=f"Lofted test → standard range ({template} template, fit: {fit})")
    t.add_column("Quantity")
    t.add_column("Observed")
    t.add_column("Modelled")
    t.add_column("Residual")
    ob, mo, rs = d["observed"], d["modelled"], d["residuals_pct"]
    t.add_row("apogee", fmt_km(ob["apogee_km"]), fmt_km(mo["apogee_km"]), f"{rs['apogee']:+.2f} %")
    t.add_row("ground range", fmt_km(ob["range_km"]), fmt_km(mo["range_km"]), f"{rs['range']:+.2f} %")
    if "flight_time_s" in ob:
        t.add_row("flight time", f"{ob['flight_time_s']:,.0f} s", f"{mo['flight_time_s']:,.0f} s",
                  f"{rs['flight_time']:+.2f} %")
    console.print(t)
    console.print(f"Fitted vehicle: {d['modelled']['launch_mass_kg']:,.0f} kg at lift-off, payload "
                  f"{d['fitted_payload_kg']:,.0f} kg (scale {d['scale']:.3f} of the template)")
    console.print(f"[bold]Standard-trajectory range: {fmt_km(d['standard_range_km'])}[/] ({d['earth']})")
    _print_expect(d)


@app.command("size")
@handle_errors
def size_cmd(range_km: float = typer.Option(None, "--range-km", help="Required range (km)."),
             payload_kg: float = typer.Option(..., "--payload-kg", help="Payload (kg)."),
             template: str | None = typer.Option(None, "--template", help="Template id (see 'trajectory "
                                                                           "templates')."),
             system: str | None = typer.Option(None, "--system", help="Scale this catalogue system instead of a "
                                                                       "template (what would a larger motor buy)."),
             calibrate_range: bool = CALIB,
             frm: str = typer.Option(None, "--from", help="Launch region (then the range is the nearest distance "
                                                          "to --to unless --range-km is given)."),
             to: str = typer.Option(None, "--to", help="Target region."),
             cover: bool = typer.Option(False, "--cover-all", help="Size for full coverage of --to, not its "
                                                                   "nearest point."),
             as_json: bool = JSON) -> None:
    """The motor a template needs to carry PAYLOAD over RANGE (or from --from to --to): propellant, lift-off mass,
    size; and whether a vehicle that large has been reported for the launching country."""
    from equilibrium.trajectory import Launch, get_template, size

    target: dict[str, Any] | None = None
    launch = Launch()
    check_range_km(range_km)
    if range_km is None:
        if not (frm and to):
            raise InvalidInput("give --range-km, or --from and --to")
        from equilibrium.geo import reach

        dist = reach.distance(frm, to).to_dict()
        range_km = dist["full_coverage_km"] if cover else dist["nearest_km"]
        target = {"from": dist["from"], "to": dist["to"], "nearest_km": dist["nearest_km"],
                  "full_coverage_km": dist["full_coverage_km"], "used": "full_coverage_km" if cover else "nearest_km"}
        pts = dist["full_coverage_points" if cover else "nearest_points"]
        from pyproj import Geod

        az, _, _ = Geod(ellps="WGS84").inv(pts["from"][1], pts["from"][0], pts["to"][1], pts["to"][0])
        launch = Launch(pts["from"][0], pts["from"][1], float(az))
        target["launch"] = {"lat_deg": pts["from"][0], "lon_deg": pts["from"][1], "azimuth_deg": float(az)}
    _finite("--range-km", range_km)
    _finite("--payload-kg", payload_kg)
    if (template is None) == (system is None):
        raise InvalidInput("give --template ID or --system NAME")
    with console.status("Scaling the motor…"):
        if system is not None:
            from equilibrium.catalog import catalog
            from equilibrium.trajectory import system_vehicle
            from equilibrium.trajectory.design import size_vehicle

            sv = system_vehicle(system, calibrate_range=calibrate_range)
            sysd = catalog().find(system)
            label = sv.name + (" at its range-calibrated efficiency" if calibrate_range else "")
            sz = size_vehicle(sv.vehicle.with_payload(float(payload_kg)), float(range_km), label=label, launch=launch,
                              diameter_m=sysd.diameter.nominal if sysd.diameter else None,
                              length_m=sysd.length.nominal if sysd.length else None,
                              reference={"vehicle": sv.name, "launch_mass_kg": sv.vehicle.launch_mass_kg,
                                         "calibration": sv.calibration, "sources": sv.sources})
            template = sv.name
        else:
            sz = size(get_template(str(template)), float(range_km), float(payload_kg), launch=launch)
    d = sz.to_dict()
    if target:
        d["target"] = target
    d["reported"] = _reported(frm, sz.launch_mass_kg, float(range_km))
    if as_json:
        print_json(d)
        return
    console.print(f"[bold]{template}[/] scaled ×{d['scale']:.2f} to carry {payload_kg:,.0f} kg over "
                  f"{fmt_km(range_km)} (achieved {fmt_km(d['achieved_range_km'])}):")
    t = Table()
    t.add_column("Quantity")
    t.add_column("Value")
    t.add_row("lift-off mass", f"{d['launch_mass_kg']:,.0f} kg")
    t.add_row("propellant", f"{d['propellant_mass_kg']:,.0f} kg")
    t.add_row("diameter", f"{d['diameter_m']:.2f} m")
    t.add_row("length", f"{d['length_m']:.1f} m" if d["length_m"] else "— (template has no length)")
    t.add_row("template reference", f"{d['reference']['vehicle']}, {d['reference']['launch_mass_kg']:,.0f} kg")
    console.print(t)
    rep = d["reported"]
    console.print(rep["summary"])


def _reported(country_spec: str | None, launch_mass_kg: float, range_km: float) -> dict[str, Any]:
    """Catalogue systems of the launching country at least this heavy or this long-ranged."""
    from equilibrium.catalog import catalog

    iso = None
    if country_spec:
        from equilibrium.geo.regions import resolve_region

        iso = resolve_region(country_spec).iso3
    cat = catalog()
    systems = [s for s in cat if iso is None or s.country == iso]
    heavy = [s.name for s in systems if s.launch_mass and s.launch_mass.high >= launch_mass_kg]
    far = [s.name for s in systems if s.range.high >= range_km]
    who = iso or "any country in the catalogue"
    if far:
        summary = f"Reported systems of {who} with a range ≥ {range_km:,.0f} km: {', '.join(far)}."
    else:
        summary = f"No system of {who} in the catalogue is reported with a range ≥ {range_km:,.0f} km."
    if heavy:
        summary += f" Reported at least as heavy: {', '.join(heavy)}."
    return {"country": iso, "systems_with_range": far, "systems_at_least_as_heavy": heavy, "summary": summary}


@app.command("montecarlo")
@handle_errors
def montecarlo_cmd(spec: Path = SPEC, case: str = CASE, system: str = SYSTEM, calibrate_range: bool = CALIB,
                   n: int = typer.Option(1000, "-n", help="Number of samples."),
                   seed: int = typer.Option(0, "--seed", help="Root seed (per-run seeds are spawned from it)."),
                   workers: int = typer.Option(1, "--workers", help="Local worker processes."),
                   scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (or 'local')."),
                   out: Path = typer.Option(None, "--out", help="Folder for the Parquet results (resumable)."),
                   chunk: int = typer.Option(500, "--chunk", help="Samples per task / Parquet part."),
                   isp_sd: float = typer.Option(None, "--isp-sd", help="Relative σ of Isp (default 0.02)."),
                   mass_sd: float = typer.Option(None, "--mass-sd", help="Relative σ of dry mass (default 0.05)."),
                   prop_sd: float = typer.Option(None, "--prop-sd", help="Relative σ of propellant (default 0.02)."),
                   drag_sd: float = typer.Option(None, "--drag-sd", help="Relative σ of drag (default 0.10)."),
                   lat: float = LAT, lon: float = LON, azimuth: float = AZ, non_rotating: bool = NONROT,
                   plot: Path = PLOT, as_json: bool = JSON) -> None:
    """Maximum-range percentiles (P5, P50, P95) over declared input distributions; identical for any --workers."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from equilibrium.trajectory import Spread, montecarlo

    _plot_path(plot)
    if out is not None:
        check_output_path(out, option="--out", folder=True)
    vehicle, c, src = _vehicle(spec, case, system, calibrate_range)
    launch = _launch(c, lat, lon, azimuth)
    if chunk < 1:
        raise InvalidInput(f"--chunk must be at least 1, not {chunk}")
    basis = {"isp_sd": "analyst default (not from a source)", "dry_sd": "analyst default (not from a source)",
             "propellant_sd": "analyst default (not from a source)", "drag_sd": "analyst default (not from a source)"}
    kw: dict[str, Any] = {}
    for key, v in (("isp_sd", isp_sd), ("dry_sd", mass_sd), ("propellant_sd", prop_sd), ("drag_sd", drag_sd)):
        if v is not None:
            kw[key] = float(_finite(f"--{key}", v))  # type: ignore[arg-type]
            basis[key] = "given on the command line"
    if "system" in src and src["system"].get("payload_interval_kg"):
        lo, hi = src["system"]["payload_interval_kg"]
        if hi > lo:
            kw["payload_kg"] = (lo, hi)
            basis["payload_kg"] = "catalogue payload interval (per-source figures)"
    spread = Spread(**kw, basis=basis)
    progress = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                        TextColumn("{task.completed}/{task.total} chunks"), TimeRemainingColumn(), console=console,
                        transient=True, disable=as_json)
    with progress:
        task = progress.add_task(f"Monte Carlo, {n:,} samples", total=None)

        def cb(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        res = montecarlo(vehicle, n, seed, spread=spread, launch=launch, earth=_earth(non_rotating),
                         workers=workers, scheduler=scheduler, out_dir=out, chunk_size=chunk, progress=cb)
    d = res.to_dict()
    d.update(src)
    if plot is not None:
        from equilibrium.report.trajectory_figures import montecarlo_figure

        with writing(plot):
            montecarlo_figure(res.ranges_km, d, plot, title=vehicle.name or src.get("case"))
    if as_json:
        print_json(d)
        return
    console.print(f"[bold]Maximum range over {n:,} samples[/] (seed {seed}): P5 {fmt_km(d['p5_km'])} · "
                  f"P50 {fmt_km(d['p50_km'])} · P95 {fmt_km(d['p95_km'])}  (nominal {fmt_km(d['nominal_range_km'])}; "
                  f"{d['failed']} failed)")
    console.print(f"[dim]Inputs: Isp σ {spread.isp_sd:.0%}, dry mass σ {spread.dry_sd:.0%}, propellant σ "
                  f"{spread.propellant_sd:.0%}, drag σ {spread.drag_sd:.0%}"
                  + (f", payload {spread.payload_kg[0]:,.0f}–{spread.payload_kg[1]:,.0f} kg" if spread.payload_kg
                     else "") + "[/]")
    if out is not None:
        console.print(f"Parquet results in {out} ({d['chunks_resumed']} chunk(s) resumed)")


@app.command("validate")
@handle_errors
def validate_cmd(spec: Path = typer.Option(..., "--spec", help="Case file with expectations."),
                 as_json: bool = JSON) -> None:
    """Run every case of a spec file and compare with its expectation."""
    from equilibrium.trajectory import get_template, load_cases, loft_fit, max_range
    from equilibrium.trajectory.engine import Launch

    rows: list[dict[str, Any]] = []
    cases = load_cases(spec)
    with console.status("Running the validation cases…") as status:
        for c in cases.values():
            status.update(f"Running {c.id}…")
            lau = Launch(c.launch.lat_deg, c.launch.lon_deg, c.launch.azimuth_deg) if c.launch else Launch()
            if c.kind == "motor":
                got = max_range(c.vehicle, lau).flight.range_km  # type: ignore[arg-type]
            else:
                o = c.observed
                got = loft_fit(get_template(c.template), o.apogee_km, o.ground_range_km,  # type: ignore[union-attr, arg-type]
                               o.flight_time_s, earth=_earth(True)).standard_range_km  # type: ignore[union-attr]
            lo, hi = c.expect.interval() if c.expect else (-math.inf, math.inf)
            rows.append({"id": c.id, "kind": c.kind, "quantity": c.expect.quantity if c.expect else None,
                         "value_km": got, "min_km": lo, "max_km": hi, "pass": bool(lo <= got <= hi)})
    d = {"spec": str(spec), "cases": rows, "passed": sum(r["pass"] for r in rows), "total": len(rows)}
    if as_json:
        print_json(d)
    else:
        t = Table(title=f"Validation: {d['passed']} of {d['total']} cases pass")
        for col in ("Case", "Quantity", "Engine", "Expected", ""):
            t.add_column(col)
        for r in rows:
            t.add_row(r["id"], r["quantity"] or "", fmt_km(r["value_km"]),
                      f"{fmt_km(r['min_km'])}–{fmt_km(r['max_km'])}", "[green]pass[/]" if r["pass"] else "[red]fail[/]")
        console.print(t)
    if d["passed"] != d["total"]:
        raise typer.Exit(1)


@app.command("templates")
@handle_errors
def templates_cmd(as_json: bool = JSON) -> None:
    """The vehicle templates (generic stage stacks with sourced figures)."""
    from equilibrium.trajectory import templates

    ts = [t.summary() for t in templates().values()]
    if as_json:
        print_json({"templates": ts})
        return
    t = Table(title="Vehicle templates")
    for col in ("Id", "Reference vehicle", "Stages", "Lift-off mass", "Payload", "Sources"):
        t.add_column(col)
    for x in ts:
        t.add_row(x["id"], x["reference_vehicle"], str(x["stages"]), f"{x['launch_mass_kg']:,.0f} kg",
                  f"{x['payload_kg']:,.0f} kg", str(len(x["sources"])))
    console.print(t)


def _print_expect(d: dict[str, Any]) -> None:
    """The case's expectation and whether the engine met it (when the case has one)."""
    if "expect" in d:
        e = d["expect"]
        console.print(f"Expected {fmt_km(e['min_km'])}–{fmt_km(e['max_km'])}: "
                      + ("[green]pass[/]" if e["pass"] else "[red]fail[/]"))


def _plot_flights(path: Path, flights: list[tuple[str, dict[str, Any]]]) -> None:
    from equilibrium.report.trajectory_figures import trajectory_figure

    with writing(path):
        trajectory_figure(flights, path)
