"""What every part of the brief shares: :class:`Section`, :class:`BriefContext` (bibliography, catalogue, reference
numbering), the Jinja2 environment and small renderers. The brief (:mod:`equilibrium.report.brief`) imports the
section modules; the section modules import this module, never the brief, so the report package has no import
cycle.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

if TYPE_CHECKING:
    from equilibrium.catalog import Catalog
    from equilibrium.provenance import Bibliography

__all__ = ["GEODESIC_SOURCE_ID", "BriefContext", "Section", "SectionBuilder", "environment", "km", "render_template",
           "unverified_badge"]

GEODESIC_SOURCE_ID = "karney-2013"
"""The bibliography id cited for geodesic distances (Karney 2013, the algorithm pyproj/GeographicLib implement)."""


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




def km(x: float | None) -> str:
    """``9,896 km``-style text (rounded to the km) for a distance in km; ``—`` for ``None``."""
    return "—" if x is None else f"{x:,.0f} km"


def unverified_badge() -> Markup:
    """The badge shown beside a figure not yet checked against its primary source."""
    return Markup('<span class="unverified" title="not yet checked against the primary source">unverified</span>')


@cache
def environment() -> jinja2.Environment:
    """The brief's Jinja2 environment (package templates, autoescaped, strict undefined)."""
    return jinja2.Environment(loader=jinja2.PackageLoader("equilibrium.report", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def render_template(name: str, **context: Any) -> Markup:
    """Render ``templates/<name>`` with ``context`` (autoescaped) and return trusted markup."""
    return Markup(environment().get_template(name).render(**context))
