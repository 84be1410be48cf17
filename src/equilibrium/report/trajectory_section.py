"""The brief's trajectory section for the South Asia case: what the physics says about Pakistani reach.

Four parts, every number from :mod:`equilibrium.trajectory`, :mod:`equilibrium.geo.distance` or the catalogue:

1. the Shaheen-II as catalogued (launch mass, payload) flown by the engine from Pakistan's launch point nearest
   each target, towards the Andaman and Nicobar Islands (east) and towards the contiguous United States;
2. :func:`~equilibrium.trajectory.size` of the ``solid-2stage`` and ``solid-3stage`` templates for the
   Pakistan → contiguous US nearest distance, against Pakistan's catalogued systems;
3. the development validation cases (``shared/validation/trajectory_dev.yaml``), when the file is present;
4. the model statement and its limits.

The flights take about a minute of CPU time; they run on up to two worker processes and are cached per
process (keyed on their inputs), so building the brief twice in one process computes them once.
Units: km, kg, s, deg, m.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from markupsafe import Markup

from equilibrium.errors import EquilibriumError, NotFound
from equilibrium.geo import distance as geo_distance
from equilibrium.questions.trajectory import LoftParams, trajectory_loft, trajectory_size
from equilibrium.report.context import GEODESIC_SOURCE_ID, BriefContext, Section, km, render_template
from equilibrium.report.context import unverified_badge as _unverified_badge
from equilibrium.report.trajectory_figures import payload_range_figure
from equilibrium.trajectory import (
    WGS84,
    Guidance,
    Launch,
    NotConverged,
    fly,
    get_template,
    load_case,
    load_cases,
    max_range,
    payload_range,
    system_vehicle,
)
from equilibrium.trajectory.design import size_vehicle
from equilibrium.trajectory.earth import NON_ROTATING

SYSTEM = "Shaheen-II"
"""The catalogue system flown in part 1."""

PAYLOADS_KG: tuple[float, ...] = (250.0, 500.0, 750.0, 1000.0, 1230.0, 1500.0, 2000.0)
"""Payloads (kg) of the payload–range curve towards the contiguous United States."""

SIZING_TEMPLATES = ("solid-2stage", "solid-3stage")
SIZING_PAYLOAD_KG = 1000.0
"""Payload (kg) of the sizing question: the Shaheen-II's lower catalogue payload."""

EAST, US = "IND:andaman-nicobar", "USA:conus"
REFERENCES: tuple[tuple[str, str], ...] = (
    ("IND:andaman-nicobar", "Andaman & Nicobar, nearest"),
    ("USA:alaska", "Alaska, nearest"),
    ("USA:conus", "contiguous US, nearest"),
)
"""Reference distances drawn on the payload–range figure: (TO region spec, label), FROM Pakistan."""

SHORT_NAMES = {"USA:conus": "Contiguous US", "IND:andaman-nicobar": "Andaman and Nicobar Is.", "USA:alaska": "Alaska"}
"""Names of the targets in the motor table (the full names are long)."""

MODEL_SOURCE_IDS = ("nga-wgs84", "forden-2007-gmf")
"""Sources of the model statement: the WGS-84 constants and the Cd(Mach) table."""

VALIDATION_ENV = "EQUILIBRIUM_VALIDATION_SPEC"
VALIDATION_FILE = Path("..") / "shared" / "validation" / "trajectory_dev.yaml"
"""The development cases, relative to the repository root (overridden by ``$EQUILIBRIUM_VALIDATION_SPEC``)."""

NON_ROTATING_NAME = NON_ROTATING.name
"""Loft cases are fitted on a non-rotating Earth (the observations are reported without the launch azimuth)."""


def kg(x: float) -> str:
    """``23,600 kg``-style text (rounded to 10 kg above 10 t, else to the kg)."""
    return f"{round(x, -1) if x >= 10_000 else x:,.0f} kg"


# --- computations (module-level functions so that worker processes can run them) ------------------------------


def _job_system(name: str, lat: float, lon: float, az: float, payloads: tuple[float, ...],
                record_payload: float) -> dict[str, Any]:
    """Payload–range of catalogue system ``name`` from (lat, lon) towards azimuth ``az`` (deg), and the
    range-maximising flight (apogee, flight time) with ``record_payload`` (kg)."""
    sv = system_vehicle(name)
    launch = Launch(lat, lon, az)
    points = payload_range(sv.vehicle, list(payloads), launch)
    best = next(p for p in points if abs(p["payload_kg"] - record_payload) < 1e-6)
    flight = fly(sv.vehicle.with_payload(record_payload), launch,
                 Guidance(kick_deg=float(best["kick_deg"]))).to_dict()
    return {"system": sv.to_dict(), "launch_mass_kg": sv.vehicle.launch_mass_kg, "points": points,
            "flight": flight}


def _job_size(template_id: str, frm: str, to: str, payload_kg: float) -> dict[str, Any]:
    """The ``trajectory.size`` answer for ``template_id`` carrying ``payload_kg`` from ``frm`` to ``to`` (launched from
    FROM's point nearest TO on the geodesic azimuth: the CLI's and the API's geometry)."""
    d = trajectory_size(payload_kg=payload_kg, template=template_id, frm=frm, to=to).to_json()
    d["template_name"] = get_template(template_id).name
    return d


def _job_calibrated(name: str, lat: float, lon: float, az: float, range_km: float,
                    payload_kg: float) -> dict[str, Any]:
    """Catalogue system ``name`` with its efficiency calibrated to its published mass and range: its maximum range
    from (lat, lon) towards ``az`` (deg), and the motor of the same efficiency that would carry ``payload_kg`` (kg)
    over ``range_km`` (km), or why none does."""
    sv = system_vehicle(name, calibrate_range=True)
    launch = Launch(lat, lon, az)
    out: dict[str, Any] = {"isp_factor": sv.isp_factor, "calibration": sv.calibration,
                           "range_towards_km": max_range(sv.vehicle, launch).flight.range_km,
                           "sizing": None, "sizing_error": None}
    try:
        z = size_vehicle(sv.vehicle.with_payload(payload_kg), range_km, label=f"{name} at its calibrated efficiency",
                         launch=launch)
        out["sizing"] = {"launch_mass_kg": z.launch_mass_kg, "scale": z.scale}
    except NotConverged as exc:
        out["sizing_error"] = exc.message
    return out


def _job_case(path: str, case_id: str) -> dict[str, Any]:
    """Engine result of validation case ``case_id`` of ``path``: motor cases by maximum range (launch of the case,
    default due east from the equator), loft cases by the standard range of the fitted template on a
    non-rotating Earth."""
    c = load_case(path, case_id)
    assert c.expect is not None
    lo, hi = c.expect.interval()
    out: dict[str, Any] = {"id": c.id, "name": c.name or c.id, "kind": c.kind, "quantity": c.expect.quantity,
                           "low": lo, "high": hi, "sources": list(c.sources), "result": None, "error": None,
                           "detail": ""}
    try:
        if c.kind == "motor":
            assert c.vehicle is not None
            la = c.launch
            launch = la.launch() if la else Launch(0.0, 0.0, 90.0)
            res = max_range(c.vehicle, launch, earth=NON_ROTATING if c.earth == "non_rotating" else WGS84).flight
            out["result"] = {"max_range_km": res.range_km, "range_km": res.range_km, "apogee_km": res.apogee_km,
                             "flight_time_s": res.flight_time_s}.get(c.expect.quantity)
            out["detail"] = ("maximum range, due east from the equator" if la is None else "maximum range") + \
                (", non-rotating Earth" if c.earth == "non_rotating" else "")
        else:
            assert c.observed is not None and c.template is not None
            o = c.observed
            a = trajectory_loft(LoftParams(apogee_km=o.apogee_km, range_km=o.ground_range_km,
                                           time_s=o.flight_time_s, template=c.template))
            out["result"] = a.standard_range_km
            tf = a.template_fit
            band = ("global reach" if tf.global_reach and tf.low_km is None else
                    f"{tf.low_km:,.0f} km to global reach" if tf.global_reach else
                    f"{tf.low_km:,.0f}–{tf.high_km:,.0f} km" if tf.low_km is not None else "no fit")
            out["detail"] = (f"burnout-speed method, burnout at 250 km, non-rotating (headline); the {c.template} "
                             f"template fit over plausible burn times gives {band}")
    except EquilibriumError as exc:
        out["error"] = exc.message
    return out


_CACHE: dict[tuple[Any, ...], Any] = {}


def _workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _run(jobs: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """Results of ``fn(*args)`` for every job, cached per process; missing ones run on up to two workers."""
    keys = [(fn.__name__, *args) for fn, args in jobs]
    todo = [(k, fn, args) for k, (fn, args) in zip(keys, jobs, strict=True) if k not in _CACHE]
    if len(todo) > 1 and _workers() > 1:
        try:
            with ProcessPoolExecutor(max_workers=_workers(), mp_context=multiprocessing.get_context("fork")) as ex:
                futs = [(k, ex.submit(fn, *args)) for k, fn, args in todo]
                for k, fut in futs:
                    _CACHE[k] = fut.result()
        except (OSError, ValueError, RuntimeError, ImportError):  # no fork or no pool: run here instead
            pass
    for k, fn, args in todo:
        if k not in _CACHE:
            _CACHE[k] = fn(*args)
    return [_CACHE[k] for k in keys]


def validation_spec() -> Path | None:
    """The development validation file: ``$EQUILIBRIUM_VALIDATION_SPEC``, else ``../shared/validation/
    trajectory_dev.yaml`` from the repository root (or the working directory); ``None`` when absent."""
    env = os.environ.get(VALIDATION_ENV)
    if env:
        p = Path(env)
        return p if p.is_file() else None
    for root in (Path(__file__).resolve().parents[3], Path.cwd()):
        p = (root / VALIDATION_FILE).resolve()
        if p.is_file():
            return p
    return None


# --- the section ---------------------------------------------------------------------------------------------------


@dataclass
class Target:
    """Pakistan → a target region: nearest distance (km), the launch point nearest it and the azimuth (deg)."""

    spec: str
    name: str
    nearest_km: float
    lat: float
    lon: float
    azimuth_deg: float
    cite: Markup
    source_ids: list[str]


@dataclass
class Shaheen:
    """Part 1 results for one direction."""

    target: Target
    points: list[dict[str, Any]]
    flight: dict[str, Any]
    launch_mass_kg: float

    def range_at(self, payload_kg: float) -> float:
        """Maximum range (km) with ``payload_kg`` (one of the computed payloads)."""
        return next(float(p["range_km"]) for p in self.points if abs(p["payload_kg"] - payload_kg) < 1e-6)


@dataclass
class Parts:
    """Everything the template shows."""

    targets: dict[str, Target]
    system: Any = None
    directions: list[Shaheen] = field(default_factory=list)
    sizings: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    spec: Path | None = None
    calibrated: dict[str, Any] | None = None


def _target(ctx: BriefContext, spec: str) -> Target:
    d = geo_distance.distance("PAK", spec).to_dict()
    (lat0, lon0), (lat1, lon1) = d["nearest_points"]["from"], d["nearest_points"]["to"]
    az, _, _ = WGS84.geod().inv(lon0, lat0, lon1, lat1)
    ids = ctx.note_boundary(d.get("boundary")) + [GEODESIC_SOURCE_ID]
    return Target(spec=spec, name=d["to"]["name"], nearest_km=float(d["nearest_km"]), lat=float(lat0),
                  lon=float(lon0), azimuth_deg=float(az) % 360.0, cite=ctx.cite(ids),
                  source_ids=ids)


def _pak_systems(ctx: BriefContext) -> list[Any]:
    return [s for s in ctx.catalog if s.country == "PAK" and s.cls in ("SRBM", "MRBM", "IRBM", "ICBM", "CRBM")]


def _cv(ctx: BriefContext, v: Any, unit: str, fmt: Callable[[float], str] | None = None) -> Markup:
    """A catalogue value as ``1,500–2,000 km[n]`` with its citations (unverified badge when no figure is checked);
    two point figures from different sources as ``1,000[a]–1,230 kg[b]``."""
    fmt = fmt or (lambda x: f"{x:,.0f}")
    figs = v.figures()
    badge = _unverified_badge() if v.all_unverified else Markup("")
    if len(figs) == 2 and all(f.value is not None for f in figs) and figs[0].value != figs[1].value:
        a, b = sorted(figs, key=lambda f: f.value)
        return (Markup("{}").format(fmt(a.value)) + ctx.cite(a.sources) + Markup("–{} {}").format(fmt(b.value), unit)
                + ctx.cite(b.sources) + (_unverified_badge() if b.unverified and not v.all_unverified else badge))
    text = f"{fmt(v.low)}–{fmt(v.high)}" if v.high - v.low >= 0.05 else fmt(v.nominal)
    return Markup("{} {}").format(text, unit) + ctx.cite(v.source_ids()) + badge


def _figures(ctx: BriefContext, parts: Parts, input_cite: Markup) -> list[Markup]:
    if not ctx.figures or not parts.directions:
        return []
    us = next(d for d in parts.directions if d.target.spec == US)
    refs = [(label, parts.targets[spec].nearest_km) for spec, label in REFERENCES if spec in parts.targets]
    png = payload_range_figure(us.points, title=f"{SYSTEM} as catalogued, towards the contiguous US",
                               reference_km=refs)
    ref_cite = ctx.cite([i for s, _ in REFERENCES if s in parts.targets for i in parts.targets[s].source_ids])
    figs = [ctx.figure(png, f"Payload–range of the {SYSTEM} model", Markup(
        "Payload–range of the {} model (the motor fixed, payload varied), launched from {} towards the "
        "contiguous United States (azimuth {:.0f}°). Inputs").format(SYSTEM, _place(us.target),
                                                                      us.target.azimuth_deg)
        + input_cite + Markup("; dashed lines: nearest distances from Pakistan") + ref_cite
        + Markup(", whatever their direction."))]
    return figs


def _place(t: Target) -> str:
    return f"{abs(t.lat):.1f}°{'N' if t.lat >= 0 else 'S'} {abs(t.lon):.1f}°{'E' if t.lon >= 0 else 'W'}"


def _compute(ctx: BriefContext) -> Parts:
    specs = [s for s, _ in REFERENCES]
    targets = {s: _target(ctx, s) for s in specs}
    parts = Parts(targets=targets, spec=validation_spec())
    try:
        parts.system = ctx.catalog.find(SYSTEM)
    except NotFound:
        parts.system = None
    east, us = targets[EAST], targets[US]
    jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
        (_job_size, (tid, "PAK", US, SIZING_PAYLOAD_KG))
        for tid in SIZING_TEMPLATES]
    record = None
    if parts.system is not None and parts.system.payload is not None:
        record = float(parts.system.payload.high)
        pl_us = tuple(sorted({*PAYLOADS_KG, float(parts.system.payload.low), record}))
        pl_east = tuple(sorted({float(parts.system.payload.low), record}))
        jobs += [(_job_system, (SYSTEM, us.lat, us.lon, us.azimuth_deg, pl_us, record)),
                 (_job_system, (SYSTEM, east.lat, east.lon, east.azimuth_deg, pl_east, record))]
    calibrate = parts.system is not None and parts.system.launch_mass is not None
    if calibrate:
        jobs += [(_job_calibrated, (SYSTEM, us.lat, us.lon, us.azimuth_deg, us.nearest_km, SIZING_PAYLOAD_KG))]
    if parts.spec is not None:
        jobs += [(_job_case, (str(parts.spec), cid)) for cid in load_cases(parts.spec)]
    results = _run(jobs)
    parts.sizings = results[:len(SIZING_TEMPLATES)]
    rest = results[len(SIZING_TEMPLATES):]
    if record is not None:
        for tgt, res in ((us, rest[0]), (east, rest[1])):
            flight = dict(res["flight"], _payload_kg=record)
            parts.directions.append(Shaheen(target=tgt, points=res["points"], flight=flight,
                                            launch_mass_kg=float(res["launch_mass_kg"])))
        rest = rest[2:]
    if calibrate:
        parts.calibrated, rest = rest[0], rest[1:]
    parts.cases = list(rest)
    return parts


def _gap(dist_km: float, range_km: float) -> Markup:
    """``<strong>1,234 km</strong> short of`` / ``beyond`` for a range against a distance."""
    g = dist_km - range_km
    return Markup("<strong>{}</strong> {}").format(km(abs(g)), "short of" if g > 0 else "beyond")


def _finding_motor(ctx: BriefContext, parts: Parts, cat: dict[str, Markup], input_cite: Markup,
                   t2_cite: Markup) -> Markup:
    s = parts.system
    if s is None or not parts.directions:
        return Markup("The catalogue holds no {} with a published payload, so no catalogued motor is flown here.") \
            .format(SYSTEM)
    us = next(d for d in parts.directions if d.target.spec == US)
    east = next(d for d in parts.directions if d.target.spec == EAST)
    lo, hi = float(s.payload.low), float(s.payload.high)
    r_hi, r_lo = us.range_at(hi), us.range_at(lo)
    cat_hi = float(s.range.high)
    out = [Markup("With the heavier catalogue payload ({}) the model flies <strong>{}</strong> towards the contiguous "
                  "United States").format(kg(hi), km(r_hi)) + input_cite
           + Markup(", about {:.1f} times the longest published range of the {} ({}").format(
               r_hi / cat_hi, SYSTEM, km(cat_hi)) + ctx.cite(s.range.source_ids())
           + Markup("). The published interval, {}, is what sources say of the fielded missile; the gap measures how "
                    "far the Minuteman-derived stack (and the unverified launch mass) overstate it.").format(
               cat.get("range", "")),
           Markup("Even so, the model falls {} the nearest point of the contiguous United States ({}").format(
               _gap(us.target.nearest_km, r_hi), km(us.target.nearest_km)) + us.target.cite
           + Markup(") with {}, and {} it with {} ({}").format(kg(hi), _gap(us.target.nearest_km, r_lo), kg(lo),
                                                             km(r_lo)) + input_cite + Markup(").")]
    light = min(us.points, key=lambda p: p["payload_kg"])
    out.append(Markup("With {}, {:.0%} of the lightest catalogued payload, it flies {}").format(
        kg(light["payload_kg"]), light["payload_kg"] / lo, km(light["range_km"])) + input_cite + Markup(
        ", {} the contiguous United States.").format(_gap(us.target.nearest_km, light["range_km"])))
    e_hi = east.range_at(hi)
    ak = parts.targets.get("USA:alaska")
    if ak is not None:
        out.append(Markup("Alaska's nearest point ({}").format(km(ak.nearest_km)) + ak.cite + Markup(
            ") is also out of reach: the longest range the model gives with {} in either direction flown, {}, "
            "falls {} it.").format(kg(hi), km(max(r_hi, e_hi)), _gap(ak.nearest_km, max(r_hi, e_hi))))
    verdict = "reach" if cat_hi >= east.target.nearest_km else "do not reach"
    out.append(Markup("Eastwards, towards the Andaman and Nicobar Islands (nearest point {}").format(
        km(east.target.nearest_km)) + east.target.cite + Markup(
        "), the model reaches {} with {}").format(km(e_hi), kg(hi)) + input_cite + Markup(
        ", {} that distance, whereas the {}'s published figures ({}) {} it.").format(
        _gap(east.target.nearest_km, e_hi), SYSTEM, km(cat_hi), verdict))
    return Markup(" ").join(out)


def _finding_size(ctx: BriefContext, parts: Parts, heaviest: Any, longest: Any, pak: list[Any]) -> Markup:
    if not parts.sizings:
        return Markup("")
    us = parts.targets[US]
    by = {z["template"]: z for z in parts.sizings}
    out = []
    small = min(parts.sizings, key=lambda z: z["launch_mass_kg"])
    if heaviest is not None:
        out.append(Markup("The smallest of these, the three-stage design at {}").format(kg(small["launch_mass_kg"]))
                   + _template_cite(ctx, small["template"])
                   + Markup(", is {:.1f} times the heaviest launch mass published for any catalogued Pakistani "
                            "system, the {}'s {}").format(small["launch_mass_kg"] / heaviest.launch_mass.high,
                                                        heaviest.name, kg(heaviest.launch_mass.high))
                   + ctx.cite(heaviest.launch_mass.source_ids()) + Markup("."))
    if "solid-2stage" in by:
        z = by["solid-2stage"]
        out.append(Markup("Kept to two stages, the motor would have to be {:.1f} times the template, {} at lift-off "
                          "and about {:.1f} m across").format(z["scale"], kg(z["launch_mass_kg"]), z["diameter_m"])
                   + _template_cite(ctx, "solid-2stage") + Markup("."))
    if longest is not None:
        n_reach = sum(1 for x in pak if x.range.high >= us.nearest_km)
        out.append(Markup("The longest range published for a catalogued Pakistani ballistic missile is {} ({})")
                   .format(km(longest.range.high), longest.name) + ctx.cite(longest.range.source_ids())
                   + Markup("; {} of the {} catalogued Pakistani ballistic systems reaches {}").format(
                       "none" if n_reach == 0 else n_reach, len(pak), km(us.nearest_km))
                   + us.cite + Markup(" on any source's figure."))
    cal = parts.calibrated
    if cal is not None and parts.system is not None:
        s = parts.system
        head = (Markup("Calibrated instead to what the {} is published to do, its lift-off mass ({}) flying its "
                       "nominal published range ({}), the template's specific impulse must be multiplied by {:.2f}")
                .format(s.name, kg(s.launch_mass.nominal), km(s.range.nominal), cal["isp_factor"])
                + ctx.cite(s.launch_mass.source_ids() + s.range.source_ids()) + _template_cite(ctx, "solid-2stage")
                + Markup(", a stand-in for its real structure, propellant and nozzles; towards the contiguous "
                         "United States that motor flies {}.").format(km(cal["range_towards_km"])))
        if cal["sizing"] is not None:
            tail = Markup(" A motor of that efficiency would need {} at lift-off ({:.1f} times the {}) to carry {} "
                          "to {}.").format(kg(cal["sizing"]["launch_mass_kg"]), cal["sizing"]["scale"], s.name,
                                          kg(SIZING_PAYLOAD_KG), km(us.nearest_km))
        else:
            tail = Markup(" At that efficiency no two-stage motor of any size (up to 50 times the {}) carries {} to "
                          "{}: the motor would have to be better, not only larger.").format(
                              s.name, kg(SIZING_PAYLOAD_KG), km(us.nearest_km))
        out.append(head + tail)
    return Markup(" ").join(out)


def _template_cite(ctx: BriefContext, template_id: str) -> Markup:
    return ctx.cite(get_template(template_id).source_ids())


def trajectory_section(ctx: BriefContext) -> Section:
    """Build the trajectory section (Shaheen-II flown by the physics, sizing for the contiguous US, validation,
    model statement)."""
    parts = _compute(ctx)
    s = parts.system
    sys_ids: list[str] = []
    cat: dict[str, Markup] = {}
    if s is not None:
        for v in (s.launch_mass, s.payload):
            if v is not None:
                sys_ids += v.source_ids()
        for key, unit in (("launch_mass", "kg"), ("payload", "kg"), ("range", "km"), ("diameter", "m"),
                          ("length", "m")):
            v = getattr(s, key)
            if v is not None:
                cat[key] = _cv(ctx, v, unit, (lambda x: f"{x:,.1f}") if unit == "m" else None)
    t2 = get_template("solid-2stage")
    t2_cite = ctx.cite(t2.source_ids())
    input_cite = ctx.cite(sys_ids + t2.source_ids())
    pak = _pak_systems(ctx)
    longest = max(pak, key=lambda x: (x.range.high, x.range.nominal), default=None)
    heaviest = max((x for x in pak if x.launch_mass is not None), key=lambda x: x.launch_mass.high, default=None)
    findings = [("What does a motor of the Shaheen-II's size give?",
                 _finding_motor(ctx, parts, cat, input_cite, t2_cite)),
                ("What would the contiguous United States require?",
                 _finding_size(ctx, parts, heaviest, longest, pak))]
    sizings = [{**z, "cite": _template_cite(ctx, z["template"])} for z in parts.sizings]
    others = [x for x in (ctx.catalog.find(n) for n in ("Shaheen-II", "Shaheen-III") if _has(ctx, n))]
    comparison = [{"name": x.name, "launch_mass": _cv(ctx, x.launch_mass, "kg") if x.launch_mass else None,
                   "diameter": _cv(ctx, x.diameter, "m", lambda v: f"{v:,.1f}") if x.diameter else None,
                   "length": _cv(ctx, x.length, "m", lambda v: f"{v:,.1f}") if x.length else None,
                   "range": _cv(ctx, x.range, "km")} for x in others]
    cases = parts.cases
    for c in cases:
        c["passed"] = c["result"] is not None and c["low"] <= c["result"] <= c["high"]
    try:
        ussa = metadata.version("ussa1976")
    except metadata.PackageNotFoundError:
        ussa = "not installed"
    body = render_template(
        "sections/trajectory.html.j2", system=s, system_name=SYSTEM, cat=cat, input_cite=input_cite, t2=t2,
        t2_cite=t2_cite, t3_cite=_template_cite(ctx, "solid-3stage"), directions=parts.directions,
        payloads=_payload_columns(s), findings=findings, figures=_figures(ctx, parts, input_cite), us=parts.targets[US],
        sizings=sizings, sizing_payload=SIZING_PAYLOAD_KG, sizing_payload_cite=_payload_cite(ctx, s),
        comparison=comparison, cases=cases, n_pass=sum(1 for c in cases if c["passed"]), spec=parts.spec,
        spec_env=VALIDATION_ENV, model_cite=ctx.cite(MODEL_SOURCE_IDS), wgs_cite=ctx.cite(["nga-wgs84"]),
        cd_cite=ctx.cite(["forden-2007-gmf"]), ussa=ussa, non_rotating=NON_ROTATING_NAME, km=km, kg=kg,
        place=_place, short=SHORT_NAMES, unverified=_unverified_badge())
    return Section(title="Trajectories: what the physics says about Pakistani reach", html=body, id="trajectory",
                   summary="A Shaheen-class motor flown by the trajectory engine, the motor the contiguous United "
                           "States would need, and how far to trust the engine.")


def _has(ctx: BriefContext, name: str) -> bool:
    try:
        ctx.catalog.find(name)
    except NotFound:
        return False
    return True


def _payload_columns(s: Any) -> list[float]:
    if s is None or s.payload is None:
        return []
    return sorted({float(s.payload.low), float(s.payload.high)})


def _payload_cite(ctx: BriefContext, s: Any) -> Markup:
    """Citation of the catalogue figure giving the sizing payload (all payload sources if none equals it)."""
    if s is None or s.payload is None:
        return Markup("")
    ids = [i for f in s.payload.figures() if f.value == SIZING_PAYLOAD_KG for i in f.sources]
    return ctx.cite(ids or s.payload.source_ids())
