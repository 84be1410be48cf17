"""The report's matplotlib plumbing shared by every figure module: a figure on the Agg canvas, and saving it as
PNG or SVG bytes (written to a file too when asked) with reproducible metadata."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

__all__ = ["new_figure", "save_figure"]


def new_figure(w: float = 7.5, h: float = 4.2) -> Any:
    """A matplotlib ``Figure`` of ``w`` × ``h`` inches at 110 dpi on the Agg canvas (no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=110)
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Any, out: Path | str | None, fmt: str | None = None) -> bytes:
    """``fig`` as PNG (default) or SVG bytes (``fmt``, or ``out``'s suffix ``.svg``); also written to ``out``."""
    fmt = fmt or ("svg" if out is not None and str(out).lower().endswith(".svg") else "png")
    buf = io.BytesIO()
    meta = {"Date": None} if fmt == "svg" else {"Software": "equilibrium (matplotlib Agg)"}
    fig.savefig(buf, format=fmt, facecolor="white", metadata=meta, bbox_inches="tight")
    blob = buf.getvalue()
    if out is not None:
        Path(out).write_bytes(blob)
    return blob
