"""``equilibrium trajectory fly|max-range|payload-range|loft|size|montecarlo|templates|system|reach|validate``.

Each command (but ``validate``) asks its question of :mod:`equilibrium.questions.trajectory` and renders the
answer; ``--json`` prints the answer's JSON, the HTTP API's body. ``--spec FILE --case ID`` reads a vehicle (or a
lofted observation) and its launch from a case file and asks with them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from equilibrium.cli.common import (
    ask,
    check_output_path,
    console,
    fmt_interval,
    fmt_km,
    handle_errors,
    print_json,
    print_stated,
    writing,
)
from equilibrium.errors import InvalidInput
from equilibrium.questions.base import parse_params
from equilibrium.questions.trajectory import (
    LoftParams,
    MonteCarloParams,
    montecarlo_answer,
    trajectory_fly,
    trajectory_loft,
    trajectory_max_range,
    trajectory_payload_range,
    trajectory_reach,
    trajectory_size,
    trajectory_system,
    trajectory_templates,
)
from equilibrium.report.trajectory_figures import montecarlo_figure, payload_range_figure, trajectory_figure
from equilibrium.trajectory import WGS84, Launch, load_case, load_cases, max_range
from equilibrium.trajectory.earth import NON_ROTATING

app = typer.Typer(help="Ballistic trajectories: flights, maximum range, payload–range, lofted tests, motor sizing, "
                       "Monte Carlo (rotating WGS-84 Earth, J2, US-1976 atmosphere).", no_args_is_help=True)

SPEC = typer.Option(None, "--spec", help="Case file (YAML, validation interchange format).")
CASE = typer.Option(None, "--case", help="Case id in the spec file.")
SYSTEM = typer.Option(None, "--system", help="Catalogue system (fuzzy: 'Shaheen 3', 'Hatf-VI').")
JSON = typer.Option(False, "--json", help="Print one JSON object.")
LAT = typer.Option(None, "--lat", help="Launch latitude (deg; default the case's, else the system's country site, "
                                       "else 0).")
LON = typer.Option(None, "--lon", help="Launch longitude (deg; default as --lat).")
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


def _launch(case: Any, lat: float | None, lon: float | None, az: float | None) -> dict[str, float] | None:
    """The ``launch`` parameter: the case's launch (if any) overridden by --lat/--lon/--azimuth; ``None`` when
    nothing is given (the question's default launch applies)."""
    out: dict[str, float] = {}
    if case is not None and case.launch is not None:
        la = case.launch.launch()
        out = {"lat_deg": float(la.lat_deg), "lon_deg": float(la.lon_deg), "azimuth_deg": float(la.azimuth_deg)}
    for key, v in (("lat_deg", lat), ("lon_deg", lon), ("azimuth_deg", az)):
        if v is not None:
            out[key] = v
    return out or None


def _vehicle(spec: Path | None, case_id: str | None, system: str | None, calibrate: bool, lat: float | None,
             lon: float | None, az: float | None, non_rotating: bool) -> tuple[dict[str, Any], Any]:
    """The vehicle parameters (system or vehicle, launch, Earth) from --spec/--case or --system, and the case."""
    if (spec is None) == (system is None):
        raise InvalidInput("give --spec FILE --case ID, or --system NAME")
    case = None
    params: dict[str, Any] = {"system": system, "calibrate_range": calibrate, "non_rotating": non_rotating}
    if spec is not None:
        case = load_case(spec, case_id)
        if case.kind != "motor" or case.vehicle is None:
            raise InvalidInput(f"case {case.id} is a {case.kind} case, not a motor case (use 'trajectory loft')")
        params["vehicle"] = case.vehicle.model_copy(update={"name": case.vehicle.name or case.id})
        if case.earth == "non_rotating":  # the quantity the case's source defines
            params["non_rotating"] = True
    params["launch"] = _launch(case, lat, lon, az)
    return params, case


def _flight_table(a: Any, title: str) -> None:
    t = Table(title=title)
    t.add_column("Quantity")
    t.add_column("Value")
    bo, im, g, la = a.burnout, a.impact, a.guidance, a.launch
    rows = [("ground range", fmt_km(a.range_km)), ("apogee", fmt_km(a.apogee_km)),
            ("flight time", f"{a.flight_time_s:,.0f} s ({a.flight_time_s / 60:.1f} min)"),
            ("burnout", f"{bo.time_s:.0f} s, {bo.altitude_km:.0f} km, {bo.speed_m_s:,.0f} m/s inertial "
                        f"({bo.speed_rel_m_s:,.0f} m/s Earth-relative), {bo.angle_deg:.1f}° above horizontal"),
            ("impact", f"{im.lat_deg:.2f}°, {im.lon_deg:.2f}° at {im.speed_m_s:,.0f} m/s"),
            ("guidance", f"vertical {g.vertical_s or 0:.1f} s, pitch-over {g.kick_deg:.2f}° over {g.kick_s:.0f} s, "
                         f"thrust tilt {g.bias_deg:+.1f}° above the velocity"),
            ("launch", f"{a.launch_site}, azimuth {la.azimuth_deg:.0f}°"),
            ("model", f"{a.earth}; {a.atmosphere}")]
    if a.published_range_km is not None:
        rows.append(("published range", fmt_interval(a.published_range_km.low, a.published_range_km.high)))
    for r in rows:
        t.add_row(*r)
    console.print(t)


def _label(a: Any) -> str:
    return a.vehicle.name or "vehicle"


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
    _plot_path(plot)
    params, _ = _vehicle(spec, case, system, calibrate_range, lat, lon, azimuth, non_rotating)
    with console.status("Flying…"):
        a = ask(trajectory_fly, as_json and plot is None, **params, burnout_angle_deg=burnout_angle,
                apogee_km=apogee_km, kick_deg=kick_deg, history=history or plot is not None)
    if a is None:
        return
    if plot is not None:
        _plot_flights(plot, [(_label(a), a.to_json())])
        if as_json:
            print_json(a.to_json())
            return
    _flight_table(a, f"Flight of {_label(a)}")
    print_stated(a)
    if plot is not None:
        console.print(f"Wrote {plot}")


@app.command("max-range")
@handle_errors
def max_range_cmd(spec: Path = SPEC, case: str = CASE, system: str = SYSTEM,
                  calibrate_range: bool = CALIB, lat: float = LAT, lon: float = LON,
                  azimuth: float = AZ,
                  optimise_bias: bool = typer.Option(True, "--optimise-bias/--kick-only",
                                                     help="Optimise the thrust tilt with the pitch-over (default), "
                                                          "or the pitch-over only (a gravity turn)."),
                  non_rotating: bool = NONROT, plot: Path = PLOT, as_json: bool = JSON) -> None:
    """Maximum range over guidance (pitch-over angle and thrust tilt), beside the catalogue's published range, with
    its launch geometry: the stated site and azimuth, a non-rotating Earth, and the best and worst azimuth."""
    _plot_path(plot)
    params, c = _vehicle(spec, case, system, calibrate_range, lat, lon, azimuth, non_rotating)
    with console.status("Searching the range-maximising guidance…"):
        a = ask(trajectory_max_range, as_json and plot is None, **params, optimise_bias=optimise_bias,
                history=plot is not None)
    if a is None:
        return
    if plot is not None:
        _plot_flights(plot, [(_label(a), a.to_json())])
        if as_json:
            print_json(a.to_json())
            return
    what = f"global reach ({fmt_km(a.range_km)}, near the antipode)" if a.global_reach else fmt_km(a.range_km)
    _flight_table(a, f"Maximum range of {_label(a)}: {what}")
    geo = a.geometry
    t = Table(title="Launch geometry")
    t.add_column("Geometry")
    t.add_column("Maximum range", justify="right")
    t.add_row(f"stated: {a.launch_site}, azimuth {a.launch.azimuth_deg:.0f}°, {a.earth}", fmt_km(geo.stated_km))
    t.add_row("same site and azimuth, non-rotating Earth", fmt_km(geo.non_rotating_km))
    t.add_row(f"best azimuth from this site ({geo.best_azimuth_deg:.0f}°), rotating", fmt_km(geo.best_km))
    t.add_row(f"worst azimuth from this site ({geo.worst_azimuth_deg:.0f}°), rotating", fmt_km(geo.worst_km))
    console.print(t)
    _print_expect(c, a.range_km, "max_range_km")
    print_stated(a)


@app.command("payload-range")
@handle_errors
def payload_range_cmd(spec: Path = SPEC, case: str = CASE, system: str = SYSTEM,
                      calibrate_range: bool = CALIB, lat: float = LAT,
                      lon: float = LON, azimuth: float = AZ,
                      payloads: str = typer.Option(None, "--payloads", help="Comma-separated payloads (kg)."),
                      non_rotating: bool = NONROT, plot: Path = PLOT, as_json: bool = JSON) -> None:
    """Maximum range for a list of payloads (default: 25 %–200 % of the vehicle's own)."""
    _plot_path(plot)
    params, _ = _vehicle(spec, case, system, calibrate_range, lat, lon, azimuth, non_rotating)
    pl = None
    if payloads:
        try:
            pl = [float(x) for x in payloads.split(",") if x.strip()]
        except ValueError:
            raise InvalidInput(f"--payloads must be comma-separated numbers of kg, not {payloads!r}") from None
    with console.status("Maximum range for each payload…"):
        a = ask(trajectory_payload_range, as_json and plot is None, **params, payloads_kg=pl)
    if a is None:
        return
    if plot is not None:
        with writing(plot):
            payload_range_figure([p.model_dump() for p in a.points], plot, title=_label(a))
        if as_json:
            print_json(a.to_json())
            return
    t = Table(title=f"Payload–range of {_label(a)}")
    t.add_column("Payload")
    t.add_column("Maximum range")
    for p in a.points:
        flag = "" if p.converged else " (not converged)"
        t.add_row(f"{p.payload_kg:,.0f} kg", fmt_km(p.range_km) + flag)
    console.print(t)
    print_stated(a)


@app.command("loft")
@handle_errors
def loft_cmd(spec: Path = SPEC, case: str = CASE,
             apogee_km: float | None = typer.Option(None, "--apogee-km", help="Observed apogee (km)."),
             range_km: float | None = typer.Option(None, "--range-km", help="Observed ground range (km)."),
             time_s: float | None = typer.Option(None, "--time-s", help="Observed flight time (s)."),
             template: str | None = typer.Option(None, "--template", help="liquid-1stage|liquid-2stage|solid-2stage|"
                                                                     "solid-3stage"),
             burnout_alt_km: float = typer.Option(250.0, "--burnout-alt-km",
                                                  help="Nominal burnout altitude (km) of the burnout-speed method."),
             burnout_band: str = typer.Option("150,350", "--burnout-band",
                                              help="Band of burnout altitudes (km), 'low,high'."),
             lat: float = LAT, lon: float = LON, azimuth: float = AZ,
             frm: str = typer.Option(None, "--from", help="Launch region: the standard range toward --to from its "
                                                          "nearest point, on the rotating Earth."),
             to: str = typer.Option(None, "--to", help="Target region."),
             rotating: bool = typer.Option(False, "--rotating",
                                           help="Rotating Earth (needs the real launch point and azimuth)."),
             as_json: bool = JSON) -> None:
    """Convert a lofted test (apogee, ground range, flight time) to a standard-trajectory range by two methods side
    by side: the burnout-speed method over a band of burnout altitudes (the headline) and the template fit over
    plausible burn times. The lofted flights are non-rotating unless --rotating; with --lat/--lon/--azimuth the
    standard range is also given toward that azimuth on the rotating Earth."""
    c = None
    if spec is not None:
        c = load_case(spec, case)
        if c.kind != "loft" or c.observed is None:
            raise InvalidInput(f"case {c.id} is a {c.kind} case, not a loft case")
        apogee_km = apogee_km if apogee_km is not None else c.observed.apogee_km
        range_km = range_km if range_km is not None else c.observed.ground_range_km
        time_s = time_s if time_s is not None else c.observed.flight_time_s
        template = template or c.template
    if apogee_km is None or range_km is None or template is None:
        raise InvalidInput("give --spec FILE --case ID, or --apogee-km, --range-km (and --time-s) with --template")
    try:
        lo_s, hi_s = (float(x) for x in burnout_band.split(","))
    except ValueError:
        raise InvalidInput(f"--burnout-band must be two numbers of km, 'low,high', not {burnout_band!r}") from None
    with console.status("Converting the lofted test (burnout-speed method and template fit)…"):
        a = ask(trajectory_loft, as_json, apogee_km=apogee_km, range_km=range_km, time_s=time_s, template=template,
                burnout_alt_km=burnout_alt_km, burnout_alt_low_km=lo_s, burnout_alt_high_km=hi_s,
                rotating=rotating, launch=_launch(c, lat, lon, azimuth), **{"from": frm, "to": to})
    if a is None:
        return
    ob = a.observed
    console.print(f"Observed: apogee {fmt_km(ob.apogee_km)}, ground range {fmt_km(ob.range_km)}"
                  + (f", flight time {ob.flight_time_s:,.0f} s" if ob.flight_time_s else ""))
    bm = a.burnout_speed
    rot = any(r.rotating_range_km is not None for r in bm.rows)
    t = Table(title="(a) Burnout-speed method: Keplerian arc through the observation → minimum-energy range")
    for col in ("burnout alt", "speed", "angle", "flight time resid.", "min-energy angle", "standard range",
                *(["rotating, toward azimuth"] if rot else [])):
        t.add_column(col, justify="right")

    def km(x: float | None, glob: bool) -> str:
        return "global reach" if glob else ("–" if x is None else fmt_km(x))

    for r in bm.rows:
        res = "–" if r.flight_time_residual_pct is None else f"{r.flight_time_residual_pct:+.1f} %"
        cells = [f"{r.burnout_alt_km:g} km", f"{r.burnout_speed_m_s:,.0f} m/s", f"{r.burnout_angle_deg:.1f}°", res,
                 "–" if r.min_energy_angle_deg is None else f"{r.min_energy_angle_deg:.1f}°",
                 km(r.standard_range_km, r.global_reach)]
        if rot:
            cells.append(km(r.rotating_range_km, r.global_reach))
        t.add_row(*cells)
    console.print(t)
    tf = a.template_fit
    t = Table(title=f"(b) Template fit ({tf.template}) over plausible burn times")
    for col in ("lift-off T/W", "burn time", "launch mass", "standard range", "flight time resid.", "in band"):
        t.add_column(col, justify="right")
    for m in tf.members:
        if not m.fitted:
            t.add_row(f"{m.liftoff_tw:.2f}", "–", "–", "no fit", "–", "no")
            continue
        res = "–" if m.flight_time_residual_pct is None else f"{m.flight_time_residual_pct:+.1f} %"
        t.add_row(f"{m.liftoff_tw:.2f}" + (" (template)" if abs(m.burn_factor - 1) < 1e-9 else ""),
                  f"{m.burn_time_s:,.0f} s", f"{m.launch_mass_kg:,.0f} kg", km(m.standard_range_km, m.global_reach),
                  res, "yes" if m.consistent else "no")
    console.print(t)
    console.print(f"[bold]Standard range: {a.headline.text}.[/]")
    if a.target is not None:
        console.print(f"[bold]{a.target.words}[/]")
    console.print(a.headline.why)
    if c is not None and c.expect is not None and c.expect.quantity == "standard_range_km":
        lo, hi = c.expect.interval()
        head = a.standard_range_km

        def where(x: float | None) -> str:
            return "global reach" if x is None else ("within" if lo <= x <= hi else "below" if x < lo else "above")

        tf_hi = None if tf.global_reach else tf.high_km
        console.print(f"Expected {fmt_km(lo)}–{fmt_km(hi)}: burnout-speed method {where(head)}; template band "
                      f"{where(tf.low_km)} at its low end, {where(tf_hi)} at its high end")
    print_stated(a)


@app.command("size")
@handle_errors
def size_cmd(range_km: float = typer.Option(None, "--range-km", help="Required range (km)."),
             payload_kg: float = typer.Option(..., "--payload-kg", help="Payload (kg)."),
             template: str | None = typer.Option(None, "--template", help="Template id (see 'trajectory "
                                                                           "templates')."),
             system: str | None = typer.Option(None, "--system", help="Scale this catalogue system instead of a "
                                                                       "template (what would a larger motor buy)."),
             calibrate_range: bool = CALIB,
             frm: str = typer.Option(None, "--from", help="Launch region: launched from its point nearest --to, "
                                                          "on the geodesic azimuth towards it (the range: the "
                                                          "distance)."),
             to: str = typer.Option(None, "--to", help="Target region."),
             cover: bool = typer.Option(False, "--cover-all", help="Size for full coverage of --to, not its "
                                                                   "nearest point."),
             as_json: bool = JSON) -> None:
    """The motor a template needs to carry PAYLOAD over RANGE (or from --from to --to): propellant, lift-off mass,
    size; and whether a vehicle that large has been reported for the launching country."""
    with console.status("Scaling the motor…"):
        a = ask(trajectory_size, as_json, payload_kg=payload_kg, template=template, system=system,
                calibrate_range=calibrate_range, range_km=range_km, frm=frm, to=to, cover_all=cover)
    if a is None:
        return
    console.print(f"[bold]{a.template}[/] scaled ×{a.scale:.2f} to carry {a.payload_kg:,.0f} kg over "
                  f"{fmt_km(a.range_km)} (achieved {fmt_km(a.achieved_range_km)}):")
    t = Table()
    t.add_column("Quantity")
    t.add_column("Value")
    t.add_row("lift-off mass", f"{a.launch_mass_kg:,.0f} kg")
    t.add_row("propellant", f"{a.propellant_mass_kg:,.0f} kg")
    t.add_row("diameter", f"{a.diameter_m:.2f} m")
    t.add_row("length", f"{a.length_m:.1f} m" if a.length_m else "— (template has no length)")
    t.add_row("template reference", f"{a.reference.vehicle}, {a.reference.launch_mass_kg:,.0f} kg")
    t.add_row("launch", f"{a.launch_site}, azimuth {a.launch.azimuth_deg:.1f}°")
    console.print(t)
    console.print(a.reported.summary)
    print_stated(a)


@app.command("montecarlo")
@handle_errors
def montecarlo_cmd(spec: Path = SPEC, case: str = CASE, system: str = SYSTEM, calibrate_range: bool = CALIB,
                   n: int = typer.Option(None, "-n", help="Number of samples (default 200)."),
                   seed: int = typer.Option(None, "--seed", help="Root seed (per-run seeds are spawned from it)."),
                   workers: int = typer.Option(1, "--workers", help="Local worker processes."),
                   scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (or 'local')."),
                   out: Path = typer.Option(None, "--out", help="Folder for the Parquet results (resumable)."),
                   chunk: int = typer.Option(500, "--chunk", min=1, help="Samples per task / Parquet part."),
                   isp_sd: float = typer.Option(None, "--isp-sd", help="Relative σ of Isp (default 0.02)."),
                   mass_sd: float = typer.Option(None, "--mass-sd", help="Relative σ of dry mass (default 0.05)."),
                   prop_sd: float = typer.Option(None, "--prop-sd", help="Relative σ of propellant (default 0.02)."),
                   drag_sd: float = typer.Option(None, "--drag-sd", help="Relative σ of drag (default 0.10)."),
                   lat: float = LAT, lon: float = LON, azimuth: float = AZ, non_rotating: bool = NONROT,
                   plot: Path = PLOT, as_json: bool = JSON) -> None:
    """Maximum-range percentiles (P5, P50, P95) over declared input distributions; identical for any --workers,
    beside the catalogue's published range."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    _plot_path(plot)
    if out is not None:
        check_output_path(out, option="--out", folder=True)
    vp, _ = _vehicle(spec, case, system, calibrate_range, lat, lon, azimuth, non_rotating)
    p = parse_params(MonteCarloParams, {**vp, "n": n, "seed": seed, "isp_sd": isp_sd, "dry_sd": mass_sd,
                                        "propellant_sd": prop_sd, "drag_sd": drag_sd})
    progress = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                        TextColumn("{task.completed}/{task.total} chunks"), TimeRemainingColumn(), console=console,
                        transient=True, disable=as_json)
    with progress:
        task = progress.add_task(f"Monte Carlo, {p.n:,} samples", total=None)

        def cb(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        a, run = montecarlo_answer(p, workers=workers, scheduler=scheduler, out_dir=out, chunk_size=chunk,
                                   progress=cb)
    if plot is not None:
        with writing(plot):
            montecarlo_figure(run.ranges_km, a.to_json(), plot, title=_label(a))
    if as_json:
        print_json(a.to_json())
        return
    console.print(f"[bold]Maximum range over {a.n:,} samples[/] (seed {a.seed}): P5 {fmt_km(a.p5_km)} · "
                  f"P50 {fmt_km(a.p50_km)} · P95 {fmt_km(a.p95_km)}  (nominal {fmt_km(a.nominal_range_km)}; "
                  f"{a.failed} failed" + (f"; {a.global_reach:,} at global reach" if a.global_reach else "") + ")")
    if a.published_range_km is not None:
        pub = a.published_range_km
        console.print(f"Published range (catalogue): {fmt_interval(pub.low, pub.high)}")
    print_stated(a)
    if run.parquet_dir is not None:
        console.print(f"Parquet results in {run.parquet_dir} ({run.chunks_resumed} chunk(s) resumed)")


@app.command("validate")
@handle_errors
def validate_cmd(spec: Path = typer.Option(..., "--spec", help="Case file with expectations."),
                 as_json: bool = JSON) -> None:
    """Run every case of a spec file and compare with its expectation (motor cases: maximum range on the Earth the
    case names; loft cases: the burnout-speed method, with the template fit's band beside it)."""
    rows: list[dict[str, Any]] = []
    cases = load_cases(spec)
    with console.status("Running the validation cases…") as status:
        for c in cases.values():
            status.update(f"Running {c.id}…")
            lau = c.launch.launch() if c.launch else Launch()
            earth = NON_ROTATING if c.earth == "non_rotating" else WGS84
            detail = ("non-rotating" if c.earth == "non_rotating" else "rotating") + (
                "" if c.launch else ", due east from the equator")
            if c.kind == "motor":
                got: float | None = max_range(c.vehicle, lau, earth=earth).flight.range_km  # type: ignore[arg-type]
            else:
                o = c.observed
                assert o is not None and c.template is not None
                a = trajectory_loft(LoftParams(apogee_km=o.apogee_km, range_km=o.ground_range_km,
                                               time_s=o.flight_time_s, template=c.template))
                got = a.standard_range_km
                tf = a.template_fit
                top = "global reach" if tf.global_reach else fmt_km(tf.high_km) if tf.high_km else "–"
                detail = (f"burnout-speed method (template fit {fmt_km(tf.low_km) if tf.low_km else '–'}–{top})")
            lo, hi = c.expect.interval() if c.expect else (-math.inf, math.inf)
            rows.append({"id": c.id, "kind": c.kind, "quantity": c.expect.quantity if c.expect else None,
                         "value_km": got, "min_km": lo, "max_km": hi,
                         "pass": bool(got is not None and lo <= got <= hi), "detail": detail})
    d = {"spec": str(spec), "cases": rows, "passed": sum(r["pass"] for r in rows), "total": len(rows)}
    if as_json:
        print_json(d)
    else:
        t = Table(title=f"Validation: {d['passed']} of {d['total']} cases pass")
        for col in ("Case", "Engine", "Expected", "", "How"):
            t.add_column(col)
        for r in rows:
            shown = "global reach" if r["value_km"] is None else fmt_km(r["value_km"])
            t.add_row(r["id"], shown, f"{fmt_km(r['min_km'])}–{fmt_km(r['max_km'])}",
                      "[green]pass[/]" if r["pass"] else "[red]fail[/]", r["detail"])
        console.print(t)
    if d["passed"] != d["total"]:
        raise typer.Exit(1)


@app.command("templates")
@handle_errors
def templates_cmd(as_json: bool = JSON) -> None:
    """The vehicle templates (generic stage stacks with sourced figures)."""
    a = ask(trajectory_templates, as_json)
    if a is None:
        return
    t = Table(title="Vehicle templates")
    for col in ("Id", "Reference vehicle", "Stages", "Lift-off mass", "Payload", "Sources"):
        t.add_column(col)
    for x in a.templates:
        t.add_row(x.id, x.reference_vehicle, str(x.stages), f"{x.launch_mass_kg:,.0f} kg", f"{x.payload_kg:,.0f} kg",
                  str(len(x.sources)))
    console.print(t)


@app.command("system")
@handle_errors
def system_cmd(name: str = typer.Argument(..., help="System name, id or alias (fuzzy)."),
               calibrate_range: bool = CALIB, as_json: bool = JSON) -> None:
    """A catalogue ballistic missile as a vehicle: template, calibration, masses, default launch site."""
    a = ask(trajectory_system, as_json, name=name, calibrate_range=calibrate_range)
    if a is None:
        return
    console.print(f"[bold]{a.name}[/] ({a.country} {a.cls}, {a.propellant}): {a.template} template, "
                  f"{len(a.vehicle.stages)} stage(s), lift-off {a.launch_mass_kg:,.0f} kg, payload "
                  f"{a.payload_kg:,.0f} kg")
    console.print(f"Published range: {fmt_interval(a.published_range_km.low, a.published_range_km.high)}")
    console.print(f"Default launch: {a.default_launch_site}, azimuth {a.default_launch.azimuth_deg:.0f}°")
    print_stated(a)


@app.command("reach")
@handle_errors
def reach_cmd(frm: str = typer.Option(..., "--from", help="Launch region."),
              to: str = typer.Option(..., "--to", help="Target region."),
              system: str = typer.Option(..., "--system", help="Catalogue ballistic system (fuzzy names)."),
              calibrate_range: bool = CALIB, as_json: bool = JSON) -> None:
    """Reach from the physics: the maximum range in every launch direction from FROM's point nearest TO."""
    with console.status("Flying every launch direction…"):
        a = ask(trajectory_reach, as_json, frm=frm, to=to, system=system, calibrate_range=calibrate_range)
    if a is None:
        return
    yes = "[green]yes[/]" if a.reaches_nearest else "[red]no[/]"
    console.print(f"[bold]{a.vehicle.name}[/] from {a.frm.name} to {a.to.name}: reaches the nearest point? {yes} "
                  f"({fmt_km(a.range_toward_nearest_km)} towards it, {fmt_km(a.nearest_km)} away)")
    console.print(f"Area in reach {a.area_fraction:.1%}, city population in reach {a.population_fraction:.1%}; "
                  f"range by azimuth {fmt_interval(a.azimuth_profile.min_km, a.azimuth_profile.max_km)}")
    print_stated(a)


def _print_expect(case: Any, value: float, quantity: str) -> None:
    """The case's expectation and whether the engine met it (when the case has one for ``quantity``)."""
    if case is None or case.expect is None or case.expect.quantity != quantity:
        return
    lo, hi = case.expect.interval()
    console.print(f"Expected {fmt_km(lo)}–{fmt_km(hi)}: " + ("[green]pass[/]" if lo <= value <= hi else "[red]fail[/]"))


def _plot_flights(path: Path, flights: list[tuple[str, dict[str, Any]]]) -> None:
    with writing(path):
        trajectory_figure(flights, path)
