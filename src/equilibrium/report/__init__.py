"""Report layer (an edge): figures (the only matplotlib importer), the HTML brief and its sections.

Public API: :func:`equilibrium.report.brief.render_brief`, :class:`equilibrium.report.brief.Section`,
:func:`equilibrium.report.figures.reach_map`. Attributes are imported lazily so that importing this package
pulls in neither matplotlib nor the geo data.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BriefContext", "Section", "reach_map", "render_brief"]


def __getattr__(name: str) -> Any:
    if name in ("render_brief", "Section", "BriefContext"):
        from equilibrium.report import brief  # local: import cycle with report.brief (and keeps the package light)

        return getattr(brief, name)
    if name == "reach_map":
        from equilibrium.report.figures import reach_map  # local: keeps the package light (geo, shapely)

        return reach_map
    raise AttributeError(f"module 'equilibrium.report' has no attribute {name!r}")
