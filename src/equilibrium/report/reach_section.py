"""The brief's reach section for the South Asia case: Pakistan ↔ India ↔ China and Pakistan → United States.

Every number comes from the reach questions (:mod:`equilibrium.questions.reach`: distances, coverage, verdicts) or the
catalogue's cited ranges; the prose only arranges them. Distances in km.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from equilibrium.errors import NotFound
from equilibrium.questions.reach import reach_coverage, reach_systems
from equilibrium.report.context import GEODESIC_SOURCE_ID, BriefContext, Section, km, render_template
from equilibrium.report.context import unverified_badge as _unverified_badge

PAIRS: tuple[tuple[str, str], ...] = (
    ("PAK", "IND"),
    ("PAK", "IND:mainland"),
    ("PAK", "IND:andaman-nicobar"),
    ("PAK", "USA:conus"),
    ("PAK", "USA:alaska"),
    ("PAK", "USA:guam"),
    ("IND", "PAK"),
    ("IND", "CHN"),
    ("CHN", "IND"),
)
"""(FROM, TO) region specs of the reach tables, in display order."""

PAK_MAP_SYSTEMS = ("Shaheen-III", "Ababeel", "Ghauri")
"""Systems drawn on the Pakistan → India map (those present in the catalogue)."""

CITY_SOURCE_ID = "geonames-cities"
VERDICT_TEXT = {"yes": "yes", "no": "no", "depends-on-source": "depends on source"}


@dataclass
class Figure:
    """One source's range figure as shown: text (km), its citation markup, unverified flag."""

    text: str
    cite: Markup
    unverified: bool
    note: str | None = None


@dataclass
class SystemRow:
    """A catalogue system against one target: range interval, per-source figures and the two verdicts."""

    id: str
    name: str
    cls: str
    status: str | None
    low: float
    high: float
    nominal: float
    unverified: bool
    figures: list[Figure]
    reaches_nearest: str
    covers_all: str
    values: list[dict[str, Any]] = field(default_factory=list)

    @property
    def range_text(self) -> str:
        """``2,750 km`` or ``1,500 km (1,500–2,000)``."""
        t = f"{self.nominal:,.0f} km"
        if self.high - self.low >= 1:
            t += f" ({self.low:,.0f}–{self.high:,.0f})"
        return t


@dataclass
class Pair:
    """Reach results for one (FROM, TO) pair."""

    frm: dict[str, Any]
    to: dict[str, Any]
    nearest_km: float
    full_coverage_km: float
    single_site_km: float
    boundary_cite: Markup
    systems: list[SystemRow]
    catalogued: bool

    @property
    def key(self) -> str:
        """``PAK→USA:conus``."""
        return f"{self.frm['spec']}→{self.to['spec']}"

    def count(self, what: str, verdict: str) -> int:
        """How many systems have ``verdict`` for ``what`` (``reaches_nearest`` or ``covers_all``)."""
        return sum(1 for s in self.systems if getattr(s, what) == verdict)

    def names(self, what: str, verdict: str) -> list[SystemRow]:
        """Systems with ``verdict`` for ``what``."""
        return [s for s in self.systems if getattr(s, what) == verdict]

    def longest(self) -> SystemRow | None:
        """The system with the highest range figure (ties: higher nominal)."""
        return max(self.systems, key=lambda s: (s.high, s.nominal), default=None)


def _figure_text(v: dict[str, Any]) -> str:
    if v.get("value") is not None:
        return f"{v['value']:,.0f}"
    lo, hi = v.get("min"), v.get("max")
    if lo is not None and hi is not None:
        return f"{lo:,.0f}–{hi:,.0f}"
    return f"≥ {lo:,.0f}" if lo is not None else f"≤ {hi:,.0f}"


def _system_row(ctx: BriefContext, r: dict[str, Any]) -> SystemRow:
    rng = r["range_km"]
    figs = [Figure(text=_figure_text(v), cite=ctx.cite(v.get("sources") or ()), unverified=bool(v.get("unverified")),
                   note=v.get("note")) for v in rng.get("values") or ()]
    return SystemRow(id=r["id"], name=r["name"], cls=r.get("class", ""), status=r.get("status"),
                     low=float(rng["low"]), high=float(rng["high"]), nominal=float(rng["nominal"]),
                     unverified=bool(rng.get("unverified")), figures=figs, reaches_nearest=r["reaches_nearest"],
                     covers_all=r["covers_all"], values=list(rng.get("values") or ()))


def _pair(ctx: BriefContext, frm: str, to: str) -> Pair:
    """FROM → TO from the ``reach.systems`` question (distances, boundary set, the catalogue's verdicts)."""
    res = reach_systems({"from": frm, "to": to}).to_json()
    known = {s.id for s in ctx.catalog}  # the brief's catalogue (a test may pass a smaller one)
    res["systems"] = [r for r in res["systems"] if r["id"] in known]
    catalogued = True
    ids = ctx.note_boundary(res.get("boundary")) + [GEODESIC_SOURCE_ID]
    rows = [_system_row(ctx, r) for r in res.get("systems") or ()]
    rows.sort(key=lambda s: (-s.nominal, s.name))
    return Pair(frm=res["from"], to=res["to"], nearest_km=float(res["nearest_km"]),
                full_coverage_km=float(res["full_coverage_km"]), single_site_km=float(res["single_site_km"]),
                boundary_cite=ctx.cite(ids), systems=rows, catalogued=catalogued and bool(rows))


def _high_cite(ctx: BriefContext, s: SystemRow) -> Markup:
    """Citation (and unverified badge) for the figure(s) giving a system's highest range."""
    ids: list[str] = []
    unverified = True
    for v in s.values:
        hi = max(x for x in (v.get("value"), v.get("min"), v.get("max")) if x is not None)
        if abs(hi - s.high) < 0.5:
            ids.extend(v.get("sources") or ())
            unverified = unverified and bool(v.get("unverified"))
    return ctx.cite(ids) + (_unverified_badge() if ids and unverified else Markup(""))


def _list_systems(rows: list[SystemRow]) -> Markup:
    if not rows:
        return Markup("none")
    return Markup(", ").join(
        Markup("{} ({:,.0f} km{})").format(s.name, s.nominal, f"; {s.low:,.0f}–{s.high:,.0f} over sources"
                                          if s.high - s.low >= 1 else "") for s in rows)


def _finding_usa(ctx: BriefContext, pairs: dict[str, Pair]) -> Markup:
    conus = pairs["PAK→USA:conus"]
    parts = [Markup("The nearest point of the contiguous United States lies <strong>{}</strong> from Pakistan's "
                    "territory").format(km(conus.nearest_km)) + conus.boundary_cite + Markup(".")]
    top = conus.longest()
    if top is None:
        parts.append(Markup("The catalogue holds no Pakistani systems, so no range can be compared with it."))
        return Markup(" ").join(parts)
    gap = conus.nearest_km - top.high
    verb = "short of" if gap > 0 else "beyond"
    parts.append(Markup("The longest range any source gives for a catalogued Pakistani system is {} ({})")
                 .format(km(top.high), top.name) + _high_cite(ctx, top)
                 + Markup(", <strong>{}</strong> {} that distance.").format(km(abs(gap)), verb))
    yes, dep = conus.count("reaches_nearest", "yes"), conus.count("reaches_nearest", "depends-on-source")
    n = len(conus.systems)
    if yes == 0 and dep == 0:
        parts.append(Markup("None of the {} catalogued Pakistani systems reaches it on any source's figure.")
                     .format(n))
    else:
        parts.append(Markup("Of the {} catalogued Pakistani systems, {} reach it on every source's figure and {} "
                            "on some sources' figures only.").format(n, yes, dep))
    others = []
    for key in ("PAK→USA:alaska", "PAK→USA:guam"):
        p = pairs.get(key)
        if p is not None:
            g = p.nearest_km - top.high
            others.append(Markup("{}: nearest {}{} ({} {} the longest range)").format(
                p.to["name"], km(p.nearest_km), p.boundary_cite, km(abs(g)), "short of" if g > 0 else "beyond"))
    if others:
        parts.append(Markup("Other US territory: ") + Markup("; ").join(others) + Markup("."))
    return Markup(" ").join(parts)


def _finding_india(ctx: BriefContext, pairs: dict[str, Pair]) -> Markup:
    ind, an = pairs["PAK→IND"], pairs["PAK→IND:andaman-nicobar"]
    parts = [Markup("Every point of India lies within <strong>{}</strong> of Pakistan's territory (the "
                    "full-coverage distance)").format(km(ind.full_coverage_km)) + ind.boundary_cite + Markup(".")]
    if not ind.systems:
        parts.append(Markup("The catalogue holds no Pakistani systems to compare with it."))
    else:
        parts.append(Markup("Catalogued Pakistani systems covering all of it on every source's figure: {}; on some "
                            "sources' figures only: {}.").format(_list_systems(ind.names("covers_all", "yes")),
                                                                 _list_systems(ind.names("covers_all",
                                                                                         "depends-on-source"))))
        top = max(ind.systems, key=lambda s: (s.nominal, s.high))
        try:
            cov = reach_coverage({"from": "PAK", "to": "IND", "range_km": top.nominal}).to_json()
            ctx.note_boundary(cov.get("boundary"))
            parts.append(Markup("At {}'s nominal {}, {:.1%} of India's area and {:.1%} of the population of its "
                                "GeoNames cities are within range").format(
                top.name, km(top.nominal), cov["area_fraction"], cov["population_fraction"])
                + ctx.cite([CITY_SOURCE_ID]) + Markup("."))
        except Exception:  # noqa: BLE001 - coverage is an extra; the finding stands without it
            pass
    main = pairs.get("PAK→IND:mainland")
    if main is not None:
        parts.append(Markup("For mainland India (islands excluded) the full-coverage distance is {}").format(
            km(main.full_coverage_km)) + main.boundary_cite + Markup(
            "; systems covering all of it on every source's figure: {}; on some sources' figures only: {}.").format(
            _list_systems(main.names("covers_all", "yes")),
            _list_systems(main.names("covers_all", "depends-on-source"))))
    parts.append(Markup("The Andaman and Nicobar Islands lie between {} (nearest point) and {} (farthest point) "
                        "from Pakistan").format(km(an.nearest_km), km(an.full_coverage_km)) + an.boundary_cite
                 + Markup("."))
    if an.systems:
        parts.append(Markup("Systems reaching their nearest point on every source's figure: {}. Systems covering "
                            "all of them on every source's figure: {}; on some sources' figures only: {}.").format(
            _list_systems(an.names("reaches_nearest", "yes")), _list_systems(an.names("covers_all", "yes")),
            _list_systems(an.names("covers_all", "depends-on-source"))))
    return Markup(" ").join(parts)


def _finding_compare(ctx: BriefContext, pairs: dict[str, Pair]) -> Markup:
    items = []
    for key in ("PAK→IND", "IND→PAK", "IND→CHN", "CHN→IND"):
        p = pairs[key]
        if not p.systems:
            items.append(Markup("<li>{} → {}: full coverage needs {}{}; no catalogued systems.</li>").format(
                p.frm["name"], p.to["name"], km(p.full_coverage_km), p.boundary_cite))
            continue
        yes, dep = p.count("covers_all", "yes"), p.count("covers_all", "depends-on-source")
        top = p.longest()
        assert top is not None
        items.append(Markup("<li>{} → {}: full coverage needs {}{}; {} of {} catalogued systems cover all of it on "
                            "every source's figure, {} more on some sources' figures; longest catalogued figure "
                            "{} ({}){}.</li>").format(
            p.frm["name"], p.to["name"], km(p.full_coverage_km), p.boundary_cite, yes, len(p.systems), dep,
            km(top.high), top.name, _high_cite(ctx, top)))
    return Markup("<ul>") + Markup("").join(items) + Markup("</ul>")


def _maps(ctx: BriefContext, pairs: dict[str, Pair]) -> list[Markup]:
    if not ctx.figures:
        return []
    from equilibrium.report.figures import reach_map

    figs = []
    names = []
    for n in PAK_MAP_SYSTEMS:
        try:
            names.append(ctx.catalog.find(n).name)
        except NotFound:
            continue
    png = reach_map("PAK", names, to="IND", catalog=ctx.catalog, dpi=110)
    rings = [ctx.catalog.find(n) for n in names]
    ids = [i for s in rings for i in s.range.source_ids()]
    figs.append(ctx.figure(png, "Reach map: Pakistan to India", Markup(
        "Figure 1. Pakistan → India: {} at nominal range (dashed bands: the interval over sources where it is "
        "wide). Ranges").format(", ".join(names) or "no catalogued systems") + ctx.cite(ids)
        + Markup("; boundaries") + pairs["PAK→IND"].boundary_cite + Markup("; cities") + ctx.cite([CITY_SOURCE_ID])
        + Markup(".")))
    top = pairs["PAK→USA:conus"].longest()
    conus_names = [top.name] if top is not None else []
    png = reach_map("PAK", conus_names, to="USA:conus", catalog=ctx.catalog, dpi=110)
    cite = ctx.cite(ctx.catalog.find(top.name).range.source_ids()) if top is not None else Markup("")
    figs.append(ctx.figure(png, "Reach map: Pakistan to the contiguous United States", Markup(
        "Figure 2. Pakistan → contiguous United States: the shortest geodesic ({}), solid within {} "
        "and dashed beyond. Range").format(km(pairs["PAK→USA:conus"].nearest_km),
                                           f"{top.name}'s nominal range" if top else "no catalogued range")
        + cite + Markup("; boundaries") + pairs["PAK→USA:conus"].boundary_cite + Markup(".")))
    return figs


def reach_section(ctx: BriefContext) -> Section:
    """Build the reach section (distances, per-system verdicts, findings and maps)."""
    pairs: dict[str, Pair] = {}
    for frm, to in PAIRS:
        p = _pair(ctx, frm, to)
        pairs[p.key] = p
    findings = [
        ("Can Pakistan's missiles reach the contiguous United States?", _finding_usa(ctx, pairs)),
        ("Can Pakistan's missiles reach all of India, including the Andaman and Nicobar Islands?",
         _finding_india(ctx, pairs)),
        ("How does reach compare between Pakistan, India and China?", _finding_compare(ctx, pairs)),
    ]
    definitions_cite = ctx.cite([GEODESIC_SOURCE_ID])
    maps = _maps(ctx, pairs)
    datasets = list(ctx.datasets.values())
    pov = next((d.get("pov") for d in datasets if d.get("pov")), None)
    body = render_template("sections/reach.html.j2", pairs=list(pairs.values()), findings=findings, maps=maps,
                           km=km, verdicts=VERDICT_TEXT, definitions_cite=definitions_cite, pov=pov,
                           datasets=datasets, catalog_error=ctx.catalog_error, unverified=_unverified_badge())
    return Section(title="Reach: Pakistan, India, China and the United States", html=body, id="reach",
                   summary="Geodesic distances between regions against catalogued missile ranges.")
